"""Who may plan, edit, see and manage curriculum; services call these, templates get their booleans.

Editors of a unit or lesson are its owner and the teachers who co-teach a section of its course with the owner.
Everyone else on the staff sees it only once published, and only as far as its visibility reaches: the owner's
co-teachers (private), the staff of the course's school (school), or the district's staff (district). Students
and guardians do not read plans here."""

from __future__ import annotations

from app.identity.data import EVERY_SCHOOL, has_permission
from app.org.services import can_manage_school

STAFF_ROLES = ("teacher", "school_admin", "district_admin")


def is_staff(actor) -> bool:
    return bool(set(getattr(actor, "roles", ())) & set(STAFF_ROLES)) or "system" in getattr(actor, "roles", ())


def staff_school_ids(actor) -> frozenset[int] | None:
    """The schools where the actor is staff; None when a district-wide staff role reaches every school."""
    memberships = getattr(actor, "memberships", frozenset())
    if any(role == "district_admin" and school is EVERY_SCHOOL for role, school in memberships):
        return None
    return frozenset(school for role, school in memberships if role in STAFF_ROLES and school is not None)


def can_plan(actor) -> bool:
    """Teachers plan units and lessons for the courses they teach."""
    return has_permission(actor, "sections.teach")


def reaches(actor, visibility: str, school_id: int | None) -> bool:
    """Whether an item of this visibility at this school is shown to the actor once published."""
    if not is_staff(actor) or visibility == "private":
        return False
    if visibility == "district" or school_id is None:
        return True
    schools = staff_school_ids(actor)
    return schools is None or school_id in schools


def can_manage_templates(actor, school_id: int | None) -> bool:
    """School templates: the school's structure managers; district templates: district-wide ones."""
    return can_manage_school(actor, school_id)


def can_use_templates(actor) -> bool:
    return can_plan(actor) or has_permission(actor, "structure.manage")
