"""The guardians' daily digest: each district at its own evening hour, one job per district and local day."""

from __future__ import annotations

from datetime import UTC, datetime

from jobs.runner import get_app, in_district


@in_district
def send_district_digest(district_id: int, time_zone: str, now: str | None = None) -> dict:
    """One district's digest; `now` (ISO 8601) replays a past evening (benchmarks), else it is the present."""
    from app.gradebook.digest import send_digests
    from app.identity.data import SystemActor

    moment = datetime.fromisoformat(now) if now else None
    return send_digests(SystemActor(district_id), now=moment, time_zone=time_zone)


def send_due_digests() -> int:
    """Periodic (hourly): enqueue the digest of each district whose local evening has come and whose digest of
    today has not gone out yet (the job checks again; a rerun sends nothing twice)."""
    from app import db
    from app.jobruns.queue import enqueue_now
    from app.notifications.services import digest_districts_due

    with get_app().app_context():
        db.set_tenant(None)
        due = digest_districts_due(datetime.now(UTC))
        db.session.commit()
    for district_id, time_zone, day in due:
        enqueue_now(
            "default", "jobs.digest.send_district_digest", district_id, time_zone, job_id=f"digest-{district_id}-{day}"
        )
    return len(due)
