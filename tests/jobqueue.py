"""Run RQ jobs in-process on the test Redis, the way a worker would (jobs.runner uses the test app)."""

from __future__ import annotations

from rq import SimpleWorker
from rq.job import Job

from app.jobruns.queue import QUEUES, SERIALIZER, get_queue, redis_connection


def empty_queues() -> None:
    """Drop jobs other tests left behind, so a burst runs only this test's work."""
    for name in QUEUES:
        get_queue(name).empty()


def queued_jobs(name: str = "default") -> list[Job]:
    return get_queue(name).get_jobs()


def run_jobs() -> None:
    """Work every queue until empty, in this process and thread (so jobs see the test's transaction)."""
    conn = redis_connection()
    SimpleWorker([get_queue(name) for name in QUEUES], connection=conn, serializer=SERIALIZER).work(burst=True)
