"""Benchmark: requests/s and p50/p95 of the signed-in home page, Locust against gunicorn.

Needs a seeded database (`flask --app wsgi seed --size large`) in DATABASE_URL and a REDIS_URL.
    python perf/run_home_benchmark.py [--users 50] [--seconds 60] [--workers 4]
Targets (issue 2): at least 300 req/s with p95 under 100 ms on the 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "perf" / "results"


def pick_accounts(count: int) -> Path:
    """A deterministic mix: mostly teachers, students and guardians, a few admins."""
    url = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(url) as conn:
        district = conn.execute("select id from districts where slug = 'demo'").fetchone()[0]
        by_role = {}
        for role in ("teacher", "student", "guardian", "school_admin", "district_admin"):
            by_role[role] = [
                r[0]
                for r in conn.execute(
                    "select u.email from users u join memberships m on m.user_id = u.id "
                    "where u.district_id = %s and m.role = %s order by u.id limit 2000",
                    (district, role),
                )
            ]
    rng = random.Random(7)
    mix = ["teacher"] * 4 + ["student"] * 3 + ["guardian"] * 2 + ["school_admin"]
    emails = [rng.choice(by_role[rng.choice(mix)]) for _ in range(count)]
    emails[0] = "admin@demo.chalkline.test"
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "accounts.txt"
    path.write_text("\n".join(emails) + "\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gthread workers when above 1")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    accounts = pick_accounts(args.users)
    # development only so the session cookie is not Secure-only over plain http on loopback.
    env = dict(
        os.environ,
        APP_ENV="development",
        SECRET_KEY=os.environ.get("SECRET_KEY", "perf-" + "k" * 40),
        LOGIN_LIMIT_PER_IP="100000 per minute",
        LOGIN_LIMIT_PER_ACCOUNT="100000 per minute",
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                if requests.get(f"http://127.0.0.1:{args.port}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        prefix = OUT / "home"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "perf" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--accounts-file",
                str(accounts),
            ],
            cwd=ROOT,
            check=False,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)
    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "/ (signed in)":
                rps, p50, p95 = float(row["Requests/s"]), float(row["50%"]), float(row["95%"])
                failures = int(row["Failure Count"])
                print(
                    f"home: {rps:.0f} req/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms, {failures} failures "
                    f"({args.users} users, {args.seconds}s, {args.workers} gunicorn workers)"
                )
                ok = rps >= 300 and p95 < 100 and failures == 0
                print("PASS" if ok else "FAIL", "(target: >= 300 req/s, p95 < 100 ms)")
                return 0 if ok else 1
    print("no home page row in the Locust results")
    return 1


if __name__ == "__main__":
    sys.exit(main())
