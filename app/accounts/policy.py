"""Permission predicates for accounts; services call these, templates get their booleans."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.data import Actor
from app.accounts.models import DistrictRolePermission, RolePermission

INVITABLE_BY = {
    "district_admin": {"district_admin", "school_admin", "teacher", "student", "guardian"},
    "school_admin": {"teacher", "student", "guardian"},
}


def permissions_for(sess: Session, roles: frozenset[str]) -> frozenset[str]:
    """Each role's defaults with this district's overrides applied (RLS scopes the overrides), unioned."""
    per_role: dict[str, set[str]] = {role: set() for role in roles}
    if not roles:
        return frozenset()
    for role, code in sess.execute(
        select(RolePermission.role, RolePermission.permission_code).where(RolePermission.role.in_(roles))
    ):
        per_role[role].add(code)
    for role, code, is_granted in sess.execute(
        select(
            DistrictRolePermission.role, DistrictRolePermission.permission_code, DistrictRolePermission.is_granted
        ).where(DistrictRolePermission.role.in_(roles))
    ):
        (per_role[role].add if is_granted else per_role[role].discard)(code)
    return frozenset().union(*per_role.values())


def has_permission(actor, code: str) -> bool:
    """The one permission check, used by views, services and jobs alike."""
    return actor is not None and getattr(actor, "is_authenticated", True) and actor.can(code)


def can_invite_users(actor: Actor) -> bool:
    return has_permission(actor, "users.invite")


def can_invite_role(actor: Actor, role: str) -> bool:
    return can_invite_users(actor) and role in INVITABLE_BY.get(actor.role, set())


def can_view_users(actor: Actor) -> bool:
    return has_permission(actor, "users.view")
