"""Permission predicates for sections, rosters and student records; services call these, templates get booleans.

Roster permissions hold at the school where they are granted (see app/identity/data.py)."""

from __future__ import annotations

from app.accounts.services import can_view_own_students
from app.identity.data import has_permission, has_permission_at, has_permission_at_any
from app.org.services import can_manage_school


def can_manage_rosters(actor) -> bool:
    """Somewhere (the bulk actions are offered); each section is checked with can_manage_rosters_at."""
    return has_permission(actor, "rosters.manage")


def can_manage_rosters_at(actor, school_id: int) -> bool:
    return has_permission_at(actor, "rosters.manage", school_id)


def can_teach(actor) -> bool:
    return has_permission(actor, "sections.teach")


def can_view_section(actor, school_id: int, teacher_ids) -> bool:
    """Its teachers, and admins (rosters or people) of the section's school."""
    if can_teach(actor) and actor.id in set(teacher_ids):
        return True
    return has_permission_at(actor, "rosters.manage", school_id) or has_permission_at(actor, "users.view", school_id)


def can_edit_section_roster(actor, school_id: int, is_archived: bool) -> bool:
    return not is_archived and can_manage_rosters_at(actor, school_id)


def can_administer_sections(actor, school_id: int | None) -> bool:
    """Creating and editing sections of a school: its structure managers."""
    return can_manage_school(actor, school_id)


def can_edit_section(actor, section) -> bool:
    return can_administer_sections(actor, section.school_id) and not section.is_archived


def can_view_student_as_staff(actor, student_school_ids) -> bool:
    """Admins who see people or manage rosters at one of the student's schools."""
    return has_permission_at_any(actor, "users.view", student_school_ids) or has_permission_at_any(
        actor, "rosters.manage", student_school_ids
    )


def can_view_linked_student(actor) -> bool:
    return can_view_own_students(actor)
