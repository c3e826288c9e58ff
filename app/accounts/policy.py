"""Permission predicates for accounts, people and guardian links; services call these, templates get their booleans."""

from __future__ import annotations

from app.identity.data import Actor, has_permission, in_school_scope, is_district_wide

INVITABLE_BY = {
    "district_admin": {"district_admin", "school_admin", "teacher", "student", "guardian"},
    "school_admin": {"teacher", "student", "guardian"},
}


def can_invite_users(actor: Actor) -> bool:
    return has_permission(actor, "users.invite")


def can_invite_role(actor: Actor, role: str) -> bool:
    return can_invite_users(actor) and role in INVITABLE_BY.get(actor.role, set())


def can_view_people(actor) -> bool:
    """The people directory and role counts: admins (school admins see the people of their schools)."""
    return has_permission(actor, "users.view")


def sees_whole_district(actor) -> bool:
    return is_district_wide(actor)


def can_manage_people_at(actor, school_ids) -> bool:
    """Guardian links, own-rights flags and deactivation for people of these schools: roster managers there."""
    return has_permission(actor, "rosters.manage") and in_school_scope(actor, school_ids)


def can_manage_people(actor) -> bool:
    return has_permission(actor, "rosters.manage")


def can_view_own_students(actor) -> bool:
    """Guardians: their linked students."""
    return has_permission(actor, "students.view_own")


def guardian_sees_grades(can_see_grades: bool, holds_own_rights: bool) -> bool:
    """A student who holds their own rights (18+, FERPA) decides; until then the link's flag does."""
    return can_see_grades and not holds_own_rights
