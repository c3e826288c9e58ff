"""What a school's calendar page shows: one term month by month with its school days, rotation labels and days
off, and the days off of the whole year."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from app.org.models import AcademicYear, DayOff, Term
from app.org.policy import can_manage_district_calendar
from app.org.services.calendar import ONE_DAY, days_off_between, schedule_of, school_days, year_containing
from app.org.services.schools import get_school
from app.org.services.years import list_years, pick_year, terms_by_year

# US calendars start the week on Sunday (as does CLDR for en-US and es-US): ISO weekday numbers in that order.
WEEK_ORDER = (7, 1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class CalendarDay:
    on: date
    in_term: bool
    class_weekday: bool  # one of the school's instructional weekdays
    instructional: bool
    label: str | None
    days_off: tuple[DayOff, ...]


@dataclass(frozen=True)
class CalendarMonth:
    first: date
    weeks: tuple[tuple[CalendarDay | None, ...], ...]  # Sunday first; None pads the days of other months
    days_off: tuple[DayOff, ...]  # the entries that close one of the school's weekdays in this month


def _pick_term(terms: list[Term], term_id: int | None, on: date | None) -> Term | None:
    """The one holding `on` (a day just added), else the term asked for, else the one holding today, else the
    year's first."""
    for wanted in (lambda t: on and t.starts_on <= on <= t.ends_on, lambda t: t.id == term_id):
        found = next((term for term in terms if wanted(term)), None)
        if found is not None:
            return found
    today = date.today()
    return next((t for t in terms if t.starts_on <= today <= t.ends_on), terms[0] if terms else None)


def _months(term: Term, weekdays, days: dict[date, str | None], entries: list[DayOff]) -> list[CalendarMonth]:
    off: dict[date, list[DayOff]] = {}
    for entry in entries:
        current = max(entry.starts_on, term.starts_on.replace(day=1))
        while current <= entry.ends_on and current <= term.ends_on:
            off.setdefault(current, []).append(entry)
            current += ONE_DAY
    months = []
    first = term.starts_on.replace(day=1)
    while first <= term.ends_on:
        following = (first.replace(day=28) + 4 * ONE_DAY).replace(day=1)
        cells: list[CalendarDay | None] = [None] * WEEK_ORDER.index(first.isoweekday())
        current = first
        while current < following:
            cells.append(
                CalendarDay(
                    current,
                    term.starts_on <= current <= term.ends_on,
                    current.isoweekday() in weekdays,
                    current in days,
                    days.get(current),
                    tuple(off.get(current, ())),
                )
            )
            current += ONE_DAY
        cells += [None] * (-len(cells) % 7)
        closing = {entry.id: entry for cell in cells if cell and cell.class_weekday for entry in cell.days_off}
        weeks = tuple(tuple(cells[i : i + 7]) for i in range(0, len(cells), 7))
        months.append(CalendarMonth(first, weeks, tuple(closing.values())))
        first = following
    return months


def calendar_overview(
    actor, school_id: int, year_id: int | None = None, term_id: int | None = None, on: date | None = None
) -> dict:
    """The school's structure managers (NotFound otherwise): the chosen year (the one holding `on`, else year_id,
    else the current one), its terms, the chosen term month by month, the year's days off of the district and
    the school, the school's schedule, and whether the actor may record district-wide days off."""
    school = get_school(actor, school_id)
    year: AcademicYear | None = (year_containing(on) if on else None) or pick_year(actor, year_id)
    terms = terms_by_year(actor, [year.id])[year.id] if year else []
    term = _pick_term(terms, term_id, on)
    entries = days_off_between(actor, school, year.starts_on, year.ends_on) if year else []
    schedule = schedule_of(school)
    days = {}
    if term is not None:
        ranges = [(entry.starts_on, entry.ends_on) for entry in entries]
        days = dict(school_days(schedule, [(term.starts_on, term.ends_on)], ranges))
    return {
        "school": school,
        "schedule": schedule,
        "years": list_years(actor),
        "year": year,
        "terms": terms,
        "term": term,
        "months": _months(term, set(schedule.weekdays), days, entries) if term else [],
        "week_order": WEEK_ORDER,
        "school_day_count": len(days),
        "label_counts": sorted(Counter(label for label in days.values() if label).items(), key=_label_order),
        "days_off": entries,
        "can_manage_district": can_manage_district_calendar(actor),
    }


def _label_order(item: tuple[str, int]):
    label = item[0]
    return (0, int(label)) if label.isdigit() else (1, label)
