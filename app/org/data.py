"""The one grade-level vocabulary: numbers as stored, labels as shown, CEDS codes as OneRoster and CASE write them;
and the school calendar's (weekdays, rotations, kinds of days off, a school's schedule as plain data).

Grade levels are stored as small integers: -1 pre-kindergarten, 0 kindergarten, 1 to 12, and 13 for a student
past grade 12 (OneRoster's "13", also where year rollover leaves graduates).
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PRE_K, KINDERGARTEN, HIGHEST_GRADE, GRADUATED = -1, 0, 12, 13
LOWEST_GRADE = PRE_K
GRADE_LEVELS = tuple(range(PRE_K, GRADUATED + 1))
_NAMED = {PRE_K: _l("Pre-K"), KINDERGARTEN: _l("Kindergarten"), GRADUATED: _l("Post-graduate")}
# CEDS grade codes (OneRoster `grades`, CASE `educationLevel`) -> grade level. Infant, preschool and
# transitional kindergarten all land on pre-K; "PS" (postsecondary) on 13.
CEDS_GRADES = {"IT": PRE_K, "PR": PRE_K, "PK": PRE_K, "TK": PRE_K, "KG": KINDERGARTEN, "13": GRADUATED, "PS": GRADUATED}
CEDS_GRADES.update({f"{n:02d}": n for n in range(1, 13)})
CEDS_GRADES.update({str(n): n for n in range(1, 13)})
CEDS_CODES = {PRE_K: "PK", KINDERGARTEN: "KG", GRADUATED: "13"} | {n: f"{n:02d}" for n in range(1, 13)}


def grade_label(grade: int | None) -> str:
    """ "Kindergarten", "Grade 5", "Post-graduate"; "" for no grade."""
    if grade is None:
        return ""
    return str(_NAMED.get(grade) or _("Grade %(n)d", n=grade))


def grade_choices(upto: int = GRADUATED) -> list[tuple[int, str]]:
    return [(grade, grade_label(grade)) for grade in GRADE_LEVELS if grade <= upto]


# The school calendar's vocabulary (docs/decisions/0012-school-calendar.md). Weekdays are ISO numbers, 1 Monday
# to 7 Sunday, as date.isoweekday() gives them.
WEEKDAYS = (1, 2, 3, 4, 5, 6, 7)
DEFAULT_WEEKDAYS = (1, 2, 3, 4, 5)
ROTATIONS = {"none": _l("None: every school day is alike"), "ab": _l("A/B days"), "blocks": _l("Numbered block days")}
MIN_ROTATION_DAYS, MAX_ROTATION_DAYS = 2, 10
DAY_OFF_KINDS = {
    "holiday": _l("Holiday"),
    "break": _l("Break"),
    "professional_development": _l("Professional development"),
    "weather": _l("Weather closure"),
    "other": _l("Other"),
}


@dataclass(frozen=True)
class SchoolSchedule:
    """A school's instructional weekdays and day rotation, as plain data other domains may read."""

    weekdays: tuple[int, ...] = DEFAULT_WEEKDAYS
    rotation: str = "none"
    rotation_days: int | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """The rotation's day labels in order: ("A", "B"), ("1", ..., "N"), or () for no rotation."""
        return rotation_labels(self.rotation, self.rotation_days)


def rotation_labels(rotation: str, rotation_days: int | None) -> tuple[str, ...]:
    if rotation == "ab":
        return ("A", "B")
    if rotation == "blocks" and rotation_days:
        return tuple(str(n) for n in range(1, rotation_days + 1))
    return ()


def rotation_day_name(label: str) -> str:
    """ "A day", "Day 3": a rotation day as the pages name it (the label itself stays "A" or "3")."""
    return _("%(label)s day", label=label) if label.isalpha() else _("Day %(number)s", number=label)


def weekday_name(weekday: int, width: str = "wide") -> str:
    """The name of an ISO weekday in the page's language ("Monday", "lunes"; width "abbreviated": "Mon")."""
    return get_day_names(width, locale=get_locale() or "en")[weekday - 1]
