"""The event outbox: record with the change, dispatch after commit to the registered consumers, sweep what was missed.

Consumers are registered explicitly when the app is built (`subscribe` from `create_app`), each for the event
types it wants. An event no consumer wants is stored already marked dispatched, so a write that nobody listens
to costs one insert and no job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import func, select, text

from app import db
from app.errors import NotFound
from app.events.catalog import CATALOG, check_event
from app.events.models import Event
from app.identity.data import has_permission_district_wide
from app.jobruns.queue import after_commit_enqueue

PAGE_SIZE = 50
DISPATCH_BATCH = 500
CONSUMERS_KEY = "event_consumers"


@dataclass(frozen=True)
class Consumer:
    name: str
    types: frozenset[str]
    handle: Callable[[list[Event]], None]


def subscribe(app, name: str, types: Iterable[str], handle: Callable[[list[Event]], None]) -> None:
    """Wiring (create_app): `handle(batch)` receives, after commit, every event of these types."""
    types = frozenset(types)
    unknown = types - set(CATALOG)
    if unknown:
        raise ValueError(f"consumer {name} subscribes to unknown event types {sorted(unknown)}")
    app.extensions.setdefault(CONSUMERS_KEY, []).append(Consumer(name, types, handle))


def _consumers() -> list[Consumer]:
    return current_app.extensions.get(CONSUMERS_KEY, [])


def record_event(actor, type: str, subject_type: str | None = None, subject_id: int | None = None, **payload) -> Event:
    """Append an event in the caller's transaction; its dispatch is enqueued only if that commits.

    Raises ValueError for a type or payload field that app/events/catalog.py does not describe."""
    check_event(type, subject_type, payload)
    district_id = actor.district_id
    wanted = any(type in consumer.types for consumer in _consumers())
    event = Event(
        district_id=district_id,
        type=type,
        actor_id=getattr(actor, "id", None),
        subject_type=subject_type,
        subject_id=subject_id,
        payload=payload,
        dispatched_at=None if wanted else datetime.now(UTC),
    )
    db.session.add(event)
    if wanted:
        after_commit_enqueue(
            "default", "jobs.events.dispatch_events", district_id, job_id=f"dispatch-events-{district_id}"
        )
    return event


def dispatch_events(district_id: int) -> int:
    """Hand undispatched events of the current district to their consumers and mark them. Safe to rerun."""
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
        for consumer in _consumers():
            mine = [event for event in batch if event.type in consumer.types]
            if mine:
                consumer.handle(mine)
        now = datetime.now(UTC)
        for event in batch:
            event.dispatched_at = now
        dispatched += len(batch)
        sess.commit()


def pending_districts() -> list[int]:
    """Districts with undispatched events or queued mail, through the narrow definer function."""
    return list(db.session.scalars(text("select outbox_pending_districts()")))


def can_view_activity(actor) -> bool:
    return has_permission_district_wide(actor, "activity.view")


def list_events(actor, event_type: str | None = None, page: int = 1) -> tuple[list[Event], int]:
    """Admins with activity.view; raises NotFound otherwise. Returns one page and the total count."""
    if not can_view_activity(actor):
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
    """Admins with activity.view: the types recorded in the district, for the filter."""
    if not can_view_activity(actor):
        raise NotFound()
    return list(db.session.scalars(select(Event.type).distinct().order_by(Event.type)))


def recent_events(actor, limit: int = 8) -> list[Event]:
    """The newest events for actors with activity.view; nothing for others."""
    if not can_view_activity(actor):
        return []
    return list(db.session.scalars(select(Event).order_by(Event.created_at.desc(), Event.id.desc()).limit(limit)))
