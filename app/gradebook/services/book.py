"""A section's gradebook as data: its columns (assignments), rows (students), cells and each student's grade.

One reader serves the grid, a single row after a save, the term grades and the exports, so what the grid
shows and what a term closes with are the same computation."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from hashlib import blake2b

from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.audit import services as audit
from app.gradebook import math as gm
from app.gradebook.data import Span
from app.gradebook.models import Assignment, AssignmentSection, Grade, Submission
from app.gradebook.services import settings
from app.gradebook.services.assignments import now, overrides_of, tz_of
from app.gradebook.services.compute import SchoolDays, cell_state, local_date, to_score
from app.identity.data import SystemActor
from app.org import services as org
from app.rosters import services as rosters

# The grade math is pure, so a student's grade for the same inputs is the same grade: the grid keeps the last
# results per worker process, keyed by a digest of every input (scores, categories, policy). A saved cell, a new
# due date passing or a changed policy makes a new key; nothing is ever stale, only recomputed.
_GRADE_CACHE: OrderedDict[bytes, gm.CourseGrade] = OrderedDict()
GRADE_CACHE_SIZE = 20_000


def clear_grade_cache() -> None:
    _GRADE_CACHE.clear()


def course_grade(scores: list[gm.Score], categories: list[gm.Category], policy: gm.Policy, prefix: str):
    """math.course_grade, remembered by a digest of its inputs (`prefix`: the categories' and policy's part)."""
    text = prefix + "|".join(
        f"{s.assignment_id},{s.category_id},{s.points_possible},{s.earned},{s.excused:d}{s.missing:d}"
        f"{s.lock_passed:d}{s.extra_credit:d}{s.counts:d},{s.late_days}"
        for s in scores
    )
    key = blake2b(text.encode(), digest_size=16).digest()
    found = _GRADE_CACHE.get(key)
    if found is None:
        found = gm.course_grade(scores, categories, policy)
        _GRADE_CACHE[key] = found
        if len(_GRADE_CACHE) > GRADE_CACHE_SIZE:
            _GRADE_CACHE.popitem(last=False)
    return found


@lru_cache(maxsize=8192)
def format_number(value: Decimal | None) -> str:
    """A score as the grid shows it: no trailing zeros (9.50 -> 9.5). Scores repeat, so the text is remembered."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


@dataclass
class Column:
    id: int
    title: str
    points: Decimal
    grading_type: str
    category_id: int | None
    due_at: datetime | None
    lock_at: datetime | None
    is_held: bool
    publish_at: datetime | None
    allows_extra_credit: bool
    submission_type: str
    period_id: int | None
    standard_ids: list[int]
    category_name: str = ""
    due_on: object = None  # the due date in the district's time zone

    @property
    def is_published(self) -> bool:
        return self.publish_at is not None and self.publish_at <= now()


@dataclass(slots=True)
class Cell:
    score: Decimal | None = None
    letter: str | None = None
    excused: bool = False
    marked_missing: bool = False
    comment: str = ""
    posted: bool = False
    submitted_at: datetime | None = None
    exempt: bool = False
    applies: bool = True
    missing: bool = False
    late_days: int = 0
    text: str = ""
    css: str = ""


@dataclass
class Row:
    student_id: int
    name: str
    sis_id: str
    email: str
    login: str
    spans: list[Span]
    percent: Decimal | None = None
    letter: str | None = None
    period_percents: dict = field(default_factory=dict)
    missing_count: int = 0
    dropped: frozenset = frozenset()
    joined_late: bool = False


@dataclass
class Book:
    section: object
    term: object
    columns: list[Column]
    rows: list[Row]
    cells: list[list[Cell]]
    rules: settings.Rules
    periods: list[settings.Period]
    category_names: dict

    def column_index(self, assignment_id: int) -> int | None:
        for index, column in enumerate(self.columns):
            if column.id == assignment_id:
                return index
        return None


def cell_text(column: Column, cell: Cell) -> str:
    if cell.excused:
        return "EX"
    if cell.score is None:
        return "M" if cell.missing else ""
    if column.grading_type == "letter" and cell.letter:
        return cell.letter
    if column.grading_type == "percent":
        if not column.points:
            return format_number(cell.score)
        return format_number((cell.score * 100 / column.points).quantize(Decimal("0.1"))) + "%"
    if column.grading_type == "complete_incomplete":
        return "\u2713" if cell.score > 0 or not column.points else "\u2717"
    return format_number(cell.score)


def cell_css(column: Column, cell: Cell) -> str:
    classes = []
    if cell.missing:
        classes.append("m")
    if cell.late_days:
        classes.append("l")
    if cell.excused:
        classes.append("x")
    if cell.exempt or not cell.applies:
        classes.append("n")
    if cell.score is not None and not cell.posted:
        classes.append("h")
    return " ".join(classes)


_DAYS_CACHE: dict[tuple, tuple[float, SchoolDays]] = {}
DAYS_CACHE_SECONDS = 60


def school_days_for(actor, section, term) -> SchoolDays:
    """The school's instructional days of the term and a margin after it (late work handed in after the end).

    Remembered for a minute per worker: a day off added now counts its late days a minute later at most."""
    key = (actor.district_id, section.school_id, term.id, term.starts_on, term.ends_on)
    found = _DAYS_CACHE.get(key)
    if found is not None and found[0] > time.monotonic():
        return found[1]
    days = _read_school_days(actor, section, term)
    if len(_DAYS_CACHE) > 1000:
        _DAYS_CACHE.clear()
    _DAYS_CACHE[key] = (time.monotonic() + DAYS_CACHE_SECONDS, days)
    return days


def _read_school_days(actor, section, term) -> SchoolDays:
    reader = SystemActor(actor.district_id)
    try:
        days = org.instructional_days(reader, section.school_id, term.starts_on, term.ends_on + timedelta(days=60))
    except Exception:  # noqa: BLE001 - a calendar the reader cannot read must not break the gradebook
        days = []
    return SchoolDays(tuple(on for on, _label in days))


def _columns(section, periods, tz) -> list[Column]:
    rows = db.session.execute(
        select(Assignment, AssignmentSection.due_at, AssignmentSection.lock_at)
        .join(AssignmentSection, AssignmentSection.assignment_id == Assignment.id)
        .where(AssignmentSection.section_id == section.id)
        .order_by(AssignmentSection.due_at.asc().nulls_last(), Assignment.id)
    ).tuples()
    return [
        Column(
            a.id,
            a.title,
            Decimal(a.points_possible),
            a.grading_type,
            a.category_id,
            due,
            lock,
            a.is_held,
            a.publish_at,
            a.allows_extra_credit,
            a.submission_type,
            settings.period_for(periods, local_date(due, tz)).id,
            list(a.standard_ids or []),
        )
        for a, due, lock in rows
    ]


def _people(section_id: int, student_ids=None, include_dropped: bool = False) -> list[Row]:
    spans = rosters.enrollment_spans([section_id])
    by_student = {student: [Span(a, d) for a, d in found] for (_s, student), found in spans.items()}
    if student_ids is not None:
        wanted = set(student_ids)
        by_student = {k: v for k, v in by_student.items() if k in wanted}
    if not include_dropped:
        by_student = {k: v for k, v in by_student.items() if any(span.dropped_on is None for span in v)}
    users = accounts.users_by_id(by_student)
    rows = []
    for student_id, spans_of in by_student.items():
        user = users.get(student_id)
        if user is None:
            continue
        family = user.family_name or ""
        given = user.given_name or ""
        name = f"{family}, {given}" if family and given else user.display_name
        rows.append(
            Row(
                student_id,
                name,
                user.sourced_id or user.identifier or "",
                user.email or "",
                user.identifier or "",
                spans_of,
            )
        )
    rows.sort(key=lambda r: (r.name.lower(), r.student_id))
    first_day = min((span.added_on for row in rows for span in row.spans), default=None)
    for row in rows:
        row.joined_late = first_day is not None and min(span.added_on for span in row.spans) > first_day
    return rows


def _grades(section_id: int, student_ids=None) -> dict[tuple[int, int], tuple]:
    query = select(
        Grade.assignment_id,
        Grade.student_id,
        Grade.score,
        Grade.letter,
        Grade.is_excused,
        Grade.is_marked_missing,
        Grade.comment,
        Grade.posted_at,
    ).where(Grade.section_id == section_id)
    if student_ids is not None:
        query = query.where(Grade.student_id.in_(list(student_ids) or [-1]))
    return {(row[0], row[1]): row for row in db.session.execute(query).tuples()}


def _latest_submissions(section_id: int, student_ids=None) -> dict[tuple[int, int], datetime]:
    query = (
        select(Submission.assignment_id, Submission.student_id, Submission.submitted_at)
        .where(Submission.section_id == section_id)
        .distinct(Submission.assignment_id, Submission.student_id)
        .order_by(Submission.assignment_id, Submission.student_id, Submission.attempt.desc())
    )
    if student_ids is not None:
        query = query.where(Submission.student_id.in_(list(student_ids) or [-1]))
    return {(a, s): at for a, s, at in db.session.execute(query).tuples()}


def load_book(
    actor,
    section,
    student_ids=None,
    at: datetime | None = None,
    include_dropped: bool = False,
    posted_only=False,
    rules=None,
    term=None,
) -> Book:
    """The section's book (the caller checked access): every column, the active students (or `student_ids`),
    each cell's state and each student's grade per grading period and for the term.

    posted_only (what students and guardians see): published assignments only, and a grade not posted yet is
    neither shown nor counted (nor reported missing: it is graded, just held)."""
    moment = at or now()
    tz = tz_of(actor)
    term = term or org.term_of(actor, section.term_id)
    rules = rules or settings.rules_for(section)
    periods = settings.periods_of(term, rules.lock_days_after_term)
    columns = _columns(section, periods, tz)
    if posted_only:
        columns = [c for c in columns if c.publish_at is not None and c.publish_at <= moment]
    rows = _people(section.id, student_ids, include_dropped)
    ids = [row.student_id for row in rows]
    # Staff reading a book see these students' grades (FERPA access audit; students and guardians are skipped).
    audit.record_accesses(actor, ids, "gradebook", "instruction", f"section {section.id}")
    grades = _grades(section.id, ids if student_ids is not None else None)
    handed_in = _latest_submissions(section.id, ids if student_ids is not None else None)
    overrides = overrides_of([c.id for c in columns])
    days = school_days_for(actor, section, term)
    names = {c.id: c.name for c in rules.categories}
    for column in columns:
        column.category_name = names.get(column.category_id, "")
        column.due_on = local_date(column.due_at, tz)
    cells: list[list[Cell]] = []
    for row in rows:
        line = []
        for column in columns:
            found = grades.get((column.id, row.student_id))
            cell = Cell()
            if found is not None:
                (_a, _s, cell.score, cell.letter, cell.excused, cell.marked_missing, cell.comment, posted_at) = found
                cell.posted = posted_at is not None
            cell.submitted_at = handed_in.get((column.id, row.student_id))
            override = overrides.get((column.id, row.student_id))
            due, lock, due_on = column.due_at, column.lock_at, column.due_on
            if override is not None:
                due, lock, cell.exempt = override.due_at or due, override.lock_at or lock, override.is_exempt
                due_on = local_date(due, tz)
            state = cell_state(
                due_on=due_on,
                due_at=due,
                lock_at=lock,
                spans=row.spans,
                submitted_at=cell.submitted_at,
                has_submission_type=column.submission_type != "none",
                score=cell.score,
                excused=cell.excused,
                marked_missing=cell.marked_missing,
                exempt=cell.exempt,
                now=moment,
                tz=tz,
                days=days,
            )
            cell.applies, cell.missing, cell.late_days = state.applies, state.missing, state.late_days
            if posted_only and cell.score is not None and not cell.posted:
                cell.score, cell.letter, cell.comment = None, None, ""
                state.missing = False
            cell.text = cell_text(column, cell)
            cell.css = cell_css(column, cell)
            line.append((cell, state))
        _grade_row(row, columns, line, rules, periods)
        cells.append([cell for cell, _state in line])
    return Book(section, term, columns, rows, cells, rules, periods, names)


def _grade_row(row: Row, columns: list[Column], line, rules: settings.Rules, periods) -> None:
    by_period: dict[int | None, list[gm.Score]] = {period.id: [] for period in periods}
    for column, (cell, state) in zip(columns, line, strict=True):
        if cell.missing:
            row.missing_count += 1
        score = to_score(
            assignment_id=column.id,
            category_id=column.category_id,
            points_possible=column.points,
            grading_type=column.grading_type,
            allows_extra_credit=column.allows_extra_credit,
            score=cell.score,
            excused=cell.excused,
            state=state,
        )
        if score is not None and score.counts:
            by_period.setdefault(column.period_id, []).append(score)
    categories = rules.math_categories
    prefix = repr((rules.policy, categories))
    parts = []
    for period in periods:
        result = course_grade(by_period.get(period.id, []), categories, rules.policy, prefix)
        row.period_percents[period.id] = result.percent
        parts.append((result.percent, period.weight))
    row.percent = parts[0][0] if len(parts) == 1 else gm.combine_periods(parts, rules.policy)
    row.letter = gm.letter_for(row.percent, rules.bands, rules.policy)
