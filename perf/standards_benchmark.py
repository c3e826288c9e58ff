"""Standards at district scale: importing a generated 5,000-item CASE framework, its unchanged re-import (no row
may change), the picker's search over it, and a course's coverage page.

    DATABASE_URL=... REDIS_URL=... python perf/standards_benchmark.py [--requests 200] [--workers 2]

On `flask --app wsgi seed --size large`, whose demo district holds a generated 5,000-item K-12 framework and
grade-6 lessons aligned to it. Targets (issue 17): import < 20 s; unchanged re-import < 10 s with no row changed;
picker search p95 < 30 ms; a course coverage page < 150 ms. The import runs the pipeline in-process (as the CLI
does) on a new framework in the `other` district, which it deletes afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid

import psycopg
from common import gunicorn, owner_url, report, sign_in, timed, timed_get

CODES = ["6.A", "6.B.2", "K.A", "3.C.4", "12.F", "7.D1.3a", "9.A.5", "1.E.2", "4.B.6a", "10.C"]
WORDS = ["ratio", "fractions using", "place value", "reason about angles", "estimate", "probability grade",
         "model equations", "real-world", "compare patterns", "area strategies"]  # fmt: skip
VERSIONS = "select count(*), md5(string_agg(id || ':' || ctid::text || ':' || xmin::text, ',' order by id)) from {}"
TABLES = ("standard_frameworks", "standard_items", "standard_edges", "standard_links")


def row_state(conn, district: int) -> dict:
    return {t: conn.execute(VERSIONS.format(t) + " where district_id = %s", (district,)).fetchone() for t in TABLES}


def import_benchmark() -> bool:
    from app import create_app, db
    from app.identity.data import SystemActor
    from app.seed.standards import case_package
    from app.standards import services

    app = create_app({"APP_ENV": "development"})
    data = json.dumps(case_package(5000, doc=str(uuid.uuid4()))).encode()
    ok = True
    with app.app_context(), psycopg.connect(owner_url(), autocommit=True) as conn:
        district = conn.execute("select id from districts where slug = 'other'").fetchone()[0]
        db.set_tenant(district, None, "system")
        actor = SystemActor(district)
        started = time.perf_counter()
        record = services.import_data(actor, "generated.json", data, apply=True)
        first = time.perf_counter() - started
        if record.status != "applied":
            raise SystemExit(f"import failed: {record.status} {record.errors[:3]}")
        print(f"import of a 5,000-item framework (parse, check, plan, write): {first:.2f} s", end="")
        print(" PASS (target < 20 s)" if first < 20 else " FAIL (target < 20 s)")
        ok &= first < 20
        before = row_state(conn, district)
        started = time.perf_counter()
        again = services.import_data(actor, "generated.json", data, apply=True)
        second = time.perf_counter() - started
        items = again.preview["items"]
        unchanged = row_state(conn, district) == before
        changes = items["create"] + items["update"] + items["retire"] + items["unretire"]
        verdict = "PASS" if second < 10 and unchanged and changes == 0 else "FAIL"
        print(
            f"unchanged re-import: {second:.2f} s, {changes} standards planned to change, rows physically "
            f"unchanged: {unchanged} {verdict} (target < 10 s, 0 rows)"
        )
        ok &= verdict == "PASS"
        conn.execute("delete from standard_frameworks where id = %s", (record.framework_id,))
        conn.execute("delete from standard_imports where id in (%s, %s)", (record.id, again.id))
    return ok


def search_service_benchmark(count: int) -> bool:
    """The search query itself (SQL and plain data), in-process: what the picker waits for besides HTTP."""
    from app import create_app, db
    from app.identity.data import SystemActor
    from app.standards import services

    app = create_app({"APP_ENV": "development"})
    with app.app_context(), psycopg.connect(owner_url(), autocommit=True) as conn:
        district = conn.execute("select id from districts where slug = 'demo'").fetchone()[0]
        items = conn.execute("select count(*) from standard_items where district_id = %s", (district,)).fetchone()
        print(f"demo district: {items[0]:,} standard items")
        db.set_tenant(district, None, "system")
        actor = SystemActor(district)
        queries = [random.choice(CODES + WORDS) for _ in range(count)]
        for q in queries[:20]:
            services.search(actor, q)
        samples = []
        for q in queries:
            started = time.perf_counter()
            services.search(actor, q)
            db.session.commit()
            samples.append((time.perf_counter() - started) * 1000)
    return report("standards.search (service, in-process)", samples, 30)


def http_benchmarks(count: int, workers: int) -> bool:
    with psycopg.connect(owner_url()) as conn:
        district = conn.execute("select id from districts where slug = 'demo'").fetchone()[0]
        course, email, aligned = conn.execute(
            """select c.id, u.email, count(distinct l.id) from courses c
               join lessons l on l.course_id = c.id and cardinality(l.standard_ids) > 0
               join sections s on s.course_id = c.id and not s.is_archived
               join section_teachers t on t.section_id = s.id join users u on u.id = t.teacher_id
               where c.district_id = %s and c.code = 'MATH6' and l.owner_id = t.teacher_id
               group by c.id, u.email order by count(distinct l.id) desc limit 1""",
            (district,),
        ).fetchone()
    ok = True
    with gunicorn(5117, workers) as base:
        client = sign_in(base, email)
        queries = [random.choice(CODES + WORDS) for _ in range(count)]
        headers = {"HX-Request": "true"}
        samples = timed(
            lambda i: client.get(f"{base}/standards/search", params={"q": queries[i], "pick": "standards"},
                                 headers=headers),
            count,
        )  # fmt: skip
        ok &= report("picker search (HTMX fragment, HTTP)", samples, 30)
        page = client.get(f"{base}/coverage/courses/{course}").text
        rows = page.count('<tr class="')
        print(f"coverage of course {course} ({aligned} aligned lessons of {email}, {rows} standards listed)")
        ok &= report("course coverage page", timed_get(client, [f"{base}/coverage/courses/{course}"] * count), 150)
        ok &= report(
            "course coverage, gaps only (HTMX)",
            timed(lambda i: client.get(f"{base}/coverage/courses/{course}?show=gaps", headers=headers), count),
            150,
        )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    random.seed(17)
    ok = True
    if not args.skip_import:
        ok &= import_benchmark()
    ok &= search_service_benchmark(args.requests)
    ok &= http_benchmarks(args.requests, args.workers)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
