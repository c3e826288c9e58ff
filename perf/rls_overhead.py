"""The cost of row-level security: the same tenant queries as the app role (policies on) and as the
owner (policies bypassed), each with the same explicit district filter. Target: ratio under 1.15.

Run on seeded data:  DATABASE_URL=... python perf/rls_overhead.py [--iterations 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import psycopg
from sqlalchemy.engine import make_url

QUERIES = {
    "directory page": """
        select u.id, u.display_name, u.email, array_agg(m.role order by m.role)
        from users u join memberships m on m.user_id = u.id and m.district_id = u.district_id
        where u.district_id = %(d)s and (u.display_name ilike %(q)s or u.email ilike %(q)s)
        group by u.id order by u.display_name, u.id limit 50""",
    "role counts": """
        select role, count(distinct user_id) from memberships where district_id = %(d)s group by role""",
    "guardian's students": """
        select u.display_name from users u join guardian_links g on g.student_id = u.id
        where u.district_id = %(d)s and g.district_id = %(d)s and g.guardian_id = %(g)s""",
    "recent events": """
        select id, type, created_at from events where district_id = %(d)s order by created_at desc, id desc limit 8""",
}


def timed(conn, sql: str, params: dict, tenant: str) -> float:
    """Time the query alone; both sides set the tenant first, as every app transaction does."""
    with conn.transaction():
        conn.execute("select set_config('app.district_id', %s, true)", (tenant,))
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args()
    owner_url = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql")
    app_url = owner_url.set(username="chalkline_app", password=None)
    with (
        psycopg.connect(owner_url.render_as_string(False)) as owner,
        psycopg.connect(app_url.render_as_string(False)) as app,
    ):
        district = owner.execute("select id from districts where slug = 'demo'").fetchone()[0]
        guardian = owner.execute(
            "select guardian_id from guardian_links where district_id = %s order by guardian_id limit 1", (district,)
        ).fetchone()[0]
        params = {"d": district, "q": "%ngu%", "g": guardian}
        rows = []
        for name, sql in QUERIES.items():
            with_rls, without = [], []
            for _ in range(20):  # warm both plans and caches
                timed(app, sql, params, str(district))
                timed(owner, sql, params, str(district))
            for _ in range(args.iterations):
                with_rls.append(timed(app, sql, params, str(district)))
                without.append(timed(owner, sql, params, str(district)))
            ratio = statistics.median(with_rls) / statistics.median(without)
            rows.append((name, statistics.median(without) * 1000, statistics.median(with_rls) * 1000, ratio))
        users = owner.execute("select count(*) from users where district_id = %s", (district,)).fetchone()[0]
    print(f"district 'demo' with {users} users, {args.iterations} runs each, medians")
    print(f"{'query':22} {'no RLS ms':>10} {'RLS ms':>8} {'ratio':>6}")
    for name, plain, rls, ratio in rows:
        print(f"{name:22} {plain:10.3f} {rls:8.3f} {ratio:6.3f}")
    worst = max(r[3] for r in rows)
    print(f"worst ratio {worst:.3f} (target < 1.15): {'PASS' if worst < 1.15 else 'FAIL'}")


if __name__ == "__main__":
    main()
