"""Education levels as CASE and spreadsheets write them (CEDS codes, lists, ranges) expanded to a list of codes."""

from __future__ import annotations

import re

from app.org.data import CEDS_CODES, CEDS_GRADES

# CEDS codes in grade order; a range such as "KG-02" or "09-12" covers every code between its ends.
ORDER = ("IT", "PR", "PK", "TK", "KG", *(f"{n:02d}" for n in range(1, 13)), "13", "PS", "UG", "AE")
ALIASES = {"K": "KG", "PREK": "PK", "PRE-K": "PK", "HS": None, "OTHER": None}
_GRADE = re.compile(r"\bgrades?\s+", re.IGNORECASE)
_SPLIT = re.compile(r"[,;/\s]+")
_RANGE = re.compile(r"^([A-Za-z]{1,4}|\d{1,2})\s*(?:-|\u2013|to)\s*([A-Za-z]{1,4}|\d{1,2})$")


def code_of(token: str) -> str | None:
    """One grade as a CEDS code ("6" -> "06", "K" -> "KG"); None when it is not a grade."""
    token = token.strip().upper().removeprefix("GRADE").strip()
    if token in ALIASES:
        return ALIASES[token]
    if token.isdigit():
        token = f"{int(token):02d}" if int(token) <= 13 else token
    return token if token in ORDER else None


def expand(value) -> tuple[list[str], list[str]]:
    """(codes in grade order without repeats, the tokens that are not grades) from a list, a string list
    ("06,07") or ranges ("KG-02", "6-8"). Ranges are tried before splitting so "09 - 12" stays one."""
    tokens: list[str] = []
    for part in value if isinstance(value, list) else [value]:
        if part is None:
            continue
        text = _GRADE.sub("", str(part)).strip()
        if _RANGE.match(text):
            tokens.append(text)
        else:
            tokens += [t for t in _SPLIT.split(text.replace(" - ", "-")) if t]
    codes, unknown = set(), []
    for token in tokens:
        match = _RANGE.match(token)
        if match:
            low, high = code_of(match.group(1)), code_of(match.group(2))
            if low and high and ORDER.index(low) <= ORDER.index(high):
                codes.update(ORDER[ORDER.index(low) : ORDER.index(high) + 1])
                continue
            unknown.append(token)
            continue
        code = code_of(token)
        if code:
            codes.add(code)
        else:
            unknown.append(token)
    return [code for code in ORDER if code in codes], unknown


def codes_for_grades(low: int | None, high: int | None) -> list[str] | None:
    """The CEDS codes of a course's grade range (org's numbers); None when the course names no grades."""
    if low is None and high is None:
        return None
    low, high = low if low is not None else high, high if high is not None else low
    codes = [CEDS_CODES[g] for g in range(min(low, high), max(low, high) + 1) if g in CEDS_CODES]
    if any(g == CEDS_GRADES["PK"] for g in range(min(low, high), max(low, high) + 1)):
        codes += ["IT", "PR", "TK"]
    return codes
