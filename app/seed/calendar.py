"""The current year's calendar of a seeded district (docs/decisions/0012-school-calendar.md).

A US school calendar, computed from the year's dates so it stays right if YEARS changes: Labor Day, Indigenous
Peoples' Day, Veterans Day (observed), Thanksgiving break, winter break, Martin Luther King Jr. Day, Presidents'
Day, spring break, Memorial Day and a professional-development day on Election Day, for the whole district; and
parent-teacher conferences at the district's first school. That school runs A/B days: a quarter of its
non-homeroom sections meet on A days, a quarter on B days, the rest daily. Two statements and one COPY, whatever
the size: the seed stays set-based.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from app import db
from app.seed.structure import YEARS

MONDAY, TUESDAY, THURSDAY, FRIDAY = 1, 2, 4, 5


def _nth(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))


def _last(year: int, month: int, weekday: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def _observed(holiday: date) -> date:
    # A holiday on a Saturday is observed on the Friday before, on a Sunday on the Monday after.
    return holiday + timedelta(days={6: -1, 7: 1}.get(holiday.isoweekday(), 0))


def us_days_off(fall: int) -> list[tuple[date, date, str, str]]:
    """(first day, last day, kind, name) of the district-wide days off of the year starting in August `fall`."""
    spring = fall + 1
    thanksgiving = _nth(fall, 11, THURSDAY, 4)
    winter_starts = date(fall, 12, 22) - timedelta(days=date(fall, 12, 22).isoweekday() - MONDAY)
    new_year = date(spring, 1, 1)
    winter_ends = new_year + timedelta(days=max(0, FRIDAY - new_year.isoweekday()))
    spring_break = _last(spring, 3, MONDAY)
    election_day = _nth(fall, 11, MONDAY, 1) + timedelta(days=1)
    single = [
        (_nth(fall, 9, MONDAY, 1), "holiday", "Labor Day"),
        (_nth(fall, 10, MONDAY, 2), "holiday", "Indigenous Peoples' Day"),
        (election_day, "professional_development", "Professional development day"),
        (_observed(date(fall, 11, 11)), "holiday", "Veterans Day"),
        (_nth(spring, 1, MONDAY, 3), "holiday", "Martin Luther King Jr. Day"),
        (_nth(spring, 2, MONDAY, 3), "holiday", "Presidents' Day"),
        (_last(spring, 5, MONDAY), "holiday", "Memorial Day"),
    ]
    ranges = [
        (thanksgiving - timedelta(days=1), thanksgiving + timedelta(days=1), "break", "Thanksgiving break"),
        (winter_starts, winter_ends, "break", "Winter break"),
        (spring_break, spring_break + timedelta(days=4), "break", "Spring break"),
    ]
    return sorted([(on, on, kind, name) for on, kind, name in single] + ranges)


def seed_calendar(district_id: int, school_ids: list[int]) -> int:
    """The current year's days off, and A/B days at the first school with some of its sections on A or B days.
    Returns the number of days-off entries."""
    from app.seed import _copy_rows

    fall = next(starts for _name, starts, _ends, current, _archived, _terms in YEARS if current).year
    rows = [(district_id, None, *entry) for entry in us_days_off(fall)]
    first_school = school_ids[0]
    conferences = _nth(fall, 11, THURSDAY, 4) - timedelta(days=6)  # the Friday before Thanksgiving week
    rows.append((district_id, first_school, conferences, conferences, "other", "Parent-teacher conferences"))
    _copy_rows("days_off", ("district_id", "school_id", "starts_on", "ends_on", "kind", "name"), rows)
    sess = db.session
    sess.execute(text("update schools set rotation = 'ab' where id = :school"), {"school": first_school})
    # Sections were numbered in the order they were generated, so the same seed picks the same ones.
    sess.execute(
        text(
            """
            update sections s set meeting_pattern = 'rotation',
                   meeting_days = array[case when x.n % 4 = 1 then 1 else 2 end]::smallint[]
            from (
              select s2.id, row_number() over (order by s2.id) as n
              from sections s2 join courses c on c.id = s2.course_id
              where s2.school_id = :school and c.code not like 'HR-%'
            ) x
            where s.id = x.id and x.n % 4 in (1, 3)
            """
        ),
        {"school": first_school},
    )
    return len(rows)
