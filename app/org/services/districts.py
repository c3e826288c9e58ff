"""The district as a whole: finding one by slug for commands and scripts."""

from __future__ import annotations

from sqlalchemy import text

from app import db
from app.identity.data import SystemActor


def system_actor_for(slug: str) -> SystemActor | None:
    """CLI commands: scope the session to the district with this slug and act for the platform there.

    No tenant is set yet, so a narrow definer function maps the slug to an id (and nothing else). None when
    no district has that slug."""
    district_id = db.session.execute(text("select district_id_by_slug(:slug)"), {"slug": slug}).scalar()
    if district_id is None:
        return None
    db.set_tenant(district_id, None, "system")
    return SystemActor(district_id)
