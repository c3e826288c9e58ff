"""The dashboards' filters, read from the address bar: a value that is unknown, malformed or out of range is dropped
with a message saying so, and the default stands in for it (never an error page)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from flask_babel import gettext as _

from app.analytics.data import MAX_RANGE_DAYS, METRICS_BY_KEY
from app.ui.params import to_int

FIELDS = ("school", "grade", "subject", "term", "start", "end", "metric", "sort")
DEFAULTS = {"metric": "active_students", "sort": "name"}


@dataclass(frozen=True)
class Choices:
    schools: list[tuple[int, str]]
    grades: list[tuple[int, str]]
    subjects: list[str]
    terms: list[tuple[int, str, date, date]]
    first: date  # the school year's first day
    last: date  # the day of the rebuild (the newest data)


@dataclass(frozen=True)
class Filters:
    school: int | None = None
    grade: int | None = None
    subject: str | None = None
    term: int | None = None
    start: date | None = None
    end: date | None = None
    metric: str = "active_students"
    sort: str = "name"

    def query(self, **changes) -> dict:
        """The query string of these filters (with changes), without the defaults: what a link or the URL carries."""
        chosen = replace(self, **changes) if changes else self
        found = {}
        for name in FIELDS:
            value = getattr(chosen, name)
            if (
                value is None
                or (name == "metric" and value == "active_students")
                or (name == "sort" and value == "name")
            ):
                continue
            found[name] = value.isoformat() if isinstance(value, date) else value
        return found


def _day(text: str | None) -> date | bool | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return False


def parse_filters(args, choices: Choices, fixed_school: int | None = None) -> tuple[Filters, list[str]]:
    """Filters from query arguments, checked against what exists; plus a message for each value that was dropped."""
    messages: list[str] = []
    school = fixed_school
    if fixed_school is None and args.get("school"):
        school = to_int(args.get("school"))
        if school not in {school_id for school_id, _name in choices.schools}:
            messages.append(_("That school is not one you can report on; showing every school."))
            school = None
    grade = None
    if args.get("grade") not in (None, ""):
        grade = to_int(args.get("grade"))
        if grade not in {value for value, _label in choices.grades}:
            messages.append(_("There is no such grade level in the data; showing every grade level."))
            grade = None
    subject = (args.get("subject") or "").strip() or None
    if subject is not None and subject not in choices.subjects:
        messages.append(_("There is no such subject in the data; showing every subject."))
        subject = None
    term = None
    if args.get("term"):
        term = to_int(args.get("term"))
        if term not in {term_id for term_id, *_rest in choices.terms}:
            messages.append(_("There is no such term; showing the whole school year."))
            term = None
    start, end = _day(args.get("start")), _day(args.get("end"))
    if start is False or end is False:
        messages.append(_("A date could not be read (use the date picker, or YYYY-MM-DD); showing the default dates."))
        start = end = None
    elif start and end and end < start:
        messages.append(_("The end date is before the start date; showing the default dates."))
        start = end = None
    elif (
        (start or choices.first)
        and (end or choices.last)
        and ((end or choices.last) - (start or choices.first)) > timedelta(days=MAX_RANGE_DAYS)
    ):
        messages.append(_("A date range can be at most %(days)s days; showing the default dates.", days=MAX_RANGE_DAYS))
        start = end = None
    metric = args.get("metric") or "active_students"
    if metric not in METRICS_BY_KEY:
        messages.append(_("There is no such metric; showing weekly active students."))
        metric = "active_students"
    sort = args.get("sort") or "name"
    if sort not in ("name", "students", *METRICS_BY_KEY):
        sort = "name"
    return Filters(school, grade, subject, term, start, end, metric, sort), messages


def week_range(filters: Filters, choices: Choices) -> tuple[date, date]:
    """The first and last day the figures cover: the term's days within the chosen dates, by default the school year
    up to the newest data."""
    start, end = filters.start or choices.first, filters.end or choices.last
    for term_id, _name, term_start, term_end in choices.terms:
        if term_id == filters.term:
            start, end = max(start, term_start), min(end, term_end)
    return start, max(start, end)
