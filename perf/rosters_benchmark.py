"""Directory search over ~25,000 students and a ~35-student roster page: p50/p95 over HTTP.

Starts its own gunicorn on the database in DATABASE_URL (seeded with `flask --app wsgi seed --size large`),
then times sequential requests with `requests` from one client, so each number is one request's full
round trip on loopback (routing, session, actor load, queries, Jinja), with no queueing behind other users.
    DATABASE_URL=... REDIS_URL=... python perf/rosters_benchmark.py [--requests 400] [--workers 2]
Targets (issue 3): directory search p95 < 50 ms; 35-student roster page p95 < 30 ms.
"""

from __future__ import annotations

import argparse
import random
import sys

import psycopg
from common import gunicorn, owner_url, report, sign_in, timed_get

PREFIXES = [
    "a", "li", "no", "em", "ol", "mi", "luc", "sof", "mat", "ari", "eth", "zo", "ami", "pri", "ken", "fat",
    "die", "han", "om", "chl", "nguyen", "gar", "smi", "joh", "pat", "kim", "oka", "ros", "coh", "sil",
    "had", "nov", "mar", "lop", "bro", "tan", "mur", "sch", "cos", "riv", "ahm", "wal", "chen", "sin",
    "1001", "10234", "s12", "t4.", "ava ngu", "noah sm",
]  # fmt: skip


def pick_section() -> tuple[int, str, int, int]:
    """The demo district's id, and a current section of 33-37 students with its primary teacher."""
    with psycopg.connect(owner_url()) as conn:
        district = conn.execute("select id from districts where slug = 'demo'").fetchone()[0]
        students = conn.execute(
            "select count(*) from memberships where district_id = %s and role = 'student'", (district,)
        ).fetchone()[0]
        row = conn.execute(
            """
            select s.id, u.email, count(*) from sections s
            join section_teachers x on x.section_id = s.id and x.is_primary
            join users u on u.id = x.teacher_id
            join enrollments e on e.section_id = s.id and e.dropped_on is null
            where s.district_id = %s group by s.id, u.email
            having count(*) between 33 and 37 order by count(*) desc, s.id limit 1""",
            (district,),
        ).fetchone()
    if row is None:
        raise SystemExit("no section of 33-37 students: seed with --size large first")
    return row[0], row[1], row[2], students


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=5077)
    args = parser.parse_args()
    section_id, teacher, size, students = pick_section()
    with gunicorn(args.port, args.workers) as base:
        rng = random.Random(3)
        admin = sign_in(base, "admin@demo.chalkline.test")
        search = [f"{base}/rosters/people?q={rng.choice(PREFIXES)}" for _ in range(args.requests)]
        filtered = [
            f"{base}/rosters/people?q={rng.choice(PREFIXES)}&role=student&grade={rng.randint(0, 12)}"
            for _ in range(args.requests)
        ]
        paged = [f"{base}/rosters/people?role=student&page={rng.randint(1, 400)}" for _ in range(args.requests)]
        teacher_client = sign_in(base, teacher)
        roster = [f"{base}/rosters/sections/{section_id}"] * args.requests
        mine = [f"{base}/rosters/sections/mine"] * args.requests
        print(
            f"gunicorn {args.workers} sync workers; sequential requests from one client; "
            f"{students} students in the demo district; roster: section {section_id}, {size} students, {teacher}"
        )
        results = [
            report("directory search (varied prefixes, admin)", timed_get(admin, search), 50),
            report("directory search + role + grade filters", timed_get(admin, filtered), 50),
            report("directory, students, random page", timed_get(admin, paged), None),
            report(f"roster page ({size} students, teacher)", timed_get(teacher_client, roster), 30),
            report("my sections (teacher)", timed_get(teacher_client, mine), None),
        ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
