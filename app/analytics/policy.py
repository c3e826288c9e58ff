"""Who sees analytics: district admins every school and the district as a whole; school admins only the schools
where they hold that membership (a school admin who teaches elsewhere sees nothing there)."""

from __future__ import annotations

from app.identity.data import has_permission, has_permission_at, has_permission_district_wide, schools_where

CODE = "analytics.view"


def can_view_analytics(actor) -> bool:
    """The menu entry: analytics of some school."""
    return has_permission(actor, CODE)


def can_view_district(actor) -> bool:
    return has_permission_district_wide(actor, CODE)


def can_view_school(actor, school_id: int) -> bool:
    return has_permission_at(actor, CODE, school_id)


def viewable_schools(actor) -> frozenset[int] | None:
    """The schools whose analytics the actor sees; None for every school of the district."""
    return schools_where(actor, CODE)


def can_change_settings(actor) -> bool:
    """District admins turn per-teacher figures on or off for the district."""
    return has_permission_district_wide(actor, "district.manage")
