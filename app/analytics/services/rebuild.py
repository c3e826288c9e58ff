"""Rebuilding a district's rollups: the person-weeks of the current school year (analytics_facts) and, from them
and the section plans, one row per week and group (analytics_cells). The dashboards read only these.

The whole rebuild is one transaction (readers see the previous rollup until it commits), set-based SQL over the
raw tables of rosters, accounts and curriculum. That is the layering exception analytics is allowed (listed in
pyproject.toml): reading several domains' tables in bulk, in one query, is what makes a district's rebuild take
seconds. What is computed in Python comes through the owners' services: instructional days from org's calendar,
each section's class days and planned lessons from curriculum's planner.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text

from app import db
from app.analytics.data import GUARDIAN_LEVELS, LEVELS
from app.analytics.models import Rebuild
from app.curriculum import services as curriculum
from app.errors import NotFound
from app.org import services as org


@dataclass(frozen=True)
class SectionRef:
    """What the planner needs of a section to lay its plan over its meeting days."""

    id: int
    school_id: int
    term_id: int
    meeting_pattern: str
    meeting_days: list[int] | None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"copy {table} ({', '.join(columns)}) from stdin") as copy:
        for row in rows:
            copy.write_row(row)


def _year():
    row = db.session.execute(
        text(
            "select id, starts_on, ends_on from academic_years where is_current"
            " union all (select id, starts_on, ends_on from academic_years where starts_on <= current_date"
            " order by starts_on desc limit 1) limit 1"
        )
    ).first()
    return row


def _instructional_weeks(actor, year) -> list[tuple[int, date]]:
    weeks = set()
    for school_id in db.session.scalars(text("select id from schools order by id")):
        for day, _label in org.instructional_days(actor, school_id, year.starts_on, year.ends_on):
            weeks.add((school_id, monday(day)))
    return sorted(weeks)


def _plan_days(actor, year, today: date) -> list[tuple[int, date, int | None]]:
    """Each class day of the sections of terms that have begun, with the lesson its plan puts there (or None)."""
    sections = [
        SectionRef(*row)
        for row in db.session.execute(
            text(
                "select s.id, s.school_id, s.term_id, s.meeting_pattern, s.meeting_days from sections s"
                " join terms t on t.id = s.term_id where t.academic_year_id = :year and t.starts_on <= :today"
                " order by s.id"
            ),
            {"year": year.id, "today": today},
        )
    ]
    rows = []
    for section_id, (usable, filled) in curriculum.planned_days_of(actor, sections).items():
        lessons = dict(filled)
        rows.extend((section_id, day, lessons.get(day)) for day in usable)
    return rows


# Dropped first as well: inside an enclosing transaction (the tests') a commit is a savepoint and drops nothing.
_TEMP = """
drop table if exists aw_weeks, aw_days, aw_active, aw_reached, aw_section_grades, aw_sections, aw_people, aw_parts;
create temp table aw_weeks (school_id bigint, week_start date, primary key (school_id, week_start)) on commit drop;
create temp table aw_days (section_id bigint, day date, lesson_id bigint) on commit drop;
"""

_ACTIVE = """
create temp table aw_active on commit drop as
  select user_id, date_trunc('week', day)::date as week_start
  from user_activity_days where day <= :today and day >= :first
  group by 1, 2 having count(*) >= :min_days;
alter table aw_active add primary key (user_id, week_start);
create temp table aw_reached on commit drop as
  select distinct gl.student_id, a.week_start from guardian_links gl join aw_active a on a.user_id = gl.guardian_id;
alter table aw_reached add primary key (student_id, week_start);
create temp table aw_section_grades on commit drop as
  select distinct e.section_id, u.grade_level from enrollments e
  join sections s on s.id = e.section_id join terms t on t.id = s.term_id and t.academic_year_id = :year
  join users u on u.id = e.student_id;
create temp table aw_sections on commit drop as
  select s.id as section_id, s.school_id, s.course_id, c.subject, t.starts_on, t.ends_on from sections s
  join courses c on c.id = s.course_id join terms t on t.id = s.term_id and t.academic_year_id = :year;
alter table aw_sections add primary key (section_id);
analyze aw_weeks; analyze aw_active; analyze aw_reached; analyze aw_section_grades; analyze aw_sections;
"""

# Students in their sections, teachers in theirs (once per grade level their students are in), guardians at their
# students' schools and grade levels: every instructional week up to the current one.
_FACTS = """
insert into analytics_facts (district_id, week_start, role, user_id, school_id, section_id, course_id, subject,
                             grade_level, is_active, is_reached)
select :district, w.week_start, 'student', e.student_id, s.school_id, s.section_id, s.course_id, s.subject,
       u.grade_level, a.user_id is not null, r.student_id is not null
from enrollments e
join aw_sections s on s.section_id = e.section_id and s.starts_on <= :today
join aw_weeks w on w.school_id = s.school_id and w.week_start <= s.ends_on and w.week_start + 6 >= s.starts_on
  and w.week_start <= :this_week
  and e.added_on <= w.week_start + 6 and (e.dropped_on is null or e.dropped_on > w.week_start)
join users u on u.id = e.student_id
left join aw_active a on a.user_id = e.student_id and a.week_start = w.week_start
left join aw_reached r on r.student_id = e.student_id and r.week_start = w.week_start;

insert into analytics_facts (district_id, week_start, role, user_id, school_id, section_id, course_id, subject,
                             grade_level, is_active)
select :district, w.week_start, 'teacher', st.teacher_id, s.school_id, s.section_id, s.course_id, s.subject,
       g.grade_level, a.user_id is not null
from section_teachers st
join aw_sections s on s.section_id = st.section_id and s.starts_on <= :today
join aw_weeks w on w.school_id = s.school_id and w.week_start <= s.ends_on and w.week_start + 6 >= s.starts_on
  and w.week_start <= :this_week
left join aw_section_grades g on g.section_id = s.section_id
left join aw_active a on a.user_id = st.teacher_id and a.week_start = w.week_start;

insert into analytics_facts (district_id, week_start, role, user_id, school_id, grade_level, is_active)
select distinct :district, f.week_start, 'guardian', gl.guardian_id, f.school_id, f.grade_level,
       a.user_id is not null
from (select distinct week_start, school_id, grade_level, user_id from analytics_facts
      where district_id = :district and role = 'student') f
join guardian_links gl on gl.student_id = f.user_id
left join aw_active a on a.user_id = gl.guardian_id and a.week_start = f.week_start;
"""

# Each level's dimensions, as columns of the facts joined with their section's course (aw_sections).
DIMENSIONS = {
    "district": (),
    "school": ("school_id",),
    "grade": ("grade_level",),
    "subject": ("subject",),
    "grade_subject": ("grade_level", "subject"),
    "school_grade": ("school_id", "grade_level"),
    "school_subject": ("school_id", "subject"),
    "school_grade_subject": ("school_id", "grade_level", "subject"),
    "course": ("school_id", "subject", "course_id"),
    "section": ("school_id", "subject", "course_id", "section_id"),
}
# Plans belong to sections, not to grade levels: their levels are those without one.
PLAN_LEVELS = ("district", "school", "subject", "school_subject", "course", "section")
_KEY = "level, week_start, school_id, grade_level, subject, course_id, section_id"
_KEY_COLUMNS = ("school_id", "grade_level", "subject", "course_id", "section_id")
_TYPES = {
    "school_id": "bigint",
    "grade_level": "smallint",
    "subject": "varchar",
    "course_id": "bigint",
    "section_id": "bigint",
}

_PARTS_TABLE = """
create temp table aw_parts (
  level varchar(20), week_start date, school_id bigint, grade_level smallint, subject varchar(80), course_id bigint,
  section_id bigint, students int default 0, active_students int default 0, reached_students int default 0,
  teachers int default 0, active_teachers int default 0, guardians int default 0, active_guardians int default 0,
  class_days int default 0, planned_days int default 0, taught_days int default 0, lessons_planned int default 0,
  lessons_taught int default 0, units_planned int default 0, units_taught int default 0
) on commit drop
"""


def _key_select(level: str, source: str) -> tuple[str, str]:
    """(the key columns of a level's rows, the GROUP BY list): dimensions from `source`, the others null."""
    dims = DIMENSIONS[level]
    columns = ", ".join(f"{source}.{c}" if c in dims else f"null::{_TYPES[c]}" for c in _KEY_COLUMNS)
    group = ", ".join(["week_start", *(f"{source}.{c}" for c in dims)])
    return f"'{level}', {source}.week_start, {columns}", group


# Students and teachers once per group and week, in two steps: levels with a course or section read the facts
# (course and subject are on them); the others read aw_people, the facts with sections folded away (a student in five
# sections of three subjects is three rows a week there), which is a fraction of the size.
_PEOPLE = """
create temp table aw_people on commit drop as
  select week_start, school_id, grade_level, subject, role, user_id, bool_or(is_active) as is_active,
         bool_or(is_reached) as is_reached
  from analytics_facts where district_id = :district and role in ('student', 'teacher')
  group by week_start, school_id, grade_level, subject, role, user_id
"""


def _people_sql(level: str) -> str:
    """Each person once per group and week (a hash aggregation, far cheaper than count(distinct) over grouping
    sets), then counted."""
    dims = DIMENSIONS[level]
    source = "analytics_facts" if {"course_id", "section_id"} & set(dims) else "aw_people"
    inner = ", ".join(["f.week_start", *(f"f.{c}" for c in dims)])
    named = ", ".join(["week_start", *dims])
    key, group = _key_select(level, "p")
    where = "f.district_id = :district and f.role in ('student', 'teacher')" if source == "analytics_facts" else "true"
    return f"""
insert into aw_parts ({_KEY}, students, active_students, reached_students, teachers, active_teachers)
select {key},
       count(*) filter (where p.role = 'student'), count(*) filter (where p.role = 'student' and p.act),
       count(*) filter (where p.role = 'student' and p.reached), count(*) filter (where p.role = 'teacher'),
       count(*) filter (where p.role = 'teacher' and p.act)
from (
  select {inner}, f.role, f.user_id, bool_or(f.is_active) as act, bool_or(f.is_reached) as reached
  from {source} f
  where {where}
  group by {inner}, f.role, f.user_id
) p ({named}, role, user_id, act, reached)
group by {group}
"""


def _guardian_sql(level: str) -> str:
    dims = DIMENSIONS[level]
    inner = ", ".join(["f.week_start", *(f"f.{c}" for c in dims)])
    named = ", ".join(["week_start", *dims])
    key, group = _key_select(level, "p")
    return f"""
insert into aw_parts ({_KEY}, guardians, active_guardians)
select {key}, count(*), count(*) filter (where p.act)
from (
  select {inner}, f.user_id, bool_or(f.is_active) as act
  from analytics_facts f
  where f.district_id = :district and f.role = 'guardian'
  group by {inner}, f.user_id
) p ({named}, user_id, act)
group by {group}
"""


def _plan_sql(level: str) -> str:
    """Class days of one level (a section's day is one row of aw_days, so no distinct is needed), and the lessons
    and units they hold."""
    key, group = _key_select(level, "d")
    return f"""
insert into aw_parts ({_KEY}, class_days, planned_days, taught_days, lessons_planned, lessons_taught, units_planned,
                      units_taught)
select {key}, count(*), count(d.lesson_id), count(d.lesson_id) filter (where d.day <= :today),
       count(distinct d.lesson_id), count(distinct d.lesson_id) filter (where d.day <= :today),
       count(distinct d.unit_id), count(distinct d.unit_id) filter (where d.day <= :today)
from (
  select x.school_id, null::smallint as grade_level, x.subject, x.course_id, a.section_id, a.day, a.lesson_id,
         l.unit_id, date_trunc('week', a.day)::date as week_start
  from aw_days a join aw_sections x on x.section_id = a.section_id left join lessons l on l.id = a.lesson_id
) d
group by {group}
"""


_CELLS = f"""
insert into analytics_cells (district_id, {_KEY}, students, active_students, reached_students, teachers,
  active_teachers, guardians, active_guardians, class_days, planned_days, taught_days, lessons_planned,
  lessons_taught, units_planned, units_taught)
select :district, {_KEY}, sum(students), sum(active_students), sum(reached_students), sum(teachers),
       sum(active_teachers), sum(guardians), sum(active_guardians), sum(class_days), sum(planned_days),
       sum(taught_days), sum(lessons_planned), sum(lessons_taught), sum(units_planned), sum(units_taught)
from aw_parts group by {_KEY}
"""


def _parts_sql() -> str:
    statements = [_PARTS_TABLE, _PEOPLE]
    statements += [_people_sql(level) for level in LEVELS]
    statements += [_guardian_sql(level) for level in GUARDIAN_LEVELS]
    statements += [_plan_sql(level) for level in PLAN_LEVELS]
    statements.append(_CELLS)
    return ";\n".join(statements)


def _run(sql: str, params: dict) -> None:
    for statement in (part.strip() for part in sql.split(";")):
        if statement:
            db.session.execute(text(statement), params)


def rebuild_district(actor, progress=None, as_of: datetime | None = None) -> dict:
    """Jobs and the CLI (a system actor of the district): replace the district's rollups with ones computed now
    (or as of `as_of`: tests). Returns what was written. NotFound when the district has no school year."""
    started = time.monotonic()
    as_of = as_of or datetime.now(UTC)
    year = _year()
    if year is None:
        raise NotFound()
    record = Rebuild(district_id=actor.district_id, status="running", as_of=as_of)
    db.session.add(record)
    db.session.flush()
    today = as_of.date()
    weeks = _instructional_weeks(actor, year)
    if progress:
        progress(1, 5)
    plan_days = _plan_days(actor, year, today)
    if progress:
        progress(2, 5)
    params = {
        "district": actor.district_id,
        "year": year.id,
        "today": today,
        "first": year.starts_on,
        "this_week": monday(today),
        "min_days": 1,
    }
    # The sorts and hashes of one rebuild, in memory rather than spilled to disk (this transaction only).
    db.session.execute(text("set local work_mem = '128MB'"))
    db.session.execute(text("delete from analytics_cells where district_id = :d"), {"d": actor.district_id})
    db.session.execute(text("delete from analytics_facts where district_id = :d"), {"d": actor.district_id})
    _run(_TEMP, params)
    _copy("aw_weeks", ("school_id", "week_start"), weeks)
    _copy("aw_days", ("section_id", "day", "lesson_id"), plan_days)
    _run(_ACTIVE, params)
    _run(_FACTS, params)
    if progress:
        progress(3, 5)
    _run(_parts_sql(), params)
    if progress:
        progress(4, 5)
    counts = db.session.execute(
        text(
            "select (select count(*) from analytics_cells where district_id = :d),"
            " (select count(*) from analytics_facts where district_id = :d)"
        ),
        {"d": actor.district_id},
    ).one()
    record.status, record.cells, record.facts = "done", counts[0], counts[1]
    record.first_week = weeks[0][1] if weeks else None
    record.last_week = monday(today)
    record.finished_at = datetime.now(UTC)
    record.seconds = round(time.monotonic() - started, 2)
    db.session.commit()
    return {"rebuild_id": record.id, "cells": record.cells, "facts": record.facts, "seconds": float(record.seconds)}


def latest_rebuild(actor) -> Rebuild | None:
    """The district's newest finished rebuild (its as-of time is what every panel shows), or None."""
    return db.session.scalar(
        select(Rebuild)
        .where(Rebuild.district_id == actor.district_id, Rebuild.status == "done")
        .order_by(Rebuild.finished_at.desc())
        .limit(1)
    )


def district_ids() -> list[int]:
    """The periodic job, before any tenant is set: every district's id (a narrow definer function)."""
    return list(db.session.scalars(text("select analytics_district_ids()")))
