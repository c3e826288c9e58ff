"""OneRoster at scale: export the seeded large district, import it into a fresh district, re-import it unchanged,
then import a delta of 1% changes; in OneRoster 1.1 and 1.2.

Needs a database seeded with `flask --app wsgi seed --size large` in DATABASE_URL (the owner URL, as for
`flask db upgrade`) and a REDIS_URL. Runs the product's own commands as district IT would, each timed end to end
as a subprocess (interpreter start and app creation included), per version:
    flask --app wsgi oneroster export DIR --district demo --version V
    flask --app wsgi oneroster import DIR --district <fresh> --apply      (target: under 2 minutes)
    flask --app wsgi oneroster import DIR --district <fresh> --apply      (unchanged; target: under 1 minute)
    flask --app wsgi oneroster import DELTA --district <fresh> --apply    (1% changes; target: under 10 s)
The delta holds 1% of the people with a changed given name and 1% of the enrollments marked tobedeleted
(manifest: users and enrollments delta, every other file absent).
Usage: DATABASE_URL=... REDIS_URL=... python perf/oneroster_benchmark.py [--versions 1.1,1.2] [--source demo]
       [--target import-bench] [--zip]
"""

from __future__ import annotations

import argparse
import csv
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
           (select count(*) from users where district_id = %(d)s and is_active) as active_users,
           (select count(*) from memberships where district_id = %(d)s and role = 'student') as students,
           (select count(*) from guardian_links where district_id = %(d)s) as guardian_links,
           (select count(*) from courses where district_id = %(d)s) as courses,
           (select count(*) from sections where district_id = %(d)s) as sections,
           (select count(*) from enrollments where district_id = %(d)s and dropped_on is null) as enrollments
"""
EVERY = 100  # 1% of the rows change in the delta


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
    tail = [line for line in (done.stdout + done.stderr).splitlines() if "alembic" not in line][-14:]
    print(f"$ flask --app wsgi {' '.join(args)}\n  exit {done.returncode} in {seconds:.1f}s")
    for line in tail:
        print("  | " + line[:200])
    return seconds, done


def make_delta(export_dir: Path, delta_dir: Path, version: str) -> tuple[int, int]:
    """1% of the people renamed and 1% of the enrollments ended, as a delta set; returns (people, enrollments)."""
    delta_dir.mkdir()
    changed = {}
    for name in ("users", "enrollments"):
        with (export_dir / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = [row for n, row in enumerate(reader) if n % EVERY == 0]
            header = reader.fieldnames
        if name == "users":
            for row in rows:
                row["givenName"] += "-Delta"
        else:
            rows = [row | {"status": "tobedeleted"} for row in rows if row["role"] == "student"]
        with (delta_dir / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
        changed[name] = len(rows)
    files = ("academicSessions", "classes", "courses", "demographics", "orgs", "roles", "userProfiles")
    manifest = ["propertyName,value", "manifest.version,1.0", f"oneroster.version,{version}"]
    manifest += ["file.users,delta", "file.enrollments,delta"] + [f"file.{f},absent" for f in files]
    (delta_dir / "manifest.csv").write_text("\r\n".join(manifest) + "\r\n", encoding="utf-8")
    return changed["users"], changed["enrollments"]


def no_changes(done: subprocess.CompletedProcess) -> bool:
    lines = [line for line in done.stdout.splitlines() if " to create, " in line]
    return bool(lines) and all("0 to create, 0 to update, 0 to deactivate" in line for line in lines)


def bench(version: str, source: str, target: str, workdir: Path, zipped: bool) -> bool:
    export_dir = workdir / f"export-{version}"
    export_dir.mkdir()
    print(f"\n## OneRoster {version}\nsource:", counts(source))
    export_seconds, done = flask("oneroster", "export", str(export_dir), "--district", source, "--version", version)
    if done.returncode != 0:
        return False
    for path in sorted(export_dir.iterdir()):
        lines = sum(1 for _ in path.open(encoding="utf-8")) - 1
        print(f"  {path.name}: {lines:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    # Email addresses are unique across districts: the copy gets the fresh district's domain, as a new customer's
    # SIS export would; sourcedIds stay as they are (they are unique per district).
    for path in export_dir.glob("*.csv"):
        body = path.read_text(encoding="utf-8")
        path.write_text(body.replace(f"@{source}.", f"@{target}."), encoding="utf-8")
    people, ended = make_delta(export_dir, workdir / f"delta-{version}", version)
    imported = export_dir
    if zipped:
        imported = Path(shutil.make_archive(str(workdir / f"roster-{version}"), "zip", export_dir))
    fresh_district(target)
    first, done = flask("oneroster", "import", str(imported), "--district", target, "--apply")
    ok = done.returncode == 0
    after_first = counts(target)
    print("imported:", after_first)
    again, done = flask("oneroster", "import", str(imported), "--district", target, "--apply")
    ok &= done.returncode == 0 and no_changes(done)
    after_again = counts(target)
    unchanged = after_again == after_first
    print("re-imported:", after_again, "(unchanged)" if unchanged else "(CHANGED)")
    delta, done = flask("oneroster", "import", str(workdir / f"delta-{version}"), "--district", target, "--apply")
    ok &= done.returncode == 0
    after_delta = counts(target)
    print(f"delta of {people:,} renamed people and {ended:,} ended enrollments:", after_delta)
    ok &= after_delta["enrollments"] == after_first["enrollments"] - ended
    ok &= after_delta["users"] == after_first["users"]
    print(
        f"{version}: export {export_seconds:.1f}s; import {first:.1f}s (target < 120 s); re-import {again:.1f}s"
        f" (< 60 s); delta {delta:.1f}s (< 10 s)"
    )
    return ok and first < 120 and again < 60 and delta < 10 and unchanged


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default="demo")
    parser.add_argument("--target", default="import-bench")
    parser.add_argument("--versions", default="1.1,1.2")
    parser.add_argument("--zip", action="store_true", help="import a zip of the exported files instead of the folder")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="oneroster-bench-"))
    ok = True
    try:
        for version in args.versions.split(","):
            target = f"{args.target}-{version.replace('.', '')}"
            ok &= bench(version, args.source, target, workdir, args.zip)
        print("PASS" if ok else "FAIL")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
