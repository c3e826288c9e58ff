"""Issue 14: successful sign-ins per second against gunicorn, and the floor the password hash sets.

Starts gunicorn (3 sync workers, APP_ENV=development, sign-in limits raised), then --clients threads sign in
over and over for --seconds, each time as the next of the seeded accounts that have a password (all seeded
accounts share the demo password), with a fresh cookie jar: "/" -> the sign-in form -> POST, argon2id verify
included. Before that it times argon2 verify in-process (wall and CPU time) with the app's own hasher and with
OWASP's minimum parameters, and prints cores / CPU time per verify: no server can sign people in faster.
    DATABASE_URL=... REDIS_URL=... python perf/signin_benchmark.py [--seconds 20] [--clients 6]
Target (issue 14): 30 sign-ins/s reported against that floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time

from argon2 import PasswordHasher
from walk import PASSWORD, RequestsFetch, sign_in, start_gunicorn, stop, wait_until_up

OWASP = {"memory_cost": 19 * 1024, "time_cost": 2, "parallelism": 1}


def verify_cost(hasher: PasswordHasher, rounds: int = 20) -> tuple[float, float]:
    """Median wall and CPU seconds of one verify."""
    stored = hasher.hash(PASSWORD)
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        hasher.verify(stored, PASSWORD)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def seeded_emails(database_url: str, limit: int) -> list[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select email from users where password_hash is not null and is_active and email is not null "
            "order by id limit %s",
            (limit,),
        ).fetchall()
    return [row[0] for row in rows]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--port", type=int, default=5093)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    from app.config import Config

    # The app's hasher is built from these settings (app/accounts/services/passwords.py); the environment may
    # override them as the app's configuration would.
    app_hasher = PasswordHasher(
        time_cost=int(os.environ.get("ARGON2_TIME_COST", Config.ARGON2_TIME_COST)),
        memory_cost=int(os.environ.get("ARGON2_MEMORY_KIB", Config.ARGON2_MEMORY_KIB)),
        parallelism=int(os.environ.get("ARGON2_PARALLELISM", Config.ARGON2_PARALLELISM)),
    )
    for label, hasher in (("app's configuration", app_hasher), ("OWASP minimum", PasswordHasher(**OWASP))):
        wall, cpu = verify_cost(hasher)
        print(
            f"argon2id verify, {label}: m={hasher.memory_cost // 1024} MiB t={hasher.time_cost} "
            f"p={hasher.parallelism}: {wall * 1e3:.1f} ms wall, {cpu * 1e3:.1f} ms CPU -> floor "
            f"{cores} cores / CPU time = {cores / cpu:.0f} sign-ins/s"
        )
    emails = seeded_emails(os.environ["DATABASE_URL"], args.accounts)
    if not emails:
        raise SystemExit("no seeded accounts with a password: seed first")
    base = f"http://127.0.0.1:{args.port}"
    server = start_gunicorn("wsgi:app", args.port, args.workers)
    done, failed, latencies = [], [], []
    lock = threading.Lock()
    counter = iter(range(10**9))
    try:
        wait_until_up(base, "/healthz")
        deadline = time.monotonic() + args.seconds

        def client():
            while time.monotonic() < deadline:
                email = emails[next(counter) % len(emails)]
                started = time.perf_counter()
                try:
                    sign_in(RequestsFetch(base), email)
                except SystemExit as error:
                    with lock:
                        failed.append(str(error))
                    continue
                with lock:
                    done.append(email)
                    latencies.append(time.perf_counter() - started)

        started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        stop(server)
    rate = len(done) / elapsed
    print(
        f"{len(done)} sign-ins by {len(set(done))} accounts in {elapsed:.1f} s: {rate:.1f} sign-ins/s "
        f"(p50 {statistics.median(latencies) * 1e3:.0f} ms for / + form + POST; {len(failed)} failed; "
        f"{args.clients} clients, gunicorn -w {args.workers})"
    )
    if failed:
        print("first failure:", failed[0])
    print("target 30 sign-ins/s:", "met" if rate >= 30 and not failed else "not met")
    return 0 if rate >= 30 and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
