"""The job-run tracker: a row per job, enqueued only after commit, progress and outcome recorded."""

from __future__ import annotations

import pytest

from app import db
from app.accounts.services import actor_for_user
from app.errors import NotFound
from app.identity.data import SystemActor
from app.jobruns import services
from app.jobruns.models import JobRun
from tests.jobqueue import empty_queues, queued_jobs

pytestmark = pytest.mark.usefixtures("test_job_kind")


def _actor(make_user, district, role="teacher"):
    return actor_for_user(district.id, make_user(role).id)


def test_start_job_makes_a_queued_row_and_enqueues_its_job_after_commit(make_user, district):
    empty_queues()
    actor = _actor(make_user, district)

    run = services.start_job(actor, "test.kind", "jobs.mail.send_mail", "extra", total=3)
    assert queued_jobs() == []
    db.session.commit()

    assert (run.status, run.progress, run.total, run.user_id) == ("queued", 0, 3, actor.id)
    [job] = queued_jobs()
    assert job.func_name == "jobs.mail.send_mail"
    assert list(job.args) == [district.id, run.id, "extra"]
    assert job.id == f"run-{district.id}-{run.id}"
    assert job.retries_left == 3


def test_start_job_on_another_queue_goes_to_that_queue(make_user, district):
    empty_queues()
    actor = _actor(make_user, district)

    services.start_job(actor, "test.kind", "jobs.mail.send_mail", queue="exports")
    db.session.commit()

    assert queued_jobs("default") == []
    assert len(queued_jobs("exports")) == 1


def test_a_rolled_back_start_job_enqueues_nothing(make_user, tenant, district):
    empty_queues()
    actor = _actor(make_user, district)

    run = services.start_job(actor, "test.kind", "jobs.mail.send_mail")
    run_id = run.id
    db.session.rollback()
    tenant(district)
    db.session.commit()

    assert queued_jobs() == []
    assert db.session.get(JobRun, run_id) is None


def test_a_second_start_with_the_same_dedupe_key_returns_the_first_run(make_user, district):
    empty_queues()
    actor = _actor(make_user, district)

    first = services.start_job(actor, "test.kind", "jobs.mail.send_mail", dedupe_key="export-2026")
    db.session.commit()
    second = services.start_job(actor, "test.kind", "jobs.mail.send_mail", dedupe_key="export-2026")
    db.session.commit()

    assert second.id == first.id
    assert len(queued_jobs()) == 1


def test_a_system_actor_starts_a_run_that_belongs_to_nobody(district, tenant):
    tenant(district)

    run = services.start_job(SystemActor(district.id), "test.kind", "jobs.mail.send_mail")

    assert run.user_id is None and run.district_id == district.id


def test_get_job_run_gives_owners_and_district_admins_the_run_and_others_not_found(make_user, district):
    owner = _actor(make_user, district)
    run = services.start_job(owner, "test.kind", "jobs.mail.send_mail")
    db.session.commit()
    colleague = _actor(make_user, district)
    principal = _actor(make_user, district, "school_admin")
    admin = _actor(make_user, district, "district_admin")

    assert services.get_job_run(owner, run.id).id == run.id
    assert services.get_job_run(admin, run.id).id == run.id
    for outsider in (colleague, principal):
        with pytest.raises(NotFound):
            services.get_job_run(outsider, run.id)
    with pytest.raises(NotFound):
        services.get_job_run(owner, run.id + 10_000)


def test_another_districts_admin_cannot_get_the_run(make_user, make_district, district):
    run = services.start_job(_actor(make_user, district), "test.kind", "jobs.mail.send_mail")
    db.session.commit()
    other = make_district()
    foreign_admin = actor_for_user(other.id, make_user("district_admin", district=other).id)
    db.session.expunge_all()  # as in a new request: nothing remembered from the other district

    with pytest.raises(NotFound):
        services.get_job_run(foreign_admin, run.id)


def test_progress_and_a_successful_finish_are_recorded(make_user, tenant, district):
    run = services.start_job(_actor(make_user, district), "test.kind", "jobs.mail.send_mail", total=10)
    db.session.commit()

    started = services.mark_running(run.id)
    services.report_progress(run.id, 4, message="Four down")
    halfway = (run.status, run.progress, run.total, run.message, run.percent)
    services.finish(run.id, result={"sent": 10})

    assert started.started_at is not None
    assert halfway == ("running", 4, 10, "Four down", 40)
    assert (run.status, run.progress, run.result, run.error) == ("done", 10, {"sent": 10}, None)
    assert run.finished_at is not None and not run.is_active


def test_a_failed_finish_keeps_the_progress_and_records_the_error(make_user, district):
    run = services.start_job(_actor(make_user, district), "test.kind", "jobs.mail.send_mail", total=10)
    db.session.commit()
    services.mark_running(run.id)
    services.report_progress(run.id, 3)

    services.finish(run.id, error="OSError: disk full")

    assert (run.status, run.progress, run.error) == ("failed", 3, "OSError: disk full")
    assert not run.is_active


def test_a_restarted_run_keeps_its_first_start_time_and_clears_the_error(make_user, district):
    run = services.start_job(_actor(make_user, district), "test.kind", "jobs.mail.send_mail")
    db.session.commit()
    first_start = services.mark_running(run.id).started_at
    run.error = "worker died"
    db.session.commit()

    services.mark_running(run.id)

    assert run.started_at == first_start
    assert run.error is None


def test_tracking_calls_for_a_missing_run_do_nothing(tenant, district):
    tenant(district)

    assert services.mark_running(123456789) is None
    services.report_progress(123456789, 1)
    services.finish(123456789, result={})


def test_a_registered_kind_has_a_readable_title():
    assert services.kind_title("test.kind") == "A test job"
    assert services.kind_title("test.unregistered") == "test.unregistered"
    assert services.kind_title("mail.invitations") == "Sending invitations"


def test_every_domain_that_starts_jobs_registers_its_kinds(app):
    from app import JOB_KIND_OWNERS

    registered = app.extensions[services.KINDS_KEY]
    assert {"mail.invitations", "mail.password_reset", "org.rollover_apply", "oneroster.apply"} <= set(registered)
    assert JOB_KIND_OWNERS


def test_a_kind_no_domain_registered_cannot_be_started(make_user, district):
    with pytest.raises(ValueError, match="not registered"):
        services.start_job(_actor(make_user, district), "nobody.registered", "jobs.mail.send_mail")


def test_a_queue_the_worker_does_not_listen_on_is_refused(make_user, district):
    with pytest.raises(ValueError, match="queue"):
        services.start_job(_actor(make_user, district), "test.kind", "jobs.mail.send_mail", queue="elsewhere")


def test_a_kind_cannot_be_registered_twice(app):
    with pytest.raises(ValueError, match="twice"):
        services.register_kinds(app, {"mail.invitations": "Again"})
