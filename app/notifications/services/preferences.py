"""Each person's channels per kind of notification, and the signed unsubscribe link that works without signing in."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import db
from app.errors import Invalid, NotFound
from app.notifications.data import CHANNELS, TYPES
from app.notifications.models import NotificationPreference

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_PATH = "/notifications/unsubscribe/"


def _kind(type: str):
    if type not in TYPES:
        raise ValueError(f"unknown notification type {type!r}")
    return TYPES[type]


def channels_for(user_ids, type: str) -> dict[int, tuple[bool, bool]]:
    """(in_app, email) for each of these people (current district): their choice, else the kind's defaults."""
    kind = _kind(type)
    ids = list(set(user_ids))
    chosen = {
        row.user_id: (row.in_app, row.email)
        for row in db.session.scalars(
            select(NotificationPreference).where(
                NotificationPreference.user_id.in_(ids), NotificationPreference.type == type
            )
        )
    }
    return {user_id: chosen.get(user_id, (kind.in_app, kind.email)) for user_id in ids}


def preference_rows(actor) -> list[dict]:
    """The kinds offered to the actor's roles, each with its label and the actor's current channels."""
    offered = [t for t in TYPES.values() if set(t.roles) & set(actor.roles)]
    rows = []
    for kind in offered:
        current = channels_for([actor.id], kind.name)
        in_app, email = current[actor.id]
        rows.append({"type": kind.name, "label": kind.label, "in_app": in_app, "email": email})
    return rows


def save_preferences(actor, chosen: dict[str, set[str]]) -> None:
    """Any signed-in person, for themselves: `chosen` maps each offered kind to the channels switched on (a kind
    left out has both off). Raises Invalid for a kind or channel that is not offered."""
    offered = {row["type"] for row in preference_rows(actor)}
    unknown = set(chosen) - offered or {c for channels in chosen.values() for c in channels} - set(CHANNELS)
    if unknown:
        raise Invalid({"": _("Choose from the kinds and channels listed.")})
    for type in offered:
        channels = chosen.get(type, set())
        _set(actor.district_id, actor.id, type, in_app="in_app" in channels, email="email" in channels)
    db.session.commit()


def _set(district_id: int, user_id: int, type: str, **channels: bool) -> None:
    row = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user_id, NotificationPreference.type == type
        )
    )
    if row is None:
        kind = _kind(type)
        row = NotificationPreference(
            district_id=district_id, user_id=user_id, type=type, in_app=kind.in_app, email=kind.email
        )
        db.session.add(row)
    for channel, on in channels.items():
        setattr(row, channel, on)
    row.updated_at = datetime.now(UTC)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(district_id: int, user_id: int, type: str) -> str:
    """A signed token for one person and one kind: whoever holds it may turn that kind's email off, nothing more."""
    _kind(type)
    return _serializer().dumps([district_id, user_id, type])


def unsubscribe_link(token: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + UNSUBSCRIBE_PATH + token


def read_unsubscribe_token(token: str) -> tuple[int, int, str]:
    """(district id, user id, kind) of a token this app signed; NotFound for anything else (tampered, made up)."""
    try:
        district_id, user_id, type = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound() from None
    if not (isinstance(district_id, int) and isinstance(user_id, int) and type in TYPES):
        raise NotFound()
    return district_id, user_id, type


def unsubscribe_kind(token: str):
    """Anyone holding the link (no sign-in): the kind it is for, to show before confirming. NotFound if forged."""
    return TYPES[read_unsubscribe_token(token)[2]]


def unsubscribe(token: str):
    """Anyone holding the link (no sign-in): turn that kind's email off for its person; returns the kind.
    Raises NotFound for a forged or tampered token. Safe to repeat."""
    district_id, user_id, type = read_unsubscribe_token(token)
    db.set_tenant(district_id, user_id, "system")
    try:
        _set(district_id, user_id, type, email=False)
        db.session.commit()
    except IntegrityError:  # the person was removed since the mail went out
        db.session.rollback()
        raise NotFound() from None
    return TYPES[type]
