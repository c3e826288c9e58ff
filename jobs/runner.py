"""The one job decorator: app context, tenant from explicit ids, job_runs tracking, failure recorded."""

from __future__ import annotations

import functools
import logging

from rq import get_current_job

log = logging.getLogger(__name__)
_app = None


def get_app():
    """One app per worker process, built on first use (never at import time)."""
    global _app
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app


def tracked(func):
    """For `func(district_id, job_run_id, *args)`: marks the run running, passes a progress callback,
    records done or failed. A retried job starts over from the run's current state."""

    @functools.wraps(func)
    def wrapper(district_id: int, job_run_id: int, *args):
        from app import db
        from app.jobruns import services as runs

        with get_app().app_context():
            db.set_tenant(district_id, None, "system")
            run = runs.mark_running(job_run_id)
            if run is None:
                log.warning("job run %s of district %s is gone; nothing to do", job_run_id, district_id)
                return None
            db.set_tenant(district_id, run.user_id, "system")

            def progress(done: int, total: int | None = None, message: str | None = None) -> None:
                runs.report_progress(job_run_id, done, total, message)

            try:
                result = func(district_id, job_run_id, *args, progress=progress)
            except Exception as exc:
                db.session.rollback()
                job = get_current_job()
                final = job is None or not job.retries_left
                if final:
                    runs.finish(job_run_id, error=f"{type(exc).__name__}: {exc}"[:1000])
                raise
            runs.finish(job_run_id, result=result if isinstance(result, dict) else {"value": result})
            return result

    return wrapper


def in_district(func):
    """For untracked system jobs `func(district_id, *args)`: app context and tenant only."""

    @functools.wraps(func)
    def wrapper(district_id: int, *args):
        from app import db

        with get_app().app_context():
            db.set_tenant(district_id, None, "system")
            return func(district_id, *args)

    return wrapper
