"""Directory search over ~25,000 students and a ~35-student roster page: p50/p95 over HTTP.

Starts its own gunicorn on the database in DATABASE_URL (seeded with `flask --app wsgi seed --size large`),
then times sequential requests with `requests` from one client, so each number is one request's full
round trip on loopback (routing, session, actor load, queries, Jinja), with no queueing behind other users.
    DATABASE_URL=... REDIS_URL=... python perf/rosters_benchmark.py [--requests 400] [--workers 2]
Targets (issue 3): directory search p95 < 50 ms; 35-student roster page p95 < 30 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
PREFIXES = [
    "a", "li", "no", "em", "ol", "mi", "luc", "sof", "mat", "ari", "eth", "zo", "ami", "pri", "ken", "fat",
    "die", "han", "om", "chl", "nguyen", "gar", "smi", "joh", "pat", "kim", "oka", "ros", "coh", "sil",
    "had", "nov", "mar", "lop", "bro", "tan", "mur", "sch", "cos", "riv", "ahm", "wal", "chen", "sin",
    "1001", "10234", "s12", "t4.", "ava ngu", "noah sm",
]  # fmt: skip


def owner_url() -> str:
    return make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql").render_as_string(False)


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


def sign_in(base: str, email: str) -> requests.Session:
    client = requests.Session()
    token = CSRF.search(client.get(base + "/account/login").text).group(1)
    response = client.post(
        base + "/account/login",
        data={"email": email, "password": "chalkline-demo", "csrf_token": token},
        allow_redirects=False,
    )
    if response.status_code != 303:
        raise SystemExit(f"sign-in failed for {email}: {response.status_code}")
    return client


def timed(client: requests.Session, urls: list[str], warmup: int = 20) -> list[float]:
    for url in urls[:warmup]:
        client.get(url).raise_for_status()
    samples = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return samples


def report(name: str, samples: list[float], target: float | None) -> bool:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = "" if target is None else (" PASS" if p95 < target else " FAIL") + f" (target p95 < {target:.0f} ms)"
    print(f"{name}: n={len(samples)} p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms{verdict}")
    return target is None or p95 < target


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=5077)
    args = parser.parse_args()
    section_id, teacher, size, students = pick_section()
    env = dict(
        os.environ,
        APP_ENV="development",  # the session cookie is not Secure-only over plain http on loopback
        SECRET_KEY=os.environ.get("SECRET_KEY", "perf-" + "k" * 40),
        LOGIN_LIMIT_PER_IP="100000 per minute",
        LOGIN_LIMIT_PER_ACCOUNT="100000 per minute",
    )
    command = [sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{args.port}"]
    server = subprocess.Popen([*command, "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                if requests.get(base + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        rng = random.Random(3)
        admin = sign_in(base, "admin@demo.chalkline.test")
        search = [f"{base}/people?q={rng.choice(PREFIXES)}" for _ in range(args.requests)]
        filtered = [
            f"{base}/people?q={rng.choice(PREFIXES)}&role=student&grade={rng.randint(0, 12)}"
            for _ in range(args.requests)
        ]
        paged = [f"{base}/people?role=student&page={rng.randint(1, 400)}" for _ in range(args.requests)]
        teacher_client = sign_in(base, teacher)
        roster = [f"{base}/sections/{section_id}"] * args.requests
        mine = [f"{base}/sections/mine"] * args.requests
        print(
            f"gunicorn {args.workers} sync workers; sequential requests from one client; "
            f"{students} students in the demo district; roster: section {section_id}, {size} students, {teacher}"
        )
        results = [
            report("directory search (varied prefixes, admin)", timed(admin, search), 50),
            report("directory search + role + grade filters", timed(admin, filtered), 50),
            report("directory, students, random page", timed(admin, paged), None),
            report(f"roster page ({size} students, teacher)", timed(teacher_client, roster), 30),
            report("my sections (teacher)", timed(teacher_client, mine), None),
        ]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
