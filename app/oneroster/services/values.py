"""Cell values as student information systems write them, read into one form (no database, no problems kept:
callers decide what is a warning and what an error).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from app.org.data import CEDS_GRADES

DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
USER_ID_RE = re.compile(r"^\{\s*([^:{}]+?)\s*:\s*([^{}]*?)\s*\}$")
LIST_SPLIT = re.compile(r"[,;|]")
# Grade spellings beyond CEDS codes, each as the code it stands for.
GRADE_ALIASES = {"K": "KG", "0": "KG", "00": "KG", "P": "PK", "PRE-K": "PK", "PREK": "PK"}
BOOLEANS = {"true": True, "false": False}
BAD = object()  # a value that is there but cannot be read


@lru_cache(maxsize=4096)
def day(value: str):
    """A date from YYYY-MM-DD with or without a time (kept as the date written); None for empty, BAD if not
    a date. Cached: a file repeats a handful of dates, and the cache shares one object per date."""
    if not value:
        return None
    match = DATE_RE.match(value)
    if not match:
        return BAD
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return BAD


def enum(value: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed value `value` is in any letter case, else None."""
    if value in allowed:
        return value
    lower = value.lower()
    return next((a for a in allowed if a.lower() == lower), None)


def boolean(value: str):
    """True or False in any letter case; None for empty, BAD otherwise."""
    if not value:
        return None
    return BOOLEANS.get(value.lower(), BAD)


def split_list(value: str) -> list[str]:
    """A OneRoster list: comma separated, and as exporters also write it, with ; or |, spaces, quotes or
    brackets around the items."""
    items = (item.strip().strip("\"'[]{}() ") for item in LIST_SPLIT.split(value))
    return [item for item in items if item]


def grade_codes(value: str) -> tuple[list[int], list[str]]:
    """(grade levels, codes not understood) of a `grades` list."""
    levels, unknown = [], []
    for code in split_list(value):
        code = GRADE_ALIASES.get(code.upper(), code.upper())
        if code in CEDS_GRADES:
            levels.append(CEDS_GRADES[code])
        else:
            unknown.append(code)
    return levels, unknown


def user_ids(value: str) -> list[tuple[str, str]] | None:
    """`{LDAP:12},{LTI:15}` as [(type, id)]; None when a part is not `{type:id}`."""
    parts = re.findall(r"\{[^{}]*\}|[^,{}\s][^,{}]*", value)
    pairs = []
    for part in parts:
        match = USER_ID_RE.match(part.strip())
        if not match:
            return None
        pairs.append((match.group(1), match.group(2)))
    return pairs


def cut(value: str, size: int) -> str | None:
    return value[:size] or None
