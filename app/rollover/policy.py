"""Permission predicates for the year rollover; services call these, templates get their booleans."""

from __future__ import annotations

from app.identity.data import has_permission_district_wide


def can_run_rollover(actor) -> bool:
    return has_permission_district_wide(actor, "rollover.run")
