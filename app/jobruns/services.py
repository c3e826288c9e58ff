"""The one job-run tracker: a row per user-visible job, progress written by the worker."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app import db
from app.errors import NotFound
from app.jobruns.models import JobRun
from app.jobruns.queue import after_commit_enqueue

# Kind -> lazily translated title, registered by the domain that starts that kind of job.
KIND_TITLES: dict = {}


def register_kind(kind: str, title) -> None:
    KIND_TITLES[kind] = title


def kind_title(kind: str) -> str:
    return str(KIND_TITLES.get(kind, kind))


def start_job(
    actor,
    kind: str,
    func: str,
    *args,
    queue: str = "default",
    total: int | None = None,
    dedupe_key: str | None = None,
    message: str | None = None,
) -> JobRun:
    """Create the job_runs row and enqueue `func(district_id, job_run_id, *args)` once the caller commits.

    With a dedupe key, a second request for the same work returns the existing row instead of a copy.
    """
    if dedupe_key:
        existing = db.session.scalar(select(JobRun).where(JobRun.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    run = JobRun(
        district_id=actor.district_id,
        user_id=getattr(actor, "id", None),
        kind=kind,
        total=total,
        dedupe_key=dedupe_key,
        message=message,
        status="queued",
        progress=0,
    )
    db.session.add(run)
    db.session.flush()
    after_commit_enqueue(queue, func, actor.district_id, run.id, *args, job_id=f"run-{actor.district_id}-{run.id}")
    return run


def get_job_run(actor, run_id: int) -> JobRun:
    """The actor's own job run (admins see their district's); NotFound otherwise."""
    run = db.session.get(JobRun, run_id)
    # The district check backs RLS up for a session that already holds another district's row.
    if run is None or run.district_id != actor.district_id:
        raise NotFound()
    if run.user_id != actor.id and "district_admin" not in actor.roles:
        raise NotFound()
    return run


def mark_running(run_id: int) -> JobRun | None:
    run = db.session.get(JobRun, run_id)
    if run is None:
        return None
    run.status, run.started_at, run.error = "running", run.started_at or datetime.now(UTC), None
    db.session.commit()
    return run


def report_progress(run_id: int, progress: int, total: int | None = None, message: str | None = None) -> None:
    run = db.session.get(JobRun, run_id)
    if run is None:
        return
    run.progress = progress
    if total is not None:
        run.total = total
    if message is not None:
        run.message = message
    db.session.commit()


def finish(run_id: int, result: dict | None = None, error: str | None = None) -> None:
    run = db.session.get(JobRun, run_id)
    if run is None:
        return
    run.status = "failed" if error else "done"
    run.error = error
    run.result = result
    if not error and run.total is not None:
        run.progress = run.total
    run.finished_at = datetime.now(UTC)
    db.session.commit()


def recent_runs(actor, limit: int = 5) -> list[JobRun]:
    """The actor's own latest job runs."""
    return list(
        db.session.scalars(
            select(JobRun).where(JobRun.user_id == actor.id).order_by(JobRun.created_at.desc()).limit(limit)
        )
    )
