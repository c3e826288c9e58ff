"""The one job-run tracker: a row per user-visible job, progress written by the worker."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select

from app import db
from app.errors import NotFound
from app.identity.data import is_district_wide
from app.jobruns.models import JobRun
from app.jobruns.queue import QUEUES, after_commit_enqueue

KINDS_KEY = "job_kinds"


def register_kinds(app, kinds: dict) -> None:
    """Wiring (create_app): each domain's JOB_KINDS, kind -> lazily translated title shown on progress pages."""
    registry = app.extensions.setdefault(KINDS_KEY, {})
    for kind, title in kinds.items():
        if kind in registry:
            raise ValueError(f"job kind {kind!r} is registered twice")
        registry[kind] = title


def kind_title(kind: str) -> str:
    return str(current_app.extensions.get(KINDS_KEY, {}).get(kind, kind))


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
    Raises ValueError for a kind no domain registered or a queue the worker does not listen on.
    """
    if kind not in current_app.extensions.get(KINDS_KEY, {}):
        raise ValueError(f"job kind {kind!r} is not registered (add it to its domain's JOB_KINDS)")
    if queue not in QUEUES:
        raise ValueError(f"queue {queue!r} is not one of {QUEUES}")
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
    run = db.scoped_get(actor, JobRun, run_id)
    if run is None:
        raise NotFound()
    if run.user_id != actor.id and not is_district_wide(actor):
        raise NotFound()
    return run


def get_run_of(actor, run_id: int | None) -> JobRun | None:
    """The run a record of the caller's points to (an import's, a rollover's); the caller checked the record."""
    return db.scoped_get(actor, JobRun, run_id)


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
