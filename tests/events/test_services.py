"""The event outbox: recorded with the change, dispatched after commit, never for a rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.data import SystemActor
from app.accounts.services import actor_for_user
from app.errors import NotFound
from app.events import services
from app.events.models import Event
from tests.jobqueue import empty_queues, queued_jobs

DISPATCH = "jobs.events.dispatch_events"


def _dispatch_jobs() -> list:
    return [job for job in queued_jobs() if job.func_name == DISPATCH]


def _events(*where) -> list[Event]:
    return list(db.session.scalars(select(Event).where(*where).order_by(Event.id)))


@pytest.fixture
def consumer():
    """A subscribed consumer that remembers the batches it was handed."""
    batches: list[list[tuple[int, str]]] = []

    def _consume(batch):
        batches.append([(event.district_id, event.type) for event in batch])

    services.subscribe(_consume)
    yield batches
    services._consumers.remove(_consume)


def test_a_committed_event_enqueues_one_dispatch_job_for_its_district(tenant, district):
    empty_queues()
    tenant(district)

    event = services.record_event(SystemActor(district.id), "lesson.published", "lesson", 7, title="Fractions")
    services.record_event(SystemActor(district.id), "lesson.published", "lesson", 8)
    db.session.commit()

    jobs = _dispatch_jobs()
    assert [(job.args, job.id) for job in jobs] == [((district.id,), f"dispatch-events-{district.id}")]
    stored = db.session.get(Event, event.id)
    assert (stored.type, stored.subject_type, stored.subject_id, stored.payload) == (
        "lesson.published",
        "lesson",
        7,
        {"title": "Fractions"},
    )
    assert stored.dispatched_at is None


def test_a_rolled_back_event_enqueues_nothing_and_leaves_no_row(tenant, district):
    empty_queues()
    tenant(district)

    services.record_event(SystemActor(district.id), "grade.posted", "grade", 1)
    db.session.flush()
    db.session.rollback()
    tenant(district)
    db.session.commit()

    assert _dispatch_jobs() == []
    assert _events(Event.type == "grade.posted") == []


def test_an_event_records_who_acted(make_user, tenant, district):
    teacher = make_user("teacher")
    actor = actor_for_user(district.id, teacher.id)

    event = services.record_event(actor, "lesson.published")
    db.session.commit()

    tenant(district)
    assert db.session.get(Event, event.id).actor_id == teacher.id


def test_dispatch_hands_every_pending_event_to_the_consumers_and_marks_it(tenant, district, consumer):
    tenant(district)
    for n in range(3):
        services.record_event(SystemActor(district.id), f"test.event{n}")
    db.session.commit()

    dispatched = services.dispatch_events(district.id)

    assert dispatched == 3
    assert consumer == [[(district.id, "test.event0"), (district.id, "test.event1"), (district.id, "test.event2")]]
    assert all(event.dispatched_at is not None for event in _events())


def test_dispatching_again_hands_nothing_over_twice(tenant, district, consumer):
    tenant(district)
    services.record_event(SystemActor(district.id), "test.once")
    db.session.commit()
    services.dispatch_events(district.id)

    again = services.dispatch_events(district.id)

    assert again == 0
    assert consumer == [[(district.id, "test.once")]]


def test_dispatch_works_in_batches(tenant, district, consumer, monkeypatch):
    monkeypatch.setattr(services, "DISPATCH_BATCH", 2)
    tenant(district)
    for n in range(5):
        services.record_event(SystemActor(district.id), f"test.batch{n}")
    db.session.commit()

    assert services.dispatch_events(district.id) == 5

    assert [len(batch) for batch in consumer] == [2, 2, 1]


def test_dispatch_touches_only_the_current_districts_events(make_district, tenant, district):
    other = make_district()
    tenant(other)
    services.record_event(SystemActor(other.id), "test.elsewhere")
    db.session.commit()
    tenant(district)
    services.record_event(SystemActor(district.id), "test.here")
    db.session.commit()

    services.dispatch_events(district.id)

    assert _events()[0].dispatched_at is not None
    tenant(other)
    assert [event.dispatched_at for event in _events()] == [None]


def test_pending_districts_lists_districts_with_undispatched_events_across_the_platform(make_district, tenant):
    waiting, done = make_district(), make_district()
    for place in (waiting, done):
        tenant(place)
        services.record_event(SystemActor(place.id), "test.pending")
        db.session.commit()
    services.dispatch_events(done.id)

    tenant(None)
    pending = services.pending_districts()

    assert waiting.id in pending
    assert done.id not in pending


def _admin(make_user, district):
    return actor_for_user(district.id, make_user("district_admin").id)


def test_list_events_filters_by_type_and_counts_the_total(make_user, tenant, district):
    admin = _admin(make_user, district)
    for n in range(3):
        services.record_event(admin, "test.kept", "thing", n)
    services.record_event(admin, "test.other")
    db.session.commit()

    rows, total = services.list_events(admin, event_type="test.kept")

    assert total == 3
    assert [event.subject_id for event in rows] == [2, 1, 0]
    assert {"test.kept", "test.other"} <= set(services.event_types(admin))


def test_list_events_pages_newest_first(make_user, tenant, district, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    admin = _admin(make_user, district)
    for n in range(5):
        services.record_event(admin, "test.page", "thing", n)
    db.session.commit()

    pages = [services.list_events(admin, event_type="test.page", page=p) for p in (1, 2, 3)]

    assert [[e.subject_id for e in rows] for rows, _total in pages] == [[4, 3], [2, 1], [0]]
    assert {total for _rows, total in pages} == {5}


@pytest.mark.parametrize("role", ["school_admin", "teacher", "student", "guardian"])
def test_list_events_is_not_found_without_the_activity_permission(make_user, district, role):
    actor = actor_for_user(district.id, make_user(role).id)

    with pytest.raises(NotFound):
        services.list_events(actor)


def test_the_outbox_keeps_events_of_a_district_to_itself(make_user, make_district, tenant, district):
    other = make_district()
    tenant(other)
    services.record_event(SystemActor(other.id), "test.foreign")
    db.session.commit()
    admin = _admin(make_user, district)

    rows, total = services.list_events(admin, event_type="test.foreign")

    assert (rows, total) == ([], 0)
    assert "test.foreign" not in services.event_types(admin)
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.district_id == other.id)) == 0
