"""Permission predicates for roster import and export; services call these, templates get their booleans."""

from __future__ import annotations

from app.identity.data import has_permission_district_wide


def can_import_rosters(actor) -> bool:
    """Import and export touch the whole district's people, so only district admins (and the CLI) may."""
    return has_permission_district_wide(actor, "rosters.import")
