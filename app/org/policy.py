"""Permission predicates for school structure; services call these, templates get their booleans."""

from __future__ import annotations

from app.identity.data import has_permission, in_school_scope, is_district_wide


def can_manage_structure(actor) -> bool:
    """Any structure page at all: district admins, and school admins for their own schools."""
    return has_permission(actor, "structure.manage")


def can_manage_years(actor) -> bool:
    # Years and terms belong to the whole district, so only someone who manages all its schools edits them.
    return can_manage_structure(actor) and is_district_wide(actor)


def can_edit_school(actor) -> bool:
    return can_manage_structure(actor) and is_district_wide(actor)


def can_manage_school(actor, school_id: int | None) -> bool:
    return can_manage_structure(actor) and in_school_scope(actor, [] if school_id is None else [school_id])
