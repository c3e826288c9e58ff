"""What the structure services share: dates as people read them, the NotFound gate, a guarded flush."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from sqlalchemy.exc import IntegrityError

from app import db
from app.errors import Invalid, NotFound


def day(value: date) -> str:
    return format_date(value, "medium")


def require(allowed: bool) -> None:
    if not allowed:
        raise NotFound()


def guarded_flush(message: str, field: str = "") -> None:
    """Flush, turning a database rule the checks missed (a concurrent save) into a message on `field`."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Invalid({field: message}) from None
