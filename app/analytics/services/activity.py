"""The activity record: the first signed-in request of a person's day writes one row, and nothing else does.

A per-process set answers most requests without a round trip; the first request of a person's day in each
process asks Redis (SET NX with a two-day expiry), and only the one that wins writes the row (ON CONFLICT DO
NOTHING, so a lost Redis key costs one duplicate-free insert, never a wrong count)."""

from __future__ import annotations

import logging
from datetime import date

from redis.exceptions import RedisError
from sqlalchemy import text

from app import db
from app.jobruns.queue import redis_connection

log = logging.getLogger(__name__)
_SEEN: set[tuple[int, date]] = set()
_SEEN_LIMIT = 200_000
_KEY_TTL = 2 * 86400
_INSERT = text(
    "insert into user_activity_days (district_id, user_id, day) values (:d, :u, :day)"
    " on conflict (district_id, day, user_id) do nothing"
)


def record_activity(actor) -> bool:
    """The request path, for a signed-in person: note that they were active today (their own day). True when this
    call wrote the row."""
    day = actor.today()
    seen = (actor.id, day)
    if seen in _SEEN:
        return False
    if len(_SEEN) > _SEEN_LIMIT:
        _SEEN.clear()
    _SEEN.add(seen)
    try:
        first = redis_connection().set(
            f"chalkline:active:{actor.district_id}:{actor.id}:{day}", 1, nx=True, ex=_KEY_TTL
        )
    except (RedisError, OSError):  # Redis down: the database's unique key still keeps one row a day
        log.warning("activity guard unavailable; writing through", exc_info=True)
        first = True
    if not first:
        return False
    db.session.execute(_INSERT, {"d": actor.district_id, "u": actor.id, "day": day})
    db.session.commit()
    return True


def forget_seen() -> None:
    """Tests: start from an empty per-process set."""
    _SEEN.clear()
