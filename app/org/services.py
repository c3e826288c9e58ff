"""Districts and schools."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.org.models import School


def list_schools(actor) -> list[School]:
    """District admins see every school of the district; everyone else the schools they belong to."""
    query = select(School).order_by(School.name)
    if actor.role != "district_admin":
        query = query.where(School.id.in_(actor.school_ids or {-1}))
    return list(db.session.scalars(query))
