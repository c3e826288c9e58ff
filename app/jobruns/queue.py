"""Enqueueing RQ jobs, only after the transaction that asked for them commits."""

from __future__ import annotations

import logging

from flask import current_app
from redis import Redis
from rq import Queue, Retry
from rq.serializers import JSONSerializer
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import db

log = logging.getLogger(__name__)
QUEUES = ("default", "exports", "pdf", "webhooks")
# Job arguments are ids and primitives, so they travel as JSON: nothing in Redis is unpickled by a worker.
SERIALIZER = JSONSerializer
PENDING_KEY = "chalkline.pending_jobs"
# Work that must finish is retried by RQ if a worker dies or the job raises.
RETRY = Retry(max=3, interval=[5, 30, 120])


def redis_connection(url: str | None = None) -> Redis:
    app = current_app._get_current_object()
    cached = app.extensions.get("redis")
    if cached is None:
        cached = Redis.from_url(url or app.config["REDIS_URL"], socket_timeout=5, socket_connect_timeout=2)
        app.extensions["redis"] = cached
    return cached


def get_queue(name: str = "default") -> Queue:
    return Queue(name, connection=redis_connection(), serializer=SERIALIZER)


def after_commit_enqueue(queue: str, func: str, *args, job_id: str | None = None) -> None:
    """Remember a job to enqueue when the current session commits; dropped on rollback."""
    pending = db.session().info.setdefault(PENDING_KEY, {})
    pending[(queue, func, args, job_id)] = True


def enqueue_now(queue: str, func: str, *args, job_id: str | None = None):
    return get_queue(queue).enqueue(func, *args, job_id=job_id, retry=RETRY, job_timeout=3600, failure_ttl=7 * 86400)


@event.listens_for(Session, "after_commit")
def _enqueue_pending(sess: Session) -> None:
    pending = sess.info.pop(PENDING_KEY, None)
    if not pending:
        return
    for queue, func, args, job_id in pending:
        try:
            if job_id and _already_queued(queue, job_id):
                continue
            enqueue_now(queue, func, *args, job_id=job_id)
        except Exception:
            log.exception("could not enqueue %s; the outbox sweep will pick it up", func)


@event.listens_for(Session, "after_rollback")
def _drop_pending(sess: Session) -> None:
    sess.info.pop(PENDING_KEY, None)


def _already_queued(queue: str, job_id: str) -> bool:
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        status = Job.fetch(job_id, connection=redis_connection(), serializer=SERIALIZER).get_status()
    except NoSuchJobError:
        return False
    return status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)
