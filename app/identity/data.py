"""The acting user, as services see it: plain data, no ORM object and no request.

A person holds roles through memberships: a role at one school, or a district-wide role (district admin,
guardian). The permissions a role grants hold only where the membership is held: a school admin of one school
who teaches at another is a teacher there, not an admin. So an Actor keeps its permissions per scope
(`grants`: school id -> codes, with None for the district-wide memberships) and never merges them into one set
for school-level checks; `can(code)` ("anywhere") is only for menus and for district-level capabilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
EVERY_SCHOOL = None  # the scope key of district-wide memberships


@dataclass(frozen=True)
class Actor:
    id: int
    district_id: int
    email: str
    display_name: str
    locale: str | None = None
    time_zone: str | None = None
    # (role, school id or None) for each membership.
    memberships: frozenset[tuple[str, int | None]] = frozenset()
    # scope (school id, or None for district-wide) -> permission codes granted there.
    grants: dict = field(default_factory=dict, compare=False, hash=False)
    session_id: int | None = None
    district_name: str = ""
    district_locale: str = "en"
    district_time_zone: str = "America/New_York"

    # flask-login's user protocol
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for role, _school in self.memberships)

    @property
    def school_ids(self) -> frozenset[int]:
        """Every school where the actor holds any membership."""
        return frozenset(school for _role, school in self.memberships if school is not None)

    @property
    def permissions(self) -> frozenset[str]:
        """Every code granted anywhere: for menus and district-level capabilities, never for a school's records."""
        return frozenset().union(*self.grants.values()) if self.grants else frozenset()

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

    def today(self) -> date:
        """The date where the person is (their time zone, else the district's): what "today" means on a plan."""
        try:
            zone = ZoneInfo(self.time_zone or self.district_time_zone)
        except (ValueError, ZoneInfoNotFoundError):
            zone = ZoneInfo("UTC")
        return datetime.now(zone).date()

    def can(self, code: str) -> bool:
        """Granted anywhere (at some school or district-wide)."""
        return any(code in codes for codes in self.grants.values())

    def can_district_wide(self, code: str) -> bool:
        """Granted by a district-wide membership: holds at every school of the district."""
        return code in self.grants.get(EVERY_SCHOOL, frozenset())

    def can_at(self, code: str, school_id: int | None) -> bool:
        """Granted at this school (a membership there, or a district-wide one). None: the district as a whole."""
        if self.can_district_wide(code):
            return True
        return school_id is not None and code in self.grants.get(school_id, frozenset())

    def schools_where(self, code: str) -> frozenset[int] | None:
        """The schools where `code` holds; None means every school (a district-wide grant)."""
        if self.can_district_wide(code):
            return None
        return frozenset(school for school, codes in self.grants.items() if school is not None and code in codes)


@dataclass(frozen=True)
class SystemActor:
    """Jobs and CLI commands that act for the platform inside one district, not for a person."""

    district_id: int
    id: int | None = None
    roles: frozenset[str] = frozenset({"system"})
    role: str = "system"
    school_ids: frozenset[int] = frozenset()

    def can(self, code: str) -> bool:
        return True

    def can_district_wide(self, code: str) -> bool:
        return True

    def can_at(self, code: str, school_id: int | None) -> bool:
        return True

    def schools_where(self, code: str) -> None:
        return None


def has_permission(actor, code: str) -> bool:
    """Granted anywhere; anonymous visitors have nothing. For menus and district-level capabilities."""
    return actor is not None and getattr(actor, "is_authenticated", True) and actor.can(code)


def has_permission_at(actor, code: str, school_id: int | None) -> bool:
    """The school-level check: granted at this school (None: district-wide only)."""
    return actor is not None and getattr(actor, "is_authenticated", True) and actor.can_at(code, school_id)


def has_permission_at_any(actor, code: str, school_ids) -> bool:
    """Granted at one of these schools."""
    return any(has_permission_at(actor, code, school) for school in school_ids) or (
        has_permission_district_wide(actor, code)
    )


def has_permission_at_all(actor, code: str, school_ids) -> bool:
    """Granted at every one of these schools (a person with no school: district-wide only)."""
    school_ids = list(school_ids)
    if not school_ids:
        return has_permission_district_wide(actor, code)
    return all(has_permission_at(actor, code, school) for school in school_ids)


def has_permission_district_wide(actor, code: str) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", True) and actor.can_district_wide(code)


def schools_where(actor, code: str) -> frozenset[int] | None:
    """Where `code` holds for the actor: a set of school ids, or None for every school of the district."""
    if actor is None or not getattr(actor, "is_authenticated", True):
        return frozenset()
    return actor.schools_where(code)


def is_district_wide(actor) -> bool:
    """District admins and platform jobs act on every school of the district."""
    return "district_admin" in actor.roles or "system" in actor.roles
