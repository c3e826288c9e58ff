"""Run RQ jobs in-process on the test Redis, the way a worker would (jobs.runner uses the test app)."""

from __future__ import annotations

from rq import Queue, SimpleWorker
from rq.job import Job

from app.jobruns.queue import QUEUES, redis_connection


def empty_queues() -> None:
    """Drop jobs other tests left behind, so a burst runs only this test's work."""
    for name in QUEUES:
        Queue(name, connection=redis_connection()).empty()


def queued_jobs(name: str = "default") -> list[Job]:
    return Queue(name, connection=redis_connection()).get_jobs()


def run_jobs() -> None:
    """Work every queue until empty, in this process and thread (so jobs see the test's transaction)."""
    conn = redis_connection()
    SimpleWorker([Queue(name, connection=conn) for name in QUEUES], connection=conn).work(burst=True)
