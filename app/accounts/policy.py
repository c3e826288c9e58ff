"""Permission predicates for accounts, people and guardian links; services call these, templates get their booleans.

People permissions hold at the school where they are granted: a school admin sees, links and deactivates people
of their own school only (see app/identity/data.py)."""

from __future__ import annotations

from app.identity.data import (
    EVERY_SCHOOL,
    has_permission,
    has_permission_at,
    has_permission_at_all,
    has_permission_at_any,
    has_permission_district_wide,
    schools_where,
)

# The roles each role may give when it invites, at the scope where it is held.
INVITABLE_BY = {
    "district_admin": {"district_admin", "school_admin", "teacher", "student", "guardian"},
    "school_admin": {"teacher", "student", "guardian"},
}
# Roles without a school: a district admin's membership is district-wide, a guardian's follows their students.
SCHOOLLESS_ROLES = ("district_admin", "guardian")
# What a school admin may switch off: never a peer admin.
DEACTIVATABLE_BY_SCHOOL_ADMINS = {"teacher", "student", "guardian"}


def can_invite_users(actor) -> bool:
    return has_permission(actor, "users.invite")


def invitable_roles(actor, school_id: int | None) -> set[str]:
    """The roles the actor may give someone invited into this school (None: with no school)."""
    roles: set[str] = set()
    for held, scope in getattr(actor, "memberships", ()):
        if scope in (EVERY_SCHOOL, school_id) and has_permission_at(actor, "users.invite", scope):
            roles |= INVITABLE_BY.get(held, set())
    if school_id is None and any(
        "guardian" in INVITABLE_BY.get(held, set()) and has_permission_at(actor, "users.invite", scope)
        for held, scope in getattr(actor, "memberships", ())
    ):
        roles.add("guardian")  # guardians have no school: any school's admin may invite one
    if school_id is None:
        roles &= set(SCHOOLLESS_ROLES)
    return roles


def can_invite_role(actor, role: str, school_id: int | None) -> bool:
    return can_invite_users(actor) and role in invitable_roles(actor, school_id)


def invite_schools(actor):
    """Where the actor may invite people: a set of school ids, or None for every school."""
    return schools_where(actor, "users.invite")


def can_view_people(actor) -> bool:
    """The people directory and role counts, somewhere (school admins see the people of their schools)."""
    return has_permission(actor, "users.view")


def people_schools(actor):
    """The schools whose people the actor sees: a set of ids, or None for the whole district."""
    return schools_where(actor, "users.view")


def can_manage_people_at(actor, school_ids) -> bool:
    """Guardian links and own-rights flags for a student of these schools: roster managers at one of them."""
    return has_permission_at_any(actor, "rosters.manage", school_ids)


def can_manage_people(actor) -> bool:
    return has_permission(actor, "rosters.manage")


def can_deactivate(actor, target_id: int, target_roles, target_school_ids) -> bool:
    """Roster managers over every school of the person (a school admin cannot switch off someone who also belongs
    to another school, nor a peer admin); never oneself."""
    if target_id == getattr(actor, "id", None):
        return False
    if has_permission_district_wide(actor, "rosters.manage"):
        return True
    if not set(target_roles) <= DEACTIVATABLE_BY_SCHOOL_ADMINS:
        return False
    return bool(target_school_ids) and has_permission_at_all(actor, "rosters.manage", target_school_ids)


def can_view_own_students(actor) -> bool:
    """Guardians: their linked students."""
    return has_permission(actor, "students.view_own")


def guardian_sees_grades(can_see_grades: bool, holds_own_rights: bool) -> bool:
    """A student who holds their own rights (18+, FERPA) decides; until then the link's flag does."""
    return can_see_grades and not holds_own_rights
