"""The district's analytics settings: per-teacher figures on school views, off unless a district admin turns them
on (ranking teachers by clicks drives them away, and many bargaining agreements limit it)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from app import db
from app.accounts import services as accounts
from app.analytics import policy
from app.analytics.models import Fact, Settings
from app.errors import NotFound
from app.events.services import record_event


def teacher_figures_on(actor) -> bool:
    row = db.session.scalar(select(Settings.show_teacher_figures).where(Settings.district_id == actor.district_id))
    return bool(row)


def set_teacher_figures(actor, on: bool) -> bool:
    """District admins (district.manage): turn per-teacher figures on or off for every school view. NotFound for
    anyone else."""
    if not policy.can_change_settings(actor):
        raise NotFound()
    row = db.session.scalar(select(Settings).where(Settings.district_id == actor.district_id))
    if row is None:
        row = Settings(district_id=actor.district_id)
        db.session.add(row)
    row.show_teacher_figures, row.updated_by, row.updated_at = bool(on), actor.id, datetime.now(UTC)
    record_event(actor, "analytics.settings_changed", None, None, show_teacher_figures=bool(on))
    db.session.commit()
    return row.show_teacher_figures


def teacher_rows(actor, school_id: int, start: date, end: date) -> list[dict] | None:
    """The school's viewers, where the district turned them on (else None): each teacher of the school with the
    instructional weeks they taught in the range and those they were active in, in name order (never ranked)."""
    if not policy.can_view_school(actor, school_id) or not teacher_figures_on(actor):
        return None
    rows = db.session.execute(
        select(
            Fact.user_id,
            func.count(func.distinct(Fact.week_start)),
            func.count(func.distinct(Fact.week_start)).filter(Fact.is_active),
        )
        .where(
            Fact.school_id == school_id,
            Fact.role == "teacher",
            Fact.week_start >= start,
            Fact.week_start <= end,
        )
        .group_by(Fact.user_id)
    ).all()
    names = accounts.names_by_id(row[0] for row in rows)
    found = [{"name": names.get(uid, "?"), "weeks": weeks, "active": active} for uid, weeks, active in rows]
    return sorted(found, key=lambda row: row["name"].casefold())
