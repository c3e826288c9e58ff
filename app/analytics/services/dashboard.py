"""The dashboards' panels, read from the rollups only: tiles with trends, groups side by side, weekly series.

Every number shown goes through `suppression` first; a table, its chart and its CSV are built from the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.analytics import policy
from app.analytics.data import METRICS, METRICS_BY_KEY
from app.analytics.models import COUNT_COLUMNS, Cell
from app.analytics.services import suppression
from app.analytics.services.filters import Choices, Filters, parse_filters, week_range
from app.analytics.services.rebuild import latest_rebuild, monday
from app.analytics.services.settings import teacher_rows
from app.errors import NotFound
from app.org import services as org

TREND_WEEKS = 4
TREND_POINTS = 0.02  # a change smaller than two percentage points (or 0.2 lessons) shows as steady


@dataclass
class Totals:
    """One group's counts added up over the weeks of the range; `size` is its largest weekly number of students."""

    key: object
    label: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNT_COLUMNS, 0))
    size: int = 0
    weeks: dict = field(default_factory=dict)  # week -> its counts
    href: str | None = None


@dataclass(frozen=True)
class Figure:
    metric: object
    shown: suppression.Shown
    trend: str | None  # "up", "down", "steady"; None when there is too little to compare


@dataclass
class Row:
    key: object
    label: str
    size: suppression.Shown
    figures: list[Figure]
    hidden: bool
    href: str | None = None


@dataclass
class Table:
    title: str
    rows: list[Row]
    total: Row | None
    metrics: list
    note: str | None = None


@dataclass
class Dashboard:
    scope: str  # "district", "school", "course", "section"
    title: str
    filters: Filters
    choices: Choices
    messages: list[str]
    as_of: object
    start: date
    end: date
    tiles: list[Figure] = field(default_factory=list)
    tiles_hidden: bool = False
    size: suppression.Shown | None = None
    series: list[tuple[date, suppression.Shown]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    school: object = None
    course: object = None
    section_id: int | None = None
    teachers: list | None = None  # per-teacher figures, where the district turned them on
    weeks: dict = field(default_factory=dict)  # the scope's counts by week: the rows behind the tiles


def _show(metric, counts: dict, hidden: bool) -> suppression.Shown:
    maker = suppression.share if metric.kind == "share" else suppression.rate
    return maker(counts[metric.numerator], counts[metric.denominator], hidden)


def _value(metric, counts: dict) -> float | None:
    return counts[metric.numerator] / counts[metric.denominator] if counts[metric.denominator] else None


def _trend(metric, weeks: dict) -> str | None:
    ordered = [weeks[w] for w in sorted(weeks) if weeks[w]["students"]]
    if len(ordered) < 2 * TREND_WEEKS:
        return None
    recent, before = ordered[-TREND_WEEKS:], ordered[-2 * TREND_WEEKS : -TREND_WEEKS]

    def added(group):
        return {c: sum(week[c] for week in group) for c in (metric.numerator, metric.denominator)}

    now, then = _value(metric, added(recent)), _value(metric, added(before))
    if now is None or then is None:
        return None
    step = TREND_POINTS if metric.kind == "share" else TREND_POINTS * 10
    return "up" if now - then > step else "down" if then - now > step else "steady"


def _cells(level: str, start: date, end: date, **dims) -> list[Cell]:
    query = select(Cell).where(Cell.level == level, Cell.week_start >= monday(start), Cell.week_start <= end)
    for name, value in dims.items():
        query = query.where(getattr(Cell, name) == value)
    return list(db.session.scalars(query))


def _add(cells, key_of, label_of) -> dict:
    groups: dict = {}
    for cell in cells:
        key = key_of(cell)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Totals(key, label_of(cell))
        week = group.weeks.setdefault(cell.week_start, dict.fromkeys(COUNT_COLUMNS, 0))
        for column in COUNT_COLUMNS:
            value = getattr(cell, column)
            group.counts[column] += value
            week[column] += value
        group.size = max(group.size, cell.students)
    return groups


def _row(group: Totals, hidden: bool, metrics) -> Row:
    figures = [Figure(m, _show(m, group.counts, hidden), None if hidden else _trend(m, group.weeks)) for m in metrics]
    return Row(group.key, group.label, suppression.size(group.size, hidden), figures, hidden, group.href)


def _table(title: str, groups: list[Totals], total: Totals | None, sort: str, note: str | None = None) -> Table:
    hidden = suppression.suppressed_parts([g.size for g in groups], with_total=total is not None)
    rows = [_row(group, flag, METRICS) for group, flag in zip(groups, hidden, strict=True)]
    if sort == "name":
        rows.sort(key=lambda row: row.label.casefold())
    else:
        index = next((i for i, m in enumerate(METRICS) if m.key == sort), None)

        def value(row):
            if sort == "students":
                return row.size.value
            return row.figures[index].shown.value

        rows.sort(key=lambda row: (value(row) is None, -(value(row) or 0), row.label.casefold()))
    total_row = _row(total, suppression.primary(total.size), METRICS) if total is not None else None
    return Table(title, rows, total_row, list(METRICS), note)


def choices_for(actor) -> Choices:
    """What the filters offer: the schools the actor reports on, and the grade levels and subjects in the rollups."""
    rebuild = latest_rebuild(actor)
    viewable = policy.viewable_schools(actor)
    schools = [(s.id, s.name) for s in org.list_schools(actor) if viewable is None or s.id in viewable]
    grades = sorted(
        {
            g
            for g in db.session.scalars(select(Cell.grade_level).where(Cell.level == "grade").distinct())
            if g is not None
        }
    )
    subjects = sorted(
        {s for s in db.session.scalars(select(Cell.subject).where(Cell.level == "subject").distinct()) if s}
    )
    terms = [(term.id, f"{term.name} ({year})", term.starts_on, term.ends_on) for term, year in org.open_terms()]
    last = rebuild.as_of.date() if rebuild else date.today()
    first = rebuild.first_week if rebuild and rebuild.first_week else last - timedelta(days=120)
    return Choices(
        schools, [(g, org.grade_label(g) or _("No grade level")) for g in grades], subjects, terms, first, last
    )


def _scope_level(school: bool, filters: Filters) -> tuple[str, dict]:
    parts, dims = (["school"] if school else []), ({"school_id": filters.school} if school else {})
    if filters.grade is not None:
        parts.append("grade")
        dims["grade_level"] = filters.grade
    if filters.subject:
        parts.append("subject")
        dims["subject"] = filters.subject
    return ("_".join(parts) or "district"), dims


def _series(metric, weeks: dict, start: date, end: date) -> list[tuple[date, suppression.Shown]]:
    points = []
    for week in sorted(weeks):
        counts = weeks[week]
        if week > end or not counts["students"]:
            continue
        points.append((week, _show(metric, counts, suppression.primary(counts["students"]))))
    return points


def _base(actor, scope: str, title: str, args, fixed_school: int | None = None) -> Dashboard:
    choices = choices_for(actor)
    filters, messages = parse_filters(args, choices, fixed_school)
    start, end = week_range(filters, choices)
    rebuild = latest_rebuild(actor)
    return Dashboard(scope, title, filters, choices, messages, rebuild.as_of if rebuild else None, start, end)


def _fill_scope(board: Dashboard, level: str, dims: dict) -> Totals:
    scope = _add(_cells(level, board.start, board.end, **dims), lambda c: "all", lambda c: board.title)
    group = scope.get("all") or Totals("all", board.title)
    hidden = suppression.primary(group.size)
    board.tiles_hidden = hidden
    board.size = suppression.size(group.size, hidden)
    board.tiles = [
        Figure(m, _show(m, group.counts, hidden), None if hidden else _trend(m, group.weeks)) for m in METRICS
    ]
    board.series = _series(METRICS_BY_KEY[board.filters.metric], group.weeks, board.start, board.end)
    board.weeks = group.weeks
    return group


def district_dashboard(actor, args, school_href=None) -> Dashboard:
    """District admins: every school side by side. NotFound for anyone else."""
    if not policy.can_view_district(actor):
        raise NotFound()
    board = _base(actor, "district", actor.district_name or _("District"), args)
    if board.filters.school is not None:
        board.filters = Filters(**{**board.filters.__dict__, "school": None})
    level, dims = _scope_level(False, board.filters)
    scope = _fill_scope(board, level, dims)
    row_level, _dims = _scope_level(True, board.filters)
    names = dict(board.choices.schools)
    groups = _add(
        _cells(row_level, board.start, board.end, **dims), lambda c: c.school_id, lambda c: names.get(c.school_id, "?")
    )
    for group in groups.values():
        group.href = school_href(group.key) if school_href else None
    board.tables.append(_table(_("Schools"), list(groups.values()), scope, board.filters.sort))
    return board


def school_dashboard(actor, school_id: int, args, course_href=None) -> Dashboard:
    """District admins and the school's admins: the school by grade level and by course. NotFound for anyone else
    (another school, another district)."""
    if not policy.can_view_school(actor, school_id):
        raise NotFound()
    names = dict(_school_names(actor))
    if school_id not in names:
        raise NotFound()
    board = _base(actor, "school", names[school_id], args, fixed_school=school_id)
    level, dims = _scope_level(True, board.filters)
    scope = _fill_scope(board, level, dims)
    grade_dims = {"school_id": school_id, **({"subject": board.filters.subject} if board.filters.subject else {})}
    grade_level = "school_grade_subject" if board.filters.subject else "school_grade"
    grades = _add(
        _cells(grade_level, board.start, board.end, **grade_dims),
        lambda c: c.grade_level,
        lambda c: org.grade_label(c.grade_level) or _("No grade level"),
    )
    if board.filters.grade is not None:
        grades = {k: v for k, v in grades.items() if k == board.filters.grade}
    board.tables.append(_table(_("Grade levels"), list(grades.values()), scope, board.filters.sort))
    course_dims = {"school_id": school_id, **({"subject": board.filters.subject} if board.filters.subject else {})}
    courses = _add(_cells("course", board.start, board.end, **course_dims), lambda c: c.course_id, lambda c: "")
    catalog = org.courses_by_id(courses)
    for course_id, group in courses.items():
        course = catalog.get(course_id)
        group.label = f"{course.code} {course.name}" if course else "?"
        group.href = course_href(course_id) if course_href else None
    note = _("Courses are not split by grade level.") if board.filters.grade is not None else None
    board.tables.append(_table(_("Courses"), list(courses.values()), None, board.filters.sort, note))
    board.school = (school_id, names[school_id])
    board.teachers = teacher_rows(actor, school_id, monday(board.start), board.end)
    return board


def course_dashboard(actor, school_id: int, course_id: int, args, section_href=None) -> Dashboard:
    """The school's viewers: one course of the school, section by section. NotFound otherwise."""
    if not policy.can_view_school(actor, school_id):
        raise NotFound()
    names = dict(_school_names(actor))
    course = org.courses_by_id([course_id]).get(course_id)
    if school_id not in names or course is None or course.school_id != school_id:
        raise NotFound()
    board = _base(actor, "course", f"{course.code} {course.name}", args, fixed_school=school_id)
    board.filters = Filters(**{**board.filters.__dict__, "grade": None, "subject": None})
    scope = _fill_scope(board, "course", {"school_id": school_id, "course_id": course_id})
    sections = _add(
        _cells("section", board.start, board.end, school_id=school_id, course_id=course_id),
        lambda c: c.section_id,
        lambda c: "",
    )
    labels = section_labels(list(sections))
    for section_id, group in sections.items():
        group.label = labels.get(section_id, "?")
        group.href = section_href(section_id) if section_href else None
    board.tables.append(_table(_("Sections"), list(sections.values()), scope, board.filters.sort))
    board.school, board.course = (school_id, names[school_id]), (course_id, board.title)
    return board


def section_labels(section_ids: list[int]) -> dict[int, str]:
    from sqlalchemy import text

    if not section_ids:
        return {}
    rows = db.session.execute(
        text("select id, name, period from sections where id = any(:ids)"), {"ids": list(section_ids)}
    )
    return {row.id: row.name + (f" ({row.period})" if row.period else "") for row in rows}


def _school_names(actor) -> list[tuple[int, str]]:
    viewable = policy.viewable_schools(actor)
    return [(s.id, s.name) for s in org.list_schools(actor) if viewable is None or s.id in viewable]


def can_view_analytics(actor) -> bool:
    return policy.can_view_analytics(actor)


def can_view_district(actor) -> bool:
    return policy.can_view_district(actor)


def home_school(actor) -> int | None:
    """Where a school admin's analytics start: their one school (None when they report on several or none)."""
    names = _school_names(actor)
    return names[0][0] if len(names) == 1 else None
