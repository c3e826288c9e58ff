"""The guardians' daily digest for every guardian of the large district, as one worker runs it (target: < 5 min).

Needs a database seeded with `flask --app wsgi seed --size large` in DATABASE_URL (the owner URL) and a REDIS_URL.
Replays the evening of the seed's latest day of posted grades (so the digest carries that day's grades as well as
missing and due work), in this one process, as the worker would: first the digest job
(`jobs.digest.send_district_digest`: gather from the gradebook, render each guardian's message in their language,
write the inbox rows and queue the mail), then the mail job that sends the queued messages (file transport into a
temporary MAIL_DIR). Before timing it removes any digest of that day, so it can be rerun.
Usage: DATABASE_URL=... REDIS_URL=... python perf/digest_benchmark.py [--district demo] [--now ISO] [--no-send]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import psycopg
from common import owner_url

ROOT = Path(__file__).resolve().parent.parent

TARGET_SECONDS = 300


def _setup(slug: str, now_arg: str | None) -> tuple[int, str, str]:
    with psycopg.connect(owner_url()) as conn:
        district_id, zone = conn.execute("select id, time_zone from districts where slug = %s", (slug,)).fetchone()
        if now_arg:
            now = now_arg
        else:
            latest = conn.execute(
                "select max(posted_at) from grades where district_id = %s", (district_id,)
            ).fetchone()[0]
            now = (latest + timedelta(hours=17)).isoformat()
        conn.execute(
            "delete from notifications where district_id = %s and dedupe_key like 'guardian_digest:%%'", (district_id,)
        )
        conn.execute("delete from mail_messages where district_id = %s and status = 'queued'", (district_id,))
        counts = conn.execute(
            "select (select count(*) from guardian_links where district_id = %(d)s),"
            " (select count(distinct guardian_id) from guardian_links where district_id = %(d)s),"
            " (select count(*) from grades where district_id = %(d)s)",
            {"d": district_id},
        ).fetchone()
    print(f"district {slug} ({district_id}): {counts[0]} guardian links, {counts[1]} guardians, {counts[2]} grades")
    return district_id, zone, now


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--district", default="demo")
    parser.add_argument("--now", help="the evening to replay (ISO 8601); default: 17 h after the latest posted grade")
    parser.add_argument("--no-send", action="store_true", help="time the digest job only, not the mail job")
    args = parser.parse_args()
    district_id, zone, now = _setup(args.district, args.now)
    os.environ.setdefault("APP_ENV", "development")
    sys.path.insert(0, str(ROOT))  # the app and its jobs, as the worker imports them
    os.environ["MAIL_DIR"] = tempfile.mkdtemp(prefix="digest-mail-")
    os.environ.pop("MAIL_SERVER", None)

    from jobs.digest import send_district_digest
    from jobs.mail import send_pending_mail
    from jobs.runner import get_app

    get_app()  # app creation is the worker's start-up, not the job's
    started = time.perf_counter()
    result = send_district_digest(district_id, zone, now)
    digest_seconds = time.perf_counter() - started
    print(f"digest job, evening of {now}: {result} in {digest_seconds:.1f} s")
    ok = digest_seconds < TARGET_SECONDS
    if not args.no_send:
        started = time.perf_counter()
        sent = send_pending_mail(district_id)
        send_seconds = time.perf_counter() - started
        print(f"mail job: {sent} messages sent (file transport) in {send_seconds:.1f} s")
        ok = ok and digest_seconds + send_seconds < TARGET_SECONDS
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB; target: digest (and mail) under {TARGET_SECONDS} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
