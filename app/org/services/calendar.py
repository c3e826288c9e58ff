"""The school calendar: instructional days, days off and day rotations (docs/decisions/0012-school-calendar.md).

Instructional days are the days of a term that fall on the school's instructional weekdays, minus the days off
the district records (no school) and the days off the school records. A rotation (A/B, or N numbered block days)
is counted over those days from the first instructional day of each term: a day off uses up no letter, and every
term starts again at A (or 1). Nothing is stored per day: the days are computed from the terms, the school's
schedule and the days off, read in one query, so any change to them shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, text

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.org.data import DAY_OFF_KINDS, MAX_ROTATION_DAYS, MIN_ROTATION_DAYS, ROTATIONS, WEEKDAYS, SchoolSchedule
from app.org.models import AcademicYear, DayOff, School
from app.org.policy import can_manage_calendar, can_manage_district_calendar, can_view_calendar
from app.org.services.common import day, require
from app.org.services.schools import get_school

ONE_DAY = timedelta(days=1)
SchoolDay = tuple[date, str | None]  # (the day, its rotation label "A"/"B"/"1".."N", or None without a rotation)

# The school's schedule, the terms that touch start..end (or the one term asked for) and the days off of the
# district and the school that touch those terms: everything instructional days are computed from, in one trip.
_CALENDAR = text(
    """
    select s.instructional_weekdays, s.rotation, s.rotation_days, t.starts, t.ends, o.starts, o.ends
    from schools s
    cross join lateral (
      select array_agg(starts_on order by starts_on) starts, array_agg(ends_on order by starts_on) ends,
             min(starts_on) first_day, max(ends_on) last_day
      from terms
      where district_id = s.district_id and starts_on <= :end and ends_on >= :start
        and (cast(:term_id as bigint) is null or id = cast(:term_id as bigint))
    ) t
    cross join lateral (
      select array_agg(d.starts_on) starts, array_agg(d.ends_on) ends
      from days_off d
      where d.district_id = s.district_id and (d.school_id is null or d.school_id = s.id)
        and d.starts_on <= t.last_day and d.ends_on >= t.first_day
    ) o
    where s.id = :school_id and s.district_id = :district_id
    """
)


@dataclass(frozen=True)
class SchoolCalendar:
    """What a school's instructional days are computed from."""

    schedule: SchoolSchedule
    terms: tuple[tuple[date, date], ...]
    days_off: tuple[tuple[date, date], ...]

    def school_days(self) -> list[SchoolDay]:
        return school_days(self.schedule, self.terms, self.days_off)


def schedule_of(school: School) -> SchoolSchedule:
    return SchoolSchedule(tuple(sorted(school.instructional_weekdays)), school.rotation, school.rotation_days)


def school_days(schedule: SchoolSchedule, terms, days_off) -> list[SchoolDay]:
    """The instructional days of these terms (ordered, not overlapping), each with its rotation label."""
    if not terms:
        return []
    first, last = terms[0][0], terms[-1][1]
    off: set[date] = set()
    for starts, ends in days_off:
        current, until = max(starts, first), min(ends, last)
        while current <= until:
            off.add(current)
            current += ONE_DAY
    weekdays, labels = set(schedule.weekdays), schedule.labels
    days: list[SchoolDay] = []
    for starts, ends in terms:
        count, current = 0, starts  # each term starts its rotation again
        while current <= ends:
            if current.isoweekday() in weekdays and current not in off:
                days.append((current, labels[count % len(labels)] if labels else None))
                count += 1
            current += ONE_DAY
    return days


def _read_calendar(actor, school_id: int, start: date, end: date, term_id: int | None = None) -> SchoolCalendar:
    row = db.session.execute(
        _CALENDAR,
        {"school_id": school_id, "district_id": actor.district_id, "start": start, "end": end, "term_id": term_id},
    ).one_or_none()
    if row is None:
        raise NotFound()
    weekdays, rotation, rotation_days, term_starts, term_ends, off_starts, off_ends = row
    return SchoolCalendar(
        SchoolSchedule(tuple(sorted(weekdays)), rotation, rotation_days),
        tuple(zip(term_starts or (), term_ends or (), strict=True)),
        tuple(zip(off_starts or (), off_ends or (), strict=True)),
    )


def term_calendar(actor, school_id: int, term_id: int) -> SchoolCalendar:
    """The calendar of one term at one school, in one query, for other domains that have already checked the
    actor may see something of that school (rosters' meeting days). NotFound for a school of another district;
    a term of another district (or none) gives a calendar with no terms and so no days."""
    return _read_calendar(actor, school_id, date.min, date.max, term_id)


def school_schedule(actor, school_id: int) -> SchoolSchedule:
    """A school's weekdays and rotation, for other domains' forms (the caller checked access to the school)."""
    school = db.scoped_get(actor, School, school_id)
    if school is None:
        raise NotFound()
    return schedule_of(school)


def instructional_days(actor, school_id: int, start: date, end: date) -> list[SchoolDay]:
    """The school's instructional days from start to end (both included), each with its rotation label.

    The school's structure managers and its teachers; NotFound for anyone else and for another district's
    school. Raises Invalid when end is before start. Days outside every term are not instructional."""
    if start is None or end is None or end < start:
        raise Invalid({"end": _("The last day cannot be before the first day.")})
    if db.scoped_get(actor, School, school_id) is None or not can_view_calendar(actor, school_id):
        raise NotFound()
    days = _read_calendar(actor, school_id, start, end).school_days()
    return [(on, label) for on, label in days if start <= on <= end]


def year_containing(on: date) -> AcademicYear | None:
    return db.session.scalar(select(AcademicYear).where(AcademicYear.starts_on <= on, AcademicYear.ends_on >= on))


def _check_day_off(starts_on, ends_on, kind: str, name: str, school_id: int | None) -> date:
    errors: dict[str, str] = {}
    ends_on = ends_on or starts_on
    if kind not in DAY_OFF_KINDS:
        errors["kind"] = _("Choose what kind of day off this is.")
    if not name:
        errors["name"] = _("Enter a name, for example Thanksgiving break.")
    if starts_on is None:
        errors["starts_on"] = _("Enter the first day off as a date.")
    elif ends_on < starts_on:
        errors["ends_on"] = _("The last day off cannot be before the first (%(start)s).", start=day(starts_on))
    elif (year := year_containing(starts_on)) is None:
        errors["starts_on"] = _(
            "%(date)s is in no school year. Add the year first, or check the date.", date=day(starts_on)
        )
    elif ends_on > year.ends_on:
        errors["ends_on"] = _(
            "Days off stay inside one school year: %(year)s ends on %(end)s. Add the rest to the next year.",
            year=year.name,
            end=day(year.ends_on),
        )
    elif _already_recorded(starts_on, ends_on, school_id):
        errors["starts_on"] = _("These days off are already on the calendar.")
    if errors:
        raise Invalid(errors)
    return ends_on


def _already_recorded(starts_on: date, ends_on: date, school_id: int | None) -> bool:
    same_scope = DayOff.school_id.is_(None) if school_id is None else DayOff.school_id == school_id
    query = select(DayOff.id).where(DayOff.starts_on == starts_on, DayOff.ends_on == ends_on, same_scope)
    return db.session.scalar(query) is not None


def add_day_off(
    actor, school_id: int, starts_on: date | None, ends_on: date | None, kind: str, name: str, district_wide=False
) -> DayOff:
    """A day off or a range (ends_on None: one day), for the school or with district_wide for every school.

    The school's structure managers for its own entries; district-wide entries for district admins only
    (NotFound for anyone else, and for another district's school). Raises Invalid for an end before the start,
    a date in no school year, a range past its year's end, an unknown kind, a missing name or a duplicate."""
    school = get_school(actor, school_id)
    require(can_manage_district_calendar(actor) if district_wide else can_manage_calendar(actor, school.id))
    scope = None if district_wide else school.id
    name = (name or "").strip()[:120]
    ends_on = _check_day_off(starts_on, ends_on, kind, name, scope)
    entry = DayOff(
        district_id=actor.district_id, school_id=scope, starts_on=starts_on, ends_on=ends_on, kind=kind, name=name
    )
    db.session.add(entry)
    db.session.flush()
    _record_day_off(actor, "calendar.day_off_added", entry)
    db.session.commit()
    return entry


def _record_day_off(actor, event: str, entry: DayOff) -> None:
    record_event(
        actor,
        event,
        "day_off",
        entry.id,
        school_id=entry.school_id,
        starts_on=entry.starts_on.isoformat(),
        ends_on=entry.ends_on.isoformat(),
        kind=entry.kind,
        name=entry.name,
    )


def get_day_off(actor, school_id: int, day_off_id: int) -> DayOff:
    """A day off shown on this school's calendar (its own or the district's) that the actor may remove;
    NotFound otherwise (another school's entry, a district-wide one for a school admin, another district's)."""
    school = get_school(actor, school_id)
    entry = db.scoped_get(actor, DayOff, day_off_id)
    if entry is None or entry.school_id not in (None, school.id):
        raise NotFound()
    if entry.school_id is None:
        require(can_manage_district_calendar(actor))
    else:
        require(can_manage_calendar(actor, school.id))
    return entry


def remove_day_off(actor, school_id: int, day_off_id: int) -> DayOff:
    """As get_day_off says who may: the entry is deleted and the days it covered are school days again."""
    entry = get_day_off(actor, school_id, day_off_id)
    _record_day_off(actor, "calendar.day_off_removed", entry)
    db.session.execute(delete(DayOff).where(DayOff.id == entry.id))
    db.session.commit()
    return entry


def set_school_schedule(actor, school_id: int, weekdays, rotation: str, rotation_days) -> School:
    """The school's instructional weekdays (ISO numbers) and rotation ("none", "ab", or "blocks" with 2 to 10
    rotation_days). The school's structure managers; NotFound otherwise. Raises Invalid per field."""
    school = get_school(actor, school_id)
    require(can_manage_calendar(actor, school.id))
    chosen = sorted({n for n in weekdays or () if isinstance(n, int)})
    errors: dict[str, str] = {}
    if not chosen or not set(chosen) <= set(WEEKDAYS):
        errors["weekdays"] = _("Choose at least one day of the week with classes.")
    if rotation not in ROTATIONS:
        errors["rotation"] = _("Choose a rotation.")
    if rotation == "blocks":
        if not isinstance(rotation_days, int) or not MIN_ROTATION_DAYS <= rotation_days <= MAX_ROTATION_DAYS:
            errors["rotation_days"] = _(
                "Enter how many days the rotation has, from %(low)d to %(high)d.",
                low=MIN_ROTATION_DAYS,
                high=MAX_ROTATION_DAYS,
            )
    else:
        rotation_days = None
    if errors:
        raise Invalid(errors)
    school.instructional_weekdays, school.rotation, school.rotation_days = chosen, rotation, rotation_days
    record_event(
        actor,
        "calendar.schedule_updated",
        "school",
        school.id,
        weekdays=chosen,
        rotation=rotation,
        rotation_days=rotation_days,
    )
    db.session.commit()
    return school


def days_off_between(actor, school: School, start: date, end: date) -> list[DayOff]:
    """The district's and this school's days off that touch start..end, in date order (for the pages)."""
    return list(
        db.session.scalars(
            select(DayOff)
            .where(
                (DayOff.school_id.is_(None)) | (DayOff.school_id == school.id),
                DayOff.starts_on <= end,
                DayOff.ends_on >= start,
            )
            .order_by(DayOff.starts_on, DayOff.ends_on, DayOff.id)
        )
    )
