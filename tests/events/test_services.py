"""The event outbox: recorded with the change, checked against the catalog, dispatched after commit to the
consumers that want it, never for a rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.services import actor_for_user
from app.errors import NotFound
from app.events import services
from app.events.catalog import CATALOG
from app.events.models import Event
from app.identity.data import SystemActor
from tests.factories import record_course_updated
from tests.jobqueue import empty_queues, queued_jobs

DISPATCH = "jobs.events.dispatch_events"


def _dispatch_jobs() -> list:
    return [job for job in queued_jobs() if job.func_name == DISPATCH]


def _events(*where) -> list[Event]:
    return list(db.session.scalars(select(Event).where(*where).order_by(Event.id)))


def _course_updated(actor, n: int = 1) -> Event:
    return record_course_updated(actor, n)


def test_a_committed_event_a_consumer_wants_enqueues_one_dispatch_job_for_its_district(
    tenant, district, event_consumer
):
    empty_queues()
    tenant(district)

    event = _course_updated(SystemActor(district.id), 7)
    _course_updated(SystemActor(district.id), 8)
    db.session.commit()

    jobs = _dispatch_jobs()
    assert [(list(job.args), job.id) for job in jobs] == [([district.id], f"dispatch-events-{district.id}")]
    stored = db.session.get(Event, event.id)
    assert (stored.type, stored.subject_type, stored.subject_id, stored.payload) == (
        "course.updated",
        "course",
        7,
        {"code": "C7"},
    )
    assert stored.dispatched_at is None


def test_an_event_no_consumer_wants_is_stored_dispatched_and_enqueues_nothing(tenant, district, event_consumer):
    empty_queues()
    tenant(district)

    event = services.record_event(SystemActor(district.id), "school.updated", "school", 1, name="N", code="C")
    db.session.commit()

    assert _dispatch_jobs() == []
    assert db.session.get(Event, event.id).dispatched_at is not None


def test_a_rolled_back_event_enqueues_nothing_and_leaves_no_row(tenant, district, event_consumer):
    empty_queues()
    tenant(district)

    _course_updated(SystemActor(district.id), 99)
    db.session.flush()
    db.session.rollback()
    tenant(district)
    db.session.commit()

    assert _dispatch_jobs() == []
    assert _events(Event.subject_id == 99) == []


@pytest.mark.parametrize(
    ("event_type", "subject", "payload"),
    [
        ("homework.eaten", "dog", {}),  # not in the catalog
        ("course.updated", "school", {"code": "X"}),  # wrong subject
        ("course.updated", "course", {"code": "X", "title": "Y"}),  # an undeclared payload field
    ],
)
def test_an_event_the_catalog_does_not_describe_is_refused(tenant, district, event_type, subject, payload):
    tenant(district)

    with pytest.raises(ValueError, match=r"catalog|subject|payload"):
        services.record_event(SystemActor(district.id), event_type, subject, 1, **payload)


def test_a_consumer_cannot_subscribe_to_an_unknown_type(app):
    with pytest.raises(ValueError, match="unknown event types"):
        services.subscribe(app, "bad", {"homework.eaten"}, lambda batch: None)


def test_every_catalog_entry_names_its_fields_and_a_description():
    assert all(spec.description and isinstance(spec.fields, tuple) for spec in CATALOG.values())


def test_an_event_records_who_acted(make_user, tenant, district):
    teacher = make_user("teacher")
    actor = actor_for_user(district.id, teacher.id)

    event = _course_updated(actor)
    db.session.commit()

    tenant(district)
    assert db.session.get(Event, event.id).actor_id == teacher.id


def test_dispatch_hands_every_pending_event_to_its_consumers_and_marks_it(tenant, district, event_consumer):
    tenant(district)
    for n in range(3):
        _course_updated(SystemActor(district.id), n)
    services.record_event(SystemActor(district.id), "term.updated", "term", 1, name="Fall")
    db.session.commit()

    dispatched = services.dispatch_events(district.id)

    assert dispatched == 4
    assert event_consumer == [[(district.id, "course.updated")] * 3 + [(district.id, "term.updated")]]
    assert all(event.dispatched_at is not None for event in _events())


def test_dispatching_again_hands_nothing_over_twice(tenant, district, event_consumer):
    tenant(district)
    _course_updated(SystemActor(district.id))
    db.session.commit()
    services.dispatch_events(district.id)

    again = services.dispatch_events(district.id)

    assert again == 0
    assert event_consumer == [[(district.id, "course.updated")]]


def test_dispatch_works_in_batches(tenant, district, event_consumer, monkeypatch):
    monkeypatch.setattr(services, "DISPATCH_BATCH", 2)
    tenant(district)
    for n in range(5):
        _course_updated(SystemActor(district.id), n)
    db.session.commit()

    assert services.dispatch_events(district.id) == 5

    assert [len(batch) for batch in event_consumer] == [2, 2, 1]


def test_dispatch_touches_only_the_current_districts_events(make_district, tenant, district, event_consumer):
    other = make_district()
    tenant(other)
    _course_updated(SystemActor(other.id))
    db.session.commit()
    tenant(district)
    _course_updated(SystemActor(district.id))
    db.session.commit()

    services.dispatch_events(district.id)

    assert _events()[0].dispatched_at is not None
    tenant(other)
    assert [event.dispatched_at for event in _events()] == [None]


def test_pending_districts_lists_districts_with_undispatched_events_across_the_platform(
    make_district, tenant, event_consumer
):
    waiting, done = make_district(), make_district()
    for place in (waiting, done):
        tenant(place)
        _course_updated(SystemActor(place.id))
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
        _course_updated(admin, n)
    services.record_event(admin, "term.updated", "term", 1, name="Fall")
    db.session.commit()

    rows, total = services.list_events(admin, event_type="course.updated")

    assert total == 3
    assert [event.subject_id for event in rows] == [2, 1, 0]
    assert {"course.updated", "term.updated"} <= set(services.event_types(admin))


def test_list_events_pages_newest_first(make_user, tenant, district, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    admin = _admin(make_user, district)
    for n in range(5):
        _course_updated(admin, n)
    db.session.commit()

    pages = [services.list_events(admin, event_type="course.updated", page=p) for p in (1, 2, 3)]

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
    services.record_event(SystemActor(other.id), "term.updated", "term", 1, name="Elsewhere")
    db.session.commit()
    admin = _admin(make_user, district)

    rows, total = services.list_events(admin, event_type="term.updated")

    assert (rows, total) == ([], 0)
    assert "term.updated" not in services.event_types(admin)
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.district_id == other.id)) == 0
