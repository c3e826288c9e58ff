"""Grading cells: typed values checked per grading type, every change kept, posting, changes after lock.

A typed value becomes (score, letter, excused, marked missing). Above the maximum is refused unless the
assignment allows extra credit; negative and non-numeric values are refused with a message the cell shows
next to what was typed. A grade whose grading period has locked (or whose section's term is closed) changes
only through a request an admin approves, with a reason; both are kept in the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.gradebook.data import COMPLETE_WORDS, EXCUSED_WORDS, INCOMPLETE_WORDS, MISSING_WORDS
from app.gradebook.models import Assignment, AssignmentSection, Grade, GradeHistory, TermGrade
from app.gradebook.services import settings
from app.gradebook.services.assignments import graded_section, now, tz_of
from app.gradebook.services.book import Book, load_book
from app.gradebook.services.compute import local_date
from app.rosters import services as rosters

FIELDS = ("score", "letter", "excused", "missing", "comment")


class NeedsApproval(Invalid):
    """The grade is locked: a change needs an admin's approval and a reason."""


@dataclass(frozen=True)
class Entry:
    """What a typed value means. kind: "score", "clear", "excused" or "missing"."""

    kind: str
    score: Decimal | None = None
    letter: str | None = None


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def parse_entry(raw: str | None, assignment: Assignment, bands, scale_max: int = 4) -> Entry:
    """The meaning of what a teacher typed into a cell of this assignment. Raises Invalid({"value": message})."""
    text = (raw or "").strip()
    lowered = text.lower()
    if not text:
        return Entry("clear")
    if lowered in EXCUSED_WORDS:
        return Entry("excused")
    if lowered in MISSING_WORDS:
        return Entry("missing")
    points = Decimal(assignment.points_possible)
    kind = assignment.grading_type
    letter = None
    if kind == "complete_incomplete":
        if lowered in COMPLETE_WORDS:
            return Entry("score", points)
        if lowered in INCOMPLETE_WORDS:
            return Entry("score", Decimal(0))
        raise Invalid({"value": _("Type C for complete, I for incomplete, EX for excused or M for missing.")})
    if kind == "letter" and not text.rstrip("%").replace(".", "", 1).replace(",", "", 1).lstrip("-").isdigit():
        match = next((band for band in bands if band.letter.lower() == lowered), None)
        if match is None:
            letters = ", ".join(band.letter for band in bands)
            raise Invalid({"value": _("Type one of the letters %(letters)s, EX or M.", letters=letters)})
        upper = min((b.min_percent for b in bands if b.min_percent > match.min_percent), default=Decimal(100))
        return Entry("score", (points * upper / 100).quantize(Decimal("0.01")), match.letter)
    is_percent = text.endswith("%") or kind == "percent"
    value = _number(text.rstrip("%").strip())
    if value is None:
        raise Invalid({"value": _("Enter a number, EX for excused or M for missing.")})
    if value < 0:
        raise Invalid({"value": _("A score cannot be negative.")})
    if kind == "mastery":
        if value > scale_max:
            raise Invalid({"value": _("Mastery levels go from 0 to %(max)s.", max=scale_max)})
        return Entry("score", value)
    if is_percent:
        if points == 0:
            raise Invalid({"value": _("This assignment has no points, so enter points rather than a percentage.")})
        value = (points * value / 100).quantize(Decimal("0.01"))
    if value > points and not assignment.allows_extra_credit:
        raise Invalid(
            {"value": _("The most this assignment gives is %(max)s points.", max=format(points.normalize(), "f"))}
        )
    if value >= Decimal("1000000"):
        raise Invalid({"value": _("That score is too large.")})
    if kind == "letter":
        letter = None
    return Entry("score", value.quantize(Decimal("0.01")), letter)


def _snapshot(grade: Grade | None) -> dict | None:
    if grade is None:
        return None
    return {
        "score": None if grade.score is None else str(Decimal(grade.score).normalize()),
        "letter": grade.letter,
        "excused": grade.is_excused,
        "missing": grade.is_marked_missing,
        "comment": grade.comment,
    }


def cell_context(actor, section_id: int, assignment_id: int, student_id: int):
    section = graded_section(actor, section_id)
    given = db.session.execute(
        select(Assignment, AssignmentSection)
        .join(AssignmentSection, AssignmentSection.assignment_id == Assignment.id)
        .where(Assignment.id == assignment_id, AssignmentSection.section_id == section.id)
    ).first()
    if given is None:
        raise NotFound()
    spans = rosters.enrollment_spans([section.id]).get((section.id, student_id))
    if not spans:
        raise NotFound()
    return section, given[0], given[1]


def lock_state(actor, section, due_at: datetime | None, rules=None, term=None) -> tuple[bool, str]:
    """(locked, why) for a grade of this section due at `due_at`: its grading period's lock day has passed, or the
    section closed that period's term grades. `rules` and `term`, when the caller has them, save their queries."""
    term = term or _term(actor, section)
    rules = rules or settings.rules_for(section)
    periods = settings.periods_of(term, rules.lock_days_after_term)
    period = settings.period_for(periods, local_date(due_at, tz_of(actor)))
    closed = db.session.scalar(
        select(TermGrade.id)
        .where(
            TermGrade.section_id == section.id,
            TermGrade.closed_at.is_not(None),
            (TermGrade.grading_period_id == period.id)
            if period.id is not None
            else TermGrade.grading_period_id.is_(None),
        )
        .limit(1)
    )
    if closed is not None:
        return True, _("Grades for %(period)s are closed.", period=period.name)
    if actor_today(actor) > period.locks_on:
        return True, _("Grades for %(period)s locked on %(day)s.", period=period.name, day=period.locks_on.isoformat())
    return False, ""


def actor_today(actor):
    return datetime.now(tz_of(actor)).date()


def _term(actor, section):
    from app.org import services as org

    return org.term_of(actor, section.term_id)


def write_grade(actor, section, assignment, student_id: int, change: dict, reason: str = "", approved_by=None) -> Grade:
    """Apply `change` (keys of FIELDS) to the grade, keep the history row, record the events."""
    grade = db.session.scalar(
        select(Grade).where(Grade.assignment_id == assignment.id, Grade.student_id == student_id).with_for_update()
    )
    before = _snapshot(grade)
    if grade is None:
        grade = Grade(
            district_id=actor.district_id,
            assignment_id=assignment.id,
            section_id=section.id,
            student_id=student_id,
            comment="",
            is_excused=False,
            is_marked_missing=False,
        )
        db.session.add(grade)
    if "score" in change:
        grade.score = change["score"]
        grade.letter = change.get("letter")
    if "excused" in change:
        grade.is_excused = change["excused"]
    if "missing" in change:
        grade.is_marked_missing = change["missing"]
    if "comment" in change:
        grade.comment = (change["comment"] or "")[:2000]
    after = _snapshot(grade)
    if after == before:
        return grade
    grade.graded_by = actor.id
    grade.updated_at = now()
    newly_posted = False
    if not assignment.is_held and grade.posted_at is None and (grade.score is not None or grade.is_excused):
        grade.posted_at = now()
        newly_posted = True
    db.session.flush()
    db.session.add(
        GradeHistory(
            district_id=actor.district_id,
            grade_id=grade.id,
            assignment_id=assignment.id,
            student_id=student_id,
            changed_by=actor.id,
            old=before,
            new=after,
            reason=reason[:500],
            approved_by=approved_by,
        )
    )
    payload = {"assignment_id": assignment.id, "section_id": section.id, "student_id": student_id}
    if newly_posted:
        record_event(actor, "grade.posted", "grade", grade.id, **payload)
    else:
        record_event(actor, "grade.changed", "grade", grade.id, posted=grade.posted_at is not None, **payload)
    return grade


def change_for(entry: Entry) -> dict:
    if entry.kind == "excused":
        return {"excused": True, "missing": False}
    if entry.kind == "missing":
        return {"missing": True, "excused": False, "score": None}
    if entry.kind == "clear":
        return {"score": None, "excused": False, "missing": False}
    return {"score": entry.score, "letter": entry.letter, "excused": False, "missing": False}


@dataclass
class CellSaved:
    book: Book
    grade: Grade | None


def grade_cell(actor, section_id: int, assignment_id: int, student_id: int, raw: str | None) -> CellSaved:
    """The section's teachers: set one cell from what was typed. Raises NotFound (not theirs, not in the
    section), Invalid({"value": ...}) for a refused value, NeedsApproval when the grade is locked. Returns the
    student's recomputed row (one student's book)."""
    section, assignment, given = cell_context(actor, section_id, assignment_id, student_id)
    rules = settings.rules_for(section)
    entry = parse_entry(raw, assignment, rules.bands, rules.mastery_scale_max)
    term = _term(actor, section)
    locked, why = lock_state(actor, section, given.due_at, rules, term)
    if locked:
        raise NeedsApproval({"value": why})
    grade = write_grade(actor, section, assignment, student_id, change_for(entry))
    db.session.commit()
    return CellSaved(load_book(actor, section, student_ids=[student_id], rules=rules, term=term), grade)


def set_comment(actor, section_id: int, assignment_id: int, student_id: int, comment: str) -> Grade:
    """The section's teachers: the feedback comment on one cell (kept in the history like any change)."""
    section, assignment, given = cell_context(actor, section_id, assignment_id, student_id)
    if len(comment or "") > 2000:
        raise Invalid({"comment": _("Keep the comment under 2000 characters.")})
    locked, why = lock_state(actor, section, given.due_at)
    if locked:
        raise NeedsApproval({"comment": why})
    grade = write_grade(actor, section, assignment, student_id, {"comment": comment or ""})
    db.session.commit()
    return grade


def fill_column(actor, section_id: int, assignment_id: int, raw: str, only_empty: bool = True) -> int:
    """The section's teachers: the same value for every active student of the column (only the empty cells
    unless only_empty is False). Raises Invalid for a refused value, NeedsApproval when locked. Returns how
    many cells changed."""
    section = graded_section(actor, section_id)
    students = [
        s for (_sec, s), spans in rosters.enrollment_spans([section.id]).items() if any(d is None for _a, d in spans)
    ]
    if not students:
        return 0
    _section, assignment, given = cell_context(actor, section_id, assignment_id, students[0])
    rules = settings.rules_for(section)
    entry = parse_entry(raw, assignment, rules.bands, rules.mastery_scale_max)
    if entry.kind == "clear":
        raise Invalid({"value": _("Type the value to fill the column with.")})
    locked, why = lock_state(actor, section, given.due_at)
    if locked:
        raise NeedsApproval({"value": why})
    existing = {
        g.student_id: g
        for g in db.session.scalars(
            select(Grade).where(Grade.assignment_id == assignment.id, Grade.section_id == section.id)
        )
    }
    changed = 0
    for student_id in students:
        grade = existing.get(student_id)
        if only_empty and grade is not None and (grade.score is not None or grade.is_excused):
            continue
        before = _snapshot(grade)
        written = write_grade(actor, section, assignment, student_id, change_for(entry))
        changed += _snapshot(written) != before
    db.session.commit()
    return changed


def enter_column(actor, section_id: int, assignment_id: int, values: dict[int, str]) -> dict[int, str]:
    """The section's teachers: a column typed on one page (student id -> typed value; a blank leaves the cell
    alone). Every valid value is saved; returns student id -> message for each refused one (kept by the page)."""
    section = graded_section(actor, section_id)
    problems: dict[int, str] = {}
    for student_id, raw in values.items():
        if not (raw or "").strip():
            continue
        try:
            _section, assignment, given = cell_context(actor, section.id, assignment_id, student_id)
            rules = settings.rules_for(section)
            entry = parse_entry(raw, assignment, rules.bands, rules.mastery_scale_max)
            locked, why = lock_state(actor, section, given.due_at)
            if locked:
                raise NeedsApproval({"value": why})
            write_grade(actor, section, assignment, student_id, change_for(entry))
        except Invalid as error:
            problems[student_id] = str(error.fields.get("value") or error)
    db.session.commit()
    return problems


def post_grades(actor, assignment_id: int) -> int:
    """The assignment's teachers: release a held column to students and guardians (every section). Returns how
    many grades became visible; each records grade.posted."""
    from app.gradebook.services.assignments import get_assignment

    assignment = get_assignment(actor, assignment_id)
    assignment.is_held = False
    moment = now()
    grades = db.session.scalars(
        select(Grade).where(Grade.assignment_id == assignment.id, Grade.posted_at.is_(None))
    ).all()
    count = 0
    for grade in grades:
        if grade.score is None and not grade.is_excused:
            continue
        grade.posted_at = moment
        count += 1
        record_event(
            actor,
            "grade.posted",
            "grade",
            grade.id,
            assignment_id=assignment.id,
            section_id=grade.section_id,
            student_id=grade.student_id,
        )
    db.session.commit()
    return count


def hold_grades(actor, assignment_id: int) -> None:
    """The assignment's teachers: hold the column (new grades stay hidden until posted; posted ones stay)."""
    from app.gradebook.services.assignments import get_assignment

    assignment = get_assignment(actor, assignment_id)
    assignment.is_held = True
    db.session.commit()
