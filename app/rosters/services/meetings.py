"""When a section meets: its meeting pattern applied to its school's instructional days
(docs/decisions/0012-school-calendar.md).

A section meets on every instructional day of its school ("daily"), on certain rotation days ("rotation": 1 is
A, 2 is B, or the block numbers), or on certain weekdays ("weekdays", ISO numbers). The school's calendar (org)
says which days are instructional and what rotation day each one is; this module only filters them. A pattern
that no longer fits the school (its rotation was switched off, or none of the chosen days exists any more) falls
back to every instructional day, so a planner never loses a section's days; the section form then asks again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import Invalid
from app.org import services as org
from app.rosters.models import Section
from app.rosters.services.sections import get_section

MEETING_PATTERNS = {
    "daily": _l("Every school day"),
    "rotation": _l("Certain rotation days"),
    "weekdays": _l("Certain days of the week"),
}


@dataclass(frozen=True)
class MeetingDay:
    on: date
    label: str | None  # the day's rotation label ("A", "B", "1".."N"); None when the school has no rotation


def check_meeting_pattern(schedule, meets: str | None, days) -> tuple[str, list[int] | None, dict[str, str]]:
    """(pattern, days to store, errors by form field) for what a section form asked, against the school's
    schedule: rotation days must exist in its rotation, weekdays must be among its instructional weekdays."""
    chosen = sorted({n for n in days or () if isinstance(n, int)})
    meets = meets or "daily"
    if meets not in MEETING_PATTERNS:
        return "daily", None, {"meets": _("Choose when the section meets.")}
    if meets == "daily":
        return "daily", None, {}
    if meets == "rotation":
        if not schedule.labels:
            message = _("This school has no day rotation: choose every school day or certain days of the week.")
            return meets, chosen, {"meets": message}
        if not chosen:
            return meets, chosen, {"rotation_days": _("Choose at least one rotation day.")}
        if not set(chosen) <= set(range(1, len(schedule.labels) + 1)):
            return meets, chosen, {"rotation_days": _("Choose rotation days of this school's rotation.")}
        return meets, chosen, {}
    if not chosen:
        return meets, chosen, {"weekdays": _("Choose at least one day of the week.")}
    if not set(chosen) <= set(schedule.weekdays):
        return meets, chosen, {"weekdays": _("Choose days of the week on which this school has classes.")}
    return meets, chosen, {}


def fits(schedule, pattern: str, days) -> bool:
    """Whether a stored pattern still applies to the school's schedule (else the section meets every day)."""
    chosen = set(days or ())
    if pattern == "rotation":
        return bool(chosen & set(range(1, len(schedule.labels) + 1)))
    if pattern == "weekdays":
        return bool(chosen & set(schedule.weekdays))
    return True


def _meeting(section: Section, schedule, school_days) -> list[MeetingDay]:
    pattern, chosen = section.meeting_pattern, set(section.meeting_days or ())
    if not fits(schedule, pattern, chosen):
        pattern = "daily"
    if pattern == "weekdays":
        return [MeetingDay(on, label) for on, label in school_days if on.isoweekday() in chosen]
    if pattern == "rotation":
        position = {label: n for n, label in enumerate(schedule.labels, start=1)}
        return [MeetingDay(on, label) for on, label in school_days if position.get(label) in chosen]
    return [MeetingDay(on, label) for on, label in school_days]


def meeting_days(actor, section_id: int, start: date | None = None, end: date | None = None) -> list[MeetingDay]:
    """The days the section meets within its term, or within start..end (both included) inside it, in order.

    Whoever may see the section (its teachers, admins of its school: get_section); NotFound otherwise. Raises
    Invalid when end is before start. Three short queries: the section and its teachers (get_section), then
    the term, the school's schedule and the days off together."""
    if start is not None and end is not None and end < start:
        raise Invalid({"end": _("The last day cannot be before the first day.")})
    section = get_section(actor, section_id)
    calendar = org.term_calendar(actor, section.school_id, section.term_id)
    days = calendar.school_days()
    if start is not None or end is not None:
        low, high = start or date.min, end or date.max
        days = [(on, label) for on, label in days if low <= on <= high]
    return _meeting(section, calendar.schedule, days)


def meeting_days_of(actor, sections) -> dict[int, list[MeetingDay]]:
    """Section id -> its meeting days over its term, for sections this package's services already returned to the
    actor (a teacher's my_sections rows, a get_section): no access check of its own, and one calendar query per
    school and term however many sections share it (a teacher's home page)."""
    calendars: dict[tuple[int, int], object] = {}
    found = {}
    for section in sections:
        key = (section.school_id, section.term_id)
        if key not in calendars:
            calendars[key] = org.term_calendar(actor, *key)
        calendar = calendars[key]
        found[section.id] = _meeting(section, calendar.schedule, calendar.school_days())
    return found


def next_meeting_day(actor, section_id: int, after: date) -> MeetingDay | None:
    """The first day after `after` on which the section meets in its term; None when there is none left.
    The same callers as meeting_days."""
    following = meeting_days(actor, section_id, start=after + timedelta(days=1))
    return following[0] if following else None


def meeting_summary(schedule, pattern: str, days) -> str:
    """ "Every school day", "Rotation days: A", "Days of the week: Monday, Wednesday and Friday"."""
    locale = get_locale() or "en"
    if pattern == "rotation" and schedule.labels:
        labels = [schedule.labels[n - 1] for n in sorted(days or ()) if 0 < n <= len(schedule.labels)]
        if labels:
            return _("Rotation days: %(days)s", days=format_list(labels, locale=locale))
    if pattern == "weekdays" and days:
        names = [org.weekday_name(n) for n in sorted(days)]
        return _("Days of the week: %(days)s", days=format_list(names, locale=locale))
    return str(MEETING_PATTERNS["daily"])
