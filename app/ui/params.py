"""Reading numbers from query strings and forms without letting a hostile value reach the database."""

from __future__ import annotations

import re

from flask import request

# PostgreSQL integer range: ids, pages and years beyond it are nobody's, so they read as absent.
_INT = re.compile(r"-?\d{1,10}")
_MAX = 2**31 - 1


def to_int(value) -> int | None:
    """The integer in `value`, or None for anything else (empty, words, out of the database's range)."""
    value = (value or "").strip() if isinstance(value, str) else value
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INT.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if -_MAX <= number <= _MAX else None


def int_arg(name: str, default: int | None = None) -> int | None:
    number = to_int(request.args.get(name))
    return default if number is None else number


def page_arg() -> int:
    return max(1, min(int_arg("page", 1), 100_000))
