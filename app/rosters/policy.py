"""Permission predicates for rosters; services call these, templates get their booleans."""

from __future__ import annotations

from app.accounts.policy import has_permission


def is_district_wide(actor) -> bool:
    """District admins and platform jobs see every school of the district; everyone else only their own."""
    return actor.role in ("district_admin", "system")


def in_school_scope(actor, school_ids) -> bool:
    """True when any of `school_ids` is one of the actor's schools (or the actor is district-wide)."""
    return is_district_wide(actor) or bool(set(school_ids) & set(actor.school_ids))


def can_manage_rosters(actor) -> bool:
    return has_permission(actor, "rosters.manage")


def can_view_people(actor) -> bool:
    return has_permission(actor, "users.view")


def can_teach(actor) -> bool:
    return has_permission(actor, "sections.teach")


def can_view_own_students(actor) -> bool:
    return has_permission(actor, "students.view_own")


def can_view_section(actor, school_id: int, teacher_ids) -> bool:
    """Its teachers, and admins (rosters or people) whose scope holds the section's school."""
    if can_teach(actor) and actor.id in set(teacher_ids):
        return True
    return (can_manage_rosters(actor) or can_view_people(actor)) and in_school_scope(actor, [school_id])


def can_edit_section_roster(actor, school_id: int, is_archived: bool) -> bool:
    return not is_archived and can_manage_rosters(actor) and in_school_scope(actor, [school_id])


def guardian_sees_grades(can_see_grades: bool, holds_own_rights: bool) -> bool:
    """A student who holds their own rights (18+, FERPA) decides; until then the link's flag does."""
    return can_see_grades and not holds_own_rights
