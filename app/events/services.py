"""The event outbox: record with the change, dispatch after commit, sweep what was missed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, text

from app import db
from app.errors import NotFound
from app.events.models import Event
from app.jobruns.queue import after_commit_enqueue

PAGE_SIZE = 50
DISPATCH_BATCH = 500

# Consumers subscribe here (webhooks, notifications, analytics); each gets the events of one batch.
_consumers: list = []


def subscribe(consumer) -> None:
    _consumers.append(consumer)


def record_event(actor, type: str, subject_type: str | None = None, subject_id: int | None = None, **payload) -> Event:
    """Append an event in the caller's transaction; its dispatch is enqueued only if that commits."""
    district_id = actor.district_id
    event = Event(
        district_id=district_id,
        type=type,
        actor_id=getattr(actor, "id", None),
        subject_type=subject_type,
        subject_id=subject_id,
        payload=payload,
    )
    db.session.add(event)
    after_commit_enqueue("default", "jobs.events.dispatch_events", district_id, job_id=f"dispatch-events-{district_id}")
    return event


def dispatch_events(district_id: int) -> int:
    """Hand undispatched events of the current district to the consumers and mark them. Safe to rerun."""
    sess = db.session
    dispatched = 0
    while True:
        batch = sess.scalars(
            select(Event)
            .where(Event.dispatched_at.is_(None))
            .order_by(Event.id)
            .limit(DISPATCH_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        if not batch:
            sess.commit()
            return dispatched
        for consumer in _consumers:
            consumer(batch)
        now = datetime.now(UTC)
        for event in batch:
            event.dispatched_at = now
        dispatched += len(batch)
        sess.commit()


def pending_districts() -> list[int]:
    """Districts with undispatched events or queued mail, through the narrow definer function."""
    return list(db.session.scalars(text("select outbox_pending_districts()")))


def list_events(actor, event_type: str | None = None, page: int = 1) -> tuple[list[Event], int]:
    """Admins with activity.view; raises NotFound otherwise. Returns one page and the total count."""
    from app.accounts.policy import has_permission

    if not has_permission(actor, "activity.view"):
        raise NotFound()
    query = select(Event)
    if event_type:
        query = query.where(Event.type == event_type)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(Event.created_at.desc(), Event.id.desc()).limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    return list(rows), total or 0


def event_types(actor) -> list[str]:
    return list(db.session.scalars(select(Event.type).distinct().order_by(Event.type)))


def recent_events(actor, limit: int = 8) -> list[Event]:
    """The newest events for actors with activity.view; nothing for others."""
    from app.accounts.policy import has_permission

    if not has_permission(actor, "activity.view"):
        return []
    return list(db.session.scalars(select(Event).order_by(Event.created_at.desc(), Event.id.desc()).limit(limit)))
