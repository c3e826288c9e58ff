"""The one worker entry: named queues plus the scheduler for periodic jobs.

python -m jobs.worker [--burst]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal

from redis import Redis
from rq import Worker
from rq.cron import CronScheduler

# The one list of periodic jobs: (dotted function path, interval in seconds).
PERIODIC = [
    ("jobs.events.sweep_outbox", 60),
]


def _redis() -> Redis:
    from jobs.runner import get_app

    return Redis.from_url(get_app().config["REDIS_URL"])


def run_scheduler() -> None:
    from app.logs import configure_logging

    configure_logging()
    import importlib

    scheduler = CronScheduler(connection=_redis())
    for path, interval in PERIODIC:
        module, name = path.rsplit(".", 1)
        scheduler.register(getattr(importlib.import_module(module), name), queue_name="default", interval=interval)
    scheduler.start()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", action="store_true", help="work until the queues are empty, then exit")
    args = parser.parse_args()
    from app.logs import configure_logging

    configure_logging()
    scheduler = None
    if not args.burst:
        scheduler = multiprocessing.Process(target=run_scheduler, name="rq-cron", daemon=True)
        scheduler.start()
    try:
        from app.jobruns.queue import QUEUES

        Worker(list(QUEUES), connection=_redis()).work(burst=args.burst, with_scheduler=True)
    finally:
        if scheduler is not None and scheduler.is_alive():
            os.kill(scheduler.pid, signal.SIGTERM)
            scheduler.join(5)


if __name__ == "__main__":
    main()
