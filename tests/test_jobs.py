"""RQ jobs run by a real (in-process) worker: job runs tracked, mail sent once, the outbox swept."""

from __future__ import annotations

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.events.models import Event
from app.identity.data import SystemActor
from app.jobruns.models import JobRun
from app.jobruns.queue import enqueue_now, get_queue
from app.jobruns.services import start_job
from app.notifications.models import MailMessage
from app.notifications.services import queue_mail
from jobs import events as event_jobs
from jobs import mail as mail_jobs
from jobs.runner import tracked
from jobs.worker import PERIODIC
from tests.factories import record_course_updated
from tests.jobqueue import empty_queues, queued_jobs, run_jobs
from tests.mail import body, link_token, sent_mail


@tracked
def explode(district_id: int, job_run_id: int, progress=None):
    """A job that gets halfway and fails (enqueued by dotted path, so it lives at module level)."""
    progress(1, 2)
    raise ValueError("boom")


def _reset_run(make_user, tenant, district):
    user = make_user("teacher")
    accounts.request_password_reset(user.email, "http://localhost")
    tenant(district)
    run = db.session.scalars(select(JobRun).where(JobRun.kind == "mail.password_reset")).one()
    return user, run.id


def _mail(tenant, district, to: str) -> None:
    tenant(district)
    queue_mail(district.id, to, "invitation", None, inviter="A", district="B", link="http://localhost/invite/x", days=1)
    db.session.commit()


def test_the_worker_sends_a_reset_mail_and_finishes_its_run(make_user, tenant, district, mail_dir):
    empty_queues()
    user, run_id = _reset_run(make_user, tenant, district)

    run_jobs()

    [message] = sent_mail(mail_dir)
    assert message["To"] == user.email
    assert link_token(body(message), "reset")
    tenant(district)
    run = db.session.get(JobRun, run_id)
    assert (run.status, run.progress, run.total, run.result, run.error) == ("done", 1, 1, {"sent": 1}, None)
    assert run.started_at is not None and run.finished_at is not None
    assert db.session.scalars(select(MailMessage.status)).all() == ["sent"]


def test_the_worker_dispatches_the_events_a_commit_recorded(tenant, district, event_consumer):
    empty_queues()
    tenant(district)
    record_course_updated(SystemActor(district.id))
    db.session.commit()

    run_jobs()

    tenant(district)
    assert db.session.scalars(select(Event.dispatched_at)).one() is not None


def test_running_a_finished_mail_job_again_sends_nothing_twice(make_user, tenant, district, mail_dir):
    empty_queues()
    _user, run_id = _reset_run(make_user, tenant, district)
    run_jobs()

    again = mail_jobs.send_mail(district.id, run_id)

    assert again == {"sent": 0}
    assert len(sent_mail(mail_dir)) == 1


def test_a_job_whose_run_is_gone_does_nothing(district, mail_dir):
    assert mail_jobs.send_mail(district.id, 987654321) is None
    assert sent_mail(mail_dir) == []


def test_a_failing_job_on_its_last_attempt_marks_its_run_failed(tenant, district, test_job_kind):
    tenant(district)
    run = start_job(SystemActor(district.id), test_job_kind, "tests.test_jobs.explode", total=2)
    db.session.commit()

    with pytest.raises(ValueError, match="boom"):
        explode(district.id, run.id)

    tenant(district)
    failed = db.session.get(JobRun, run.id)
    assert (failed.status, failed.progress, failed.error) == ("failed", 1, "ValueError: boom")
    assert failed.finished_at is not None


def test_a_failing_job_with_retries_left_stays_running_and_is_scheduled_again(tenant, district, test_job_kind):
    empty_queues()
    tenant(district)
    run = start_job(SystemActor(district.id), test_job_kind, "tests.test_jobs.explode", total=2)
    db.session.commit()
    job_id = f"run-{district.id}-{run.id}"

    try:
        run_jobs()

        registry = ScheduledJobRegistry(queue=get_queue("default"))
        assert job_id in registry.get_job_ids()
        tenant(district)
        waiting = db.session.get(JobRun, run.id)
        assert (waiting.status, waiting.error, waiting.finished_at) == ("running", None, None)
    finally:
        ScheduledJobRegistry(queue=get_queue("default")).remove(job_id, delete_job=True)


def test_the_pending_mail_job_sends_only_its_own_districts_mail(make_district, tenant, district, mail_dir):
    _mail(tenant, make_district(), "elsewhere@example.com")
    _mail(tenant, district, "here@example.com")

    assert mail_jobs.send_pending_mail(district.id) == 1

    assert [m["To"] for m in sent_mail(mail_dir)] == ["here@example.com"]


def test_the_outbox_sweep_finishes_what_a_lost_enqueue_left_behind(
    make_district, tenant, district, mail_dir, event_consumer
):
    other = make_district()
    for place in (district, other):
        tenant(place)
        record_course_updated(SystemActor(place.id))
        db.session.commit()
    _mail(tenant, other, "waiting@example.com")
    empty_queues()  # as if Redis had lost the dispatch jobs

    swept = event_jobs.sweep_outbox()

    assert swept >= 2
    for place in (district, other):
        tenant(place)
        assert db.session.scalars(select(Event.dispatched_at)).one() is not None
    assert [m["To"] for m in sent_mail(mail_dir)] == ["waiting@example.com"]
    assert queued_jobs() == []


def test_the_outbox_sweep_leaves_alone_districts_with_nothing_waiting(tenant, district, event_consumer):
    tenant(district)
    record_course_updated(SystemActor(district.id))
    db.session.commit()
    event_jobs.dispatch_events(district.id)

    tenant(None)
    from app.events.services import pending_districts

    assert district.id not in pending_districts()


def test_enqueued_work_is_retried_if_it_fails(tenant, district):
    empty_queues()

    job = enqueue_now("default", "jobs.events.dispatch_events", district.id, job_id=f"test-retry-{district.id}")

    assert job.retries_left == 3
    assert job.retry_intervals
    job.delete()


def test_the_outbox_sweep_is_a_periodic_job():
    paths = dict(PERIODIC)

    assert paths["jobs.events.sweep_outbox"] <= 300
    assert callable(event_jobs.sweep_outbox)


def test_a_periodic_job_is_scheduled_once_and_schedules_its_next_run(tenant, district):
    from jobs import worker

    registry = ScheduledJobRegistry(queue=get_queue("default"))
    job_id = worker._periodic_id("jobs.events.sweep_outbox")
    try:
        worker.schedule_next("jobs.events.sweep_outbox", 60, get_queue("default").connection)
        worker.schedule_next("jobs.events.sweep_outbox", 60, get_queue("default").connection)
        assert registry.get_job_ids().count(job_id) == 1

        registry.remove(job_id, delete_job=True)
        worker.run_periodic("jobs.events.sweep_outbox", 60)

        assert registry.get_job_ids().count(job_id) == 1
    finally:
        registry.remove(job_id, delete_job=True)
