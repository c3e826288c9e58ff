"""The one worker entry: named queues, RQ's scheduler, and the one list of periodic jobs.

python -m jobs.worker [--burst]

Periodic jobs run through RQ's own scheduler (`enqueue_in`, handled by the worker's `with_scheduler`): each run
schedules the next one under a fixed job id, and the worker seeds the first run when it starts. Jobs travel as
JSON (app/jobruns/queue.py), which RQ's CronScheduler cannot do: it always pickles.
"""

from __future__ import annotations

import argparse
import importlib
import logging
from datetime import timedelta

from redis import Redis
from rq import Worker

log = logging.getLogger(__name__)
# The one list of periodic jobs: (dotted function path, interval in seconds).
PERIODIC = [
    ("jobs.events.sweep_outbox", 60),
    ("jobs.analytics.rebuild_all", 15 * 60),
    ("jobs.compliance.upkeep", 3600),
    ("jobs.compliance.sweep_retention", 86400),
    ("jobs.digest.send_due_digests", 3600),
]


def _redis() -> Redis:
    from jobs.runner import get_app

    return Redis.from_url(get_app().config["REDIS_URL"])


def _periodic_id(path: str) -> str:
    return "periodic-" + path.replace(".", "-")


def schedule_next(path: str, interval: int, connection: Redis) -> None:
    """Put the next run of a periodic job on RQ's schedule (one per job: the fixed id replaces any other)."""
    from rq import Queue

    from app.jobruns.queue import SERIALIZER

    queue = Queue("default", connection=connection, serializer=SERIALIZER)
    queue.enqueue_in(timedelta(seconds=interval), "jobs.worker.run_periodic", path, interval, job_id=_periodic_id(path))


def run_periodic(path: str, interval: int):
    """Run one periodic job, then schedule its next run (also when this run fails: the next one may succeed)."""
    from rq import get_current_job

    module, name = path.rsplit(".", 1)
    try:
        return getattr(importlib.import_module(module), name)()
    finally:
        job = get_current_job()
        if job is not None:
            schedule_next(path, interval, job.connection)
        else:
            from app.jobruns.queue import redis_connection
            from jobs.runner import get_app

            with get_app().app_context():
                schedule_next(path, interval, redis_connection())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", action="store_true", help="work until the queues are empty, then exit")
    args = parser.parse_args()
    from app.jobruns.queue import QUEUES, SERIALIZER
    from app.logs import configure_logging

    configure_logging()
    connection = _redis()
    if not args.burst:
        for path, interval in PERIODIC:
            schedule_next(path, interval, connection)
    Worker(list(QUEUES), connection=connection, serializer=SERIALIZER).work(burst=args.burst, with_scheduler=True)


if __name__ == "__main__":
    main()
