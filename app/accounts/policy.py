"""Permission predicates for accounts; services call these, templates get their booleans."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.accounts.data import Actor

INVITABLE_BY = {
    "district_admin": {"district_admin", "school_admin", "teacher", "student", "guardian"},
    "school_admin": {"teacher", "student", "guardian"},
}


def permissions_for(sess: Session, roles: frozenset[str]) -> frozenset[str]:
    """Each role's defaults with this district's grants and revocations (RLS scopes them), unioned."""
    if not roles:
        return frozenset()
    return frozenset(sess.scalars(text("select effective_permissions(:roles)"), {"roles": sorted(roles)}))


def has_permission(actor, code: str) -> bool:
    """The one permission check, used by views, services and jobs alike."""
    return actor is not None and getattr(actor, "is_authenticated", True) and actor.can(code)


def can_invite_users(actor: Actor) -> bool:
    return has_permission(actor, "users.invite")


def can_invite_role(actor: Actor, role: str) -> bool:
    return can_invite_users(actor) and role in INVITABLE_BY.get(actor.role, set())


def can_view_users(actor: Actor) -> bool:
    return has_permission(actor, "users.view")
