"""The acting user, as services see it: plain data, no ORM object and no request."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

ROLES = ("district_admin", "school_admin", "teacher", "student", "guardian")
# Broadest first: picks the home page and the database role setting.
ROLE_ORDER = ("district_admin", "school_admin", "teacher", "guardian", "student")
ROLE_LABELS = {
    "district_admin": _l("District admin"),
    "school_admin": _l("School admin"),
    "teacher": _l("Teacher"),
    "guardian": _l("Guardian"),
    "student": _l("Student"),
}


@dataclass(frozen=True)
class Actor:
    id: int
    district_id: int
    email: str
    display_name: str
    locale: str | None = None
    time_zone: str | None = None
    roles: frozenset[str] = frozenset()
    school_ids: frozenset[int] = frozenset()
    permissions: frozenset[str] = frozenset()
    session_id: int | None = None
    district_name: str = ""
    district_locale: str = "en"
    district_time_zone: str = "America/New_York"
    extra: dict = field(default_factory=dict, compare=False)

    # flask-login's user protocol
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role(self) -> str:
        """The broadest role held, which picks the home page and the database role setting."""
        for role in ROLE_ORDER:
            if role in self.roles:
                return role
        return ""

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, ""))

    def can(self, code: str) -> bool:
        return code in self.permissions


@dataclass(frozen=True)
class SystemActor:
    """Jobs and CLI commands that act for the platform inside one district, not for a person."""

    district_id: int
    id: int | None = None
    roles: frozenset[str] = frozenset({"system"})
    permissions: frozenset[str] = frozenset()
    role: str = "system"

    def can(self, code: str) -> bool:
        return True


def has_permission(actor, code: str) -> bool:
    """The one permission check, used by every domain's policy predicates (anonymous visitors have none)."""
    return actor is not None and getattr(actor, "is_authenticated", True) and actor.can(code)


def is_district_wide(actor) -> bool:
    """District admins and platform jobs act on every school of the district; everyone else on their own."""
    return "district_admin" in actor.roles or "system" in actor.roles


def in_school_scope(actor, school_ids) -> bool:
    """True when any of `school_ids` is one of the actor's schools (or the actor is district-wide)."""
    return is_district_wide(actor) or bool(set(school_ids) & set(getattr(actor, "school_ids", ())))
