"""OneRoster at scale: export the seeded large district, import it into a fresh district, re-import it unchanged.

Needs a database seeded with `flask --app wsgi seed --size large` in DATABASE_URL (the owner URL, as for
`flask db upgrade`) and a REDIS_URL. Runs the product's own commands as district IT would, each timed end to end
as a subprocess (interpreter start and app creation included):
    flask --app wsgi oneroster export DIR --district demo
    flask --app wsgi oneroster import DIR --district <fresh> --apply      (target: under 2 minutes)
    flask --app wsgi oneroster import DIR --district <fresh> --apply      (unchanged; target: under 1 minute)
Usage: DATABASE_URL=... REDIS_URL=... python perf/oneroster_benchmark.py [--source demo] [--target import-bench] [--zip]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
COUNTS = """
    select (select count(*) from users where district_id = %(d)s) as users,
           (select count(*) from memberships where district_id = %(d)s and role = 'student') as students,
           (select count(*) from guardian_links where district_id = %(d)s) as guardian_links,
           (select count(*) from courses where district_id = %(d)s) as courses,
           (select count(*) from sections where district_id = %(d)s) as sections,
           (select count(*) from enrollments where district_id = %(d)s and dropped_on is null) as enrollments
"""


def owner_url() -> str:
    return make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql").render_as_string(False)


def counts(slug: str) -> dict[str, int]:
    with psycopg.connect(owner_url()) as conn:
        row = conn.execute("select id from districts where slug = %s", (slug,)).fetchone()
        if row is None:
            return {}
        cursor = conn.execute(COUNTS, {"d": row[0]})
        return dict(zip([c.name for c in cursor.description], cursor.fetchone(), strict=True))


def fresh_district(slug: str) -> None:
    """An empty district to import into (made as the owner, like provisioning a new customer)."""
    with psycopg.connect(owner_url()) as conn:
        if conn.execute("select 1 from districts where slug = %s", (slug,)).fetchone():
            raise SystemExit(f"district {slug} exists already: pass another --target or reseed")
        conn.execute("insert into districts (slug, name) values (%s, %s)", (slug, "OneRoster Benchmark District"))


def flask(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    tail = [line for line in (done.stdout + done.stderr).splitlines() if "alembic" not in line][-12:]
    print(f"$ flask --app wsgi {' '.join(args)}\n  exit {done.returncode} in {seconds:.1f}s")
    for line in tail:
        print("  | " + line[:200])
    return seconds, done


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default="demo")
    parser.add_argument("--target", default="import-bench")
    parser.add_argument("--zip", action="store_true", help="import a zip of the exported files instead of the folder")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="oneroster-bench-"))
    export_dir = workdir / "export"
    export_dir.mkdir()
    ok = True
    try:
        print("source:", counts(args.source))
        export_seconds, done = flask("oneroster", "export", str(export_dir), "--district", args.source)
        if done.returncode != 0:
            return 1
        for path in sorted(export_dir.iterdir()):
            lines = sum(1 for _ in path.open(encoding="utf-8")) - 1
            print(f"  {path.name}: {lines:,} rows, {path.stat().st_size / 1e6:.1f} MB")
        # Email addresses are unique across districts: the copy gets the fresh district's domain, as a new customer's
        # SIS export would; sourcedIds stay as they are (they are unique per district).
        for path in export_dir.glob("*.csv"):
            body = path.read_text(encoding="utf-8")
            path.write_text(body.replace(f"@{args.source}.", f"@{args.target}."), encoding="utf-8")
        source = export_dir
        if args.zip:
            source = Path(shutil.make_archive(str(workdir / "roster"), "zip", export_dir))
        fresh_district(args.target)
        first, done = flask("oneroster", "import", str(source), "--district", args.target, "--apply")
        ok &= done.returncode == 0
        after_first = counts(args.target)
        print("imported:", after_first)
        again, done = flask("oneroster", "import", str(source), "--district", args.target, "--apply")
        ok &= done.returncode == 0
        after_again = counts(args.target)
        unchanged = after_again == after_first
        print("re-imported:", after_again, "(unchanged)" if unchanged else "(CHANGED)")
        print(f"export {export_seconds:.1f}s; import {first:.1f}s (target < 120 s); re-import {again:.1f}s (< 60 s)")
        ok &= first < 120 and again < 60 and unchanged
        print("PASS" if ok else "FAIL")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
