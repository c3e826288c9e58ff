"""Permission predicates for school structure and rollover; services call these, templates get their booleans."""

from __future__ import annotations

from app.accounts.policy import has_permission


def can_manage_structure(actor) -> bool:
    """Any structure page at all: district admins, and school admins for their own schools."""
    return has_permission(actor, "structure.manage")


def is_district_wide(actor) -> bool:
    # Years and terms belong to the whole district, so only someone who manages all its schools edits them.
    return can_manage_structure(actor) and ("district_admin" in actor.roles or "system" in actor.roles)


def can_manage_years(actor) -> bool:
    return is_district_wide(actor)


def can_edit_school(actor) -> bool:
    return is_district_wide(actor)


def can_manage_school(actor, school_id: int | None) -> bool:
    if not can_manage_structure(actor):
        return False
    return is_district_wide(actor) or (school_id is not None and school_id in (actor.school_ids or ()))


def can_edit_section(actor, section) -> bool:
    return can_manage_school(actor, section.school_id) and not section.is_archived


def can_run_rollover(actor) -> bool:
    return has_permission(actor, "rollover.run")
