"""`flask --app wsgi seed --size large` end to end on a fresh database. Target (issue 3): under 3 minutes.

Creates the database named by --database on the server of DATABASE_URL (an owner URL that may create databases),
migrates it, then times the seed command as a subprocess (interpreter start and app creation included) and
prints the row counts. Keeps the database with --keep, e.g. to run perf/rosters_benchmark.py on it next.
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/chalkline REDIS_URL=... python perf/seed_benchmark.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("districts", "schools", "users", "memberships", "guardian_links", "academic_years", "terms", "courses",
          "sections", "section_teachers", "enrollments")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="chalkline_seed_bench")
    parser.add_argument("--size", default="large", choices=["demo", "small", "large"])
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    base = make_url(os.environ["DATABASE_URL"])
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(False)
    target = base.set(database=args.database)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{args.database}" with (force)')
        conn.execute(f'create database "{args.database}"')
    env = dict(
        os.environ, APP_ENV=os.environ.get("APP_ENV", "development"), DATABASE_URL=target.render_as_string(False)
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    try:
        step = subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True)
        if step.returncode:
            raise SystemExit(f"db upgrade failed:\n{step.stderr[-2000:]}")
        started = time.perf_counter()
        done = subprocess.run([*flask, "seed", "--size", args.size], cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode:
            raise SystemExit(f"seed failed:\n{done.stderr[-2000:]}")
        print(done.stdout.strip())
        with psycopg.connect(target.set(drivername="postgresql").render_as_string(False)) as conn:
            for table in TABLES:
                print(f"  {table}: {conn.execute(f'select count(*) from {table}').fetchone()[0]:,}")
        print(f"seed --size {args.size}: {seconds:.1f}s end to end", "PASS" if seconds < 180 else "FAIL", "(< 180 s)")
    finally:
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'drop database if exists "{args.database}" with (force)')
    return 0 if seconds < 180 else 1


if __name__ == "__main__":
    sys.exit(main())
