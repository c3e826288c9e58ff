"""Who may grade, approve, set the rules and see grades; services call these, templates get their booleans.

A section's gradebook is edited by its teachers; admins of its school may read it. Changes after grades lock
need someone with grades.approve at the section's school. Students see their own posted grades; guardians see
a linked student's posted grades where the link allows grades (decision 0006)."""

from __future__ import annotations

from app.identity.data import has_permission, has_permission_at, has_permission_district_wide


def can_teach(actor) -> bool:
    return has_permission(actor, "sections.teach")


def can_grade(actor, teacher_ids) -> bool:
    """The section's own teachers."""
    return can_teach(actor) and actor.id in set(teacher_ids)


def can_approve_changes(actor, school_id: int) -> bool:
    return has_permission_at(actor, "grades.approve", school_id)


def can_review_changes(actor) -> bool:
    """Somewhere: the approvals page is offered."""
    return has_permission(actor, "grades.approve")


def can_set_policy(actor) -> bool:
    return has_permission_district_wide(actor, "grades.policy")


def is_student(actor) -> bool:
    return "student" in getattr(actor, "roles", ())


def is_guardian(actor) -> bool:
    return "guardian" in getattr(actor, "roles", ())


def sees_own_grades(actor) -> bool:
    """Students (their own) and guardians (their linked students'): the Grades menu."""
    return is_student(actor) or is_guardian(actor)
