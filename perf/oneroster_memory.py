"""Peak worker memory of a roster check, for the worst files an upload may be (issue 13, finding 4).

Builds OneRoster sets that fit the upload limit but are as large as an import allows (the expansion budget in
bytes and the row budget in units, app/oneroster/services/source.py), each checked by the
product's own validate step (the job's function, in a fresh interpreter) against a fresh district:
    bomb          users.csv expanding past the budget: refused before anything is read
    too-many-rows the most valid users the budgets hold, and 20 more: refused while being read
    bad-rows      users.csv up to the budgets, every row broken in several ways (a million problems)
    users         the most valid users the budgets hold (short rows, one school)
    enrollments   the most valid enrollments the budgets hold (2,000 classes x N students)
plus any --set (a ZIP or a folder of CSVs, e.g. an export of the seeded large district, checked against
--into, an existing district, for a re-import). Peak RSS comes from resource.getrusage in the child.

Usage: DATABASE_URL=... REDIS_URL=... python perf/oneroster_memory.py [--repeat 2] [--set DIR --into demo]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MIB = 1024 * 1024
USERS_11 = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
USERS_11 += "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
MANIFEST = "propertyName,value\r\nmanifest.version,1.0\r\noneroster.version,1.1\r\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _fill(header: str, row, budget: int, rows: int | None = None) -> bytes:
    """A CSV file of rows row(0), row(1), ... until it holds `budget` bytes (or `rows` rows)."""
    parts, size, n = [header + "\r\n"], len(header) + 2, 0
    while True:
        line = row(n) + "\r\n"
        if size + len(line) > budget or n == rows:
            return "".join(parts).encode()
        parts.append(line)
        size += len(line)
        n += 1


def _manifest(*files: str) -> bytes:
    return (MANIFEST + "".join(f"file.{f},bulk\r\n" for f in files)).encode()


ORGS = b"sourcedId,name,type,identifier\r\nd1,District,district,\r\ns1,School,school,S1\r\n"
SESSIONS = (
    b"sourcedId,title,type,startDate,endDate,parentSourcedId\r\n"
    b"y1,2026-27,schoolYear,2026-08-01,2027-06-30,\r\nt1,Fall,term,2026-08-01,2026-12-20,y1\r\n"
)


def scenarios(budget: int, units: int) -> dict[str, bytes]:
    """The crafted sets, by name: each as large as the expansion budget (`budget` bytes, 4 x the upload limit)
    and the row budget (`units`, see source.ROW_COST) allow."""
    from app.oneroster.services.source import ROW_COST

    fixed = len(_manifest("orgs", "users")) + len(ORGS)
    most_users = (units - 2 * ROW_COST["orgs"]) // ROW_COST["users"] - 10
    bad = _fill(USERS_11, lambda n: f"x{n},bogus,,maybe,nowhere,wizard,,,,,,,,,,,,", budget - fixed, most_users)
    users = _fill(USERS_11, lambda n: f"u{n},,,,s1,student,,,A,B,,,,,,,,", budget - fixed, most_users)
    over = _fill(USERS_11, lambda n: f"u{n},,,,s1,student,,,A,B,,,,,,,,", budget - fixed, most_users + 20)
    classes = 2000
    spare = units - 2 * ROW_COST["orgs"] - 2 * ROW_COST["academicSessions"] - classes * ROW_COST["classes"] - 10
    students = spare // (classes * ROW_COST["enrollments"] + ROW_COST["users"])
    roster = _fill(
        "sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role",
        lambda n: f"e{n},k{n % classes},s1,u{n // classes},student",
        budget - fixed - 200_000,
        students * classes,
    )
    enrolled_users = _fill(USERS_11, lambda n: f"u{n},,,,s1,student,,,A,B,,,,,,,,", budget, students)
    class_rows = "".join(f"k{c},Class {c},c1,s1,t1\r\n" for c in range(classes))
    return {
        "bomb": _zip(
            {"manifest.csv": _manifest("users"), "users.csv": _fill(USERS_11, lambda n: "a" * 60, budget + MIB)}
        ),
        "too-many-rows": _zip({"manifest.csv": _manifest("orgs", "users"), "orgs.csv": ORGS, "users.csv": over}),
        "bad-rows": _zip({"manifest.csv": _manifest("orgs", "users"), "orgs.csv": ORGS, "users.csv": bad}),
        "users": _zip({"manifest.csv": _manifest("orgs", "users"), "orgs.csv": ORGS, "users.csv": users}),
        "enrollments": _zip(
            {
                "manifest.csv": _manifest("orgs", "academicSessions", "courses", "classes", "users", "enrollments"),
                "orgs.csv": ORGS,
                "academicSessions.csv": SESSIONS,
                "courses.csv": b"sourcedId,title,orgSourcedId\r\nc1,Course,s1\r\n",
                "classes.csv": b"sourcedId,title,courseSourcedId,schoolSourcedId,termSourcedIds\r\n"
                + class_rows.encode(),
                "users.csv": enrolled_users,
                "enrollments.csv": roster,
            }
        ),
    }


def _owner():
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql").render_as_string(False)
    return psycopg.connect(url, autocommit=True)


def child(path: Path, slug: str) -> None:
    """In a fresh interpreter: store the file as an import of `slug` and run the validate step on it."""
    import resource

    from app import create_app, db

    app = create_app()
    with app.app_context():
        from app.oneroster.services.imports import store_upload
        from app.oneroster.services.pipeline import validate_import
        from app.org.services import system_actor_for

        actor = system_actor_for(slug)
        name = path.name if path.suffix == ".zip" else f"{path.name}.zip"
        record = store_upload(actor, [(name, path.read_bytes())])
        db.session.commit()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        result = validate_import(actor, record.id)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        record = db.session.get(type(record), record.id)
        first = (record.errors or [{}])[0].get("code", "")
        print(
            json.dumps(
                result
                | {"before_mb": before, "peak_mb": peak, "seconds": seconds, "first": first, "import_id": record.id}
            )
        )


def run(path: Path, slug: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--into", slug],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise SystemExit(f"child failed for {path.name}:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=Path)
    parser.add_argument("--make", type=Path, help="(internal) write the crafted sets into this folder")
    parser.add_argument("--into", help="an existing district's slug (for --set and --child)")
    parser.add_argument("--set", type=Path, action="append", default=[], help="also measure this ZIP or folder")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", action="append", default=[], help="only these crafted scenarios")
    args = parser.parse_args()
    from app.oneroster.services.source import EXPANSION, ROW_UNITS_PER_BYTE

    limit = int(os.environ.get("MAX_CONTENT_LENGTH") or 16 * MIB)
    if args.child:
        child(args.child, args.into)
        return 0
    if args.make:
        for name, data in scenarios(limit * EXPANSION, int(limit * ROW_UNITS_PER_BYTE)).items():
            if not args.only or name in args.only:
                (args.make / f"{name}.zip").write_bytes(data)
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="oneroster-memory-"))
    slug = f"mem-{uuid.uuid4().hex[:8]}"
    with _owner() as conn:
        conn.execute("insert into districts (slug, name) values (%s, 'Memory benchmark')", (slug,))
    made: list[int] = []
    try:
        # Made in another process: a child forked from a parent holding them would inherit its peak RSS.
        only = [a for name in args.only for a in ("--only", name)]
        subprocess.run([sys.executable, __file__, "--make", str(workdir), *only], cwd=ROOT, check=True)
        files = {p.stem: (p, slug) for p in sorted(workdir.glob("*.zip"))}
        for given in args.set:
            if given.is_dir():
                given = Path(shutil.make_archive(str(workdir / given.name), "zip", given))
            files[given.name] = (given, args.into or slug)
        units = int(limit * ROW_UNITS_PER_BYTE)
        print(f"upload limit {limit / MIB:.0f} MiB; budgets: {limit * EXPANSION / MIB:.0f} MiB, {units:,} row units")
        print("| set | upload | expands to | result | problems kept / found | check | peak RSS (before check) |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, (path, into) in files.items():
            with zipfile.ZipFile(path) as archive:
                expanded = sum(m.file_size for m in archive.infolist())
            for _ in range(args.repeat):
                r = run(path, into)
                made.append(r["import_id"])
                found = f"{r.get('errors', 0):,} errors, {r.get('warnings', 0):,} warnings"
                print(
                    f"| {name} | {path.stat().st_size / 1024:,.0f} KiB | {expanded / MIB:,.1f} MiB | {r['status']}"
                    f" ({r['first'] or 'no error'}) | {found} | {r['seconds']:.1f} s | {r['peak_mb']:.0f} MB"
                    f" ({r['before_mb']:.0f} MB) |",
                    flush=True,
                )
    finally:
        with _owner() as conn:
            conn.execute("delete from oneroster_imports where id = any(%s)", (made,))
            conn.execute("delete from districts where slug = %s", (slug,))
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
