"""Analytics rollup rebuilds: by hand (a tracked job an admin starts) and every 15 minutes for every district."""

from app.analytics import services
from app.identity.data import SystemActor
from jobs.runner import get_app, in_district, tracked


@tracked
def rebuild_analytics(district_id: int, job_run_id: int, user_id: int | None, progress=None) -> dict:
    return services.rebuild_district(SystemActor(district_id, id=user_id), progress=progress)


@in_district
def rebuild_district(district_id: int) -> dict:
    return services.rebuild_district(SystemActor(district_id))


def rebuild_all() -> int:
    """Periodic (jobs/worker.py PERIODIC): enqueue one rebuild per district, each under a fixed job id so a slow
    district never gets a second copy queued behind it."""
    from app import db
    from app.jobruns.queue import after_commit_enqueue

    with get_app().app_context():
        db.set_tenant(None)
        districts = services.district_ids()
        for district_id in districts:
            job_id = f"analytics-rebuild-{district_id}"
            after_commit_enqueue("default", "jobs.analytics.rebuild_district", district_id, job_id=job_id)
        db.session.commit()  # enqueues each one not already waiting
    return len(districts)
