"""Permission predicates for school structure; services call these, templates get their booleans.

Structure permissions hold where they are granted: a school admin manages their own school's courses and sections,
not another school's, even when they teach there. Years, terms and schools themselves belong to the district."""

from __future__ import annotations

from app.identity.data import has_permission, has_permission_at, has_permission_district_wide


def can_manage_structure(actor) -> bool:
    """Any structure page at all: district admins, and school admins for their own schools."""
    return has_permission(actor, "structure.manage")


def can_manage_years(actor) -> bool:
    # Years and terms belong to the whole district, so only someone who manages all its schools edits them.
    return has_permission_district_wide(actor, "structure.manage")


def can_edit_school(actor) -> bool:
    return has_permission_district_wide(actor, "structure.manage")


def can_manage_school(actor, school_id: int | None) -> bool:
    """The school's courses and sections (None: a district-level course, for district-wide managers only)."""
    return has_permission_at(actor, "structure.manage", school_id)


def can_view_calendar(actor, school_id: int) -> bool:
    """A school's calendar and instructional days: its structure managers and its teachers."""
    return can_manage_school(actor, school_id) or has_permission_at(actor, "sections.teach", school_id)


def can_manage_calendar(actor, school_id: int | None) -> bool:
    """A school's own days off, its weekdays and its rotation: the school's structure managers."""
    return school_id is not None and can_manage_school(actor, school_id)


def can_manage_district_calendar(actor) -> bool:
    # District-wide days off close every school, so only someone who manages every school records them.
    return has_permission_district_wide(actor, "structure.manage")
