"""The rebuild as a job: started by hand from the page (tracked) and by the periodic sweep for every district."""

from sqlalchemy import select

from app import db
from app.analytics.models import Rebuild
from tests.browser import Browser
from tests.factories import PASSWORD
from tests.jobqueue import empty_queues, queued_jobs, run_jobs


def rebuilds(district_id) -> list[Rebuild]:
    db.set_tenant(district_id, None, "system")
    return list(db.session.scalars(select(Rebuild).where(Rebuild.status == "done")))


def test_a_district_admin_starts_a_rebuild_and_a_worker_runs_it(app, counted):
    empty_queues()
    browser = Browser(app)
    browser.login(counted.admin.email, PASSWORD)
    browser.get("/analytics/district")
    response = browser.post("/analytics/rebuild", {"next": "/analytics/district?metric=guardian_reach"})
    assert response.status_code == 303 and response.headers["Location"].endswith("metric=guardian_reach")
    assert [job.func_name for job in queued_jobs()] == ["jobs.analytics.rebuild_analytics"]
    run_jobs()
    assert len(rebuilds(counted.district.id)) == 1


def test_a_rebuild_never_redirects_off_the_site(app, counted):
    browser = Browser(app)
    browser.login(counted.admin.email, PASSWORD)
    browser.get("/analytics/district")
    response = browser.post("/analytics/rebuild", {"next": "//evil.example/analytics/"})
    assert response.headers["Location"].endswith("/analytics/")
    empty_queues()


def test_the_periodic_job_queues_one_rebuild_per_district_once(app, counted):
    from jobs.analytics import rebuild_all

    empty_queues()
    count = rebuild_all()
    assert count >= 1
    jobs = queued_jobs()
    assert f"analytics-rebuild-{counted.district.id}" in {job.id for job in jobs}
    rebuild_all()  # a second sweep while the first copies wait adds none
    assert len(queued_jobs()) == len(jobs)
    empty_queues()


def test_the_worker_lists_the_rebuild_among_its_periodic_jobs():
    from jobs.worker import PERIODIC

    assert ("jobs.analytics.rebuild_all", 15 * 60) in PERIODIC
