"""Term grades: computed from the book, overridden by a teacher with a comment, closed, exported to the SIS.

A term with grading periods (Q1, Q2, a final exam) has a grade per period and a term grade combining them at
the periods' weights (math.combine_periods: a period without graded work drops out). Closing stores what the
grades are at that moment, locks the period's grades (later changes need an admin's approval) and records
term.closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.gradebook import math as gm
from app.gradebook.models import TermGrade
from app.gradebook.services.assignments import graded_section
from app.gradebook.services.book import Book, load_book


@dataclass
class TermRow:
    student_id: int
    name: str
    sis_id: str
    computed: dict  # period id (None: the term) -> (percent, letter)
    stored: dict  # period id -> TermGrade

    def final(self, period_id) -> tuple[Decimal | None, str | None, bool]:
        """(percent, letter, is_override) the SIS receives for the period."""
        row = self.stored.get(period_id)
        if row is not None and (row.override_percent is not None or row.override_letter):
            return row.override_percent, row.override_letter, True
        if row is not None and row.closed_at is not None:
            return row.computed_percent, row.computed_letter, False
        return (*self.computed.get(period_id, (None, None)), False)


@dataclass
class TermSheet:
    book: Book
    rows: list[TermRow]
    period_keys: list  # [(period id or None, name, weight)]
    closed: dict  # period id -> closed_at

    @property
    def has_periods(self) -> bool:
        return len(self.period_keys) > 1


def _stored(section_id: int) -> dict[tuple[int, int | None], TermGrade]:
    rows = db.session.scalars(select(TermGrade).where(TermGrade.section_id == section_id))
    return {(row.student_id, row.grading_period_id): row for row in rows}


def term_sheet(actor, section_id: int) -> TermSheet:
    """The section's teachers: each student's computed grade per grading period and for the term, beside what
    is stored (closed or overridden). NotFound for anyone else."""
    section = graded_section(actor, section_id)
    book = load_book(actor, section)
    stored = _stored(section.id)
    keys = [(p.id, p.name, p.weight) for p in book.periods]
    if len(keys) > 1:
        keys.append((None, _("Term"), None))
    rows = []
    for row in book.rows:
        computed = {
            pid: (pct, gm.letter_for(pct, book.rules.bands, book.rules.policy))
            for pid, pct in row.period_percents.items()
        }
        computed[None] = (row.percent, row.letter)
        rows.append(
            TermRow(
                row.student_id,
                row.name,
                row.sis_id,
                computed,
                {pid: stored[(row.student_id, pid)] for pid, _n, _w in keys if (row.student_id, pid) in stored},
            )
        )
    closed = {}
    for (_student, pid), term_grade in stored.items():
        if term_grade.closed_at is not None:
            closed[pid] = term_grade.closed_at
    return TermSheet(book, rows, keys, closed)


def _row(actor, section_id: int, student_id: int, period_id: int | None) -> TermGrade:
    found = db.session.scalar(
        select(TermGrade).where(
            TermGrade.section_id == section_id,
            TermGrade.student_id == student_id,
            (TermGrade.grading_period_id == period_id)
            if period_id is not None
            else TermGrade.grading_period_id.is_(None),
        )
    )
    if found is None:
        found = TermGrade(
            district_id=actor.district_id, section_id=section_id, student_id=student_id, grading_period_id=period_id
        )
        db.session.add(found)
    return found


def override_term_grade(
    actor, section_id: int, student_id: int, period_id: int | None, percent: str, letter: str, comment: str
) -> TermGrade:
    """The section's teachers: replace a computed term grade (percent, letter or both) with a comment, which is
    required and kept; both empty removes the override. After close it needs an admin (NotAllowed -> 404 is
    not used: Invalid says so). Raises NotFound for a student not in the section or an unknown period."""
    sheet = term_sheet(actor, section_id)
    row = next((r for r in sheet.rows if r.student_id == student_id), None)
    if row is None or period_id not in {pid for pid, _n, _w in sheet.period_keys}:
        raise NotFound()
    if period_id in sheet.closed:
        raise Invalid({"": _("This term grade is closed; ask an admin to change it.")})
    errors: dict[str, str] = {}
    value = None
    if (percent or "").strip():
        try:
            value = Decimal(percent.strip().rstrip("%").replace(",", "."))
            if not value.is_finite() or value < 0 or value > 1000:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["percent"] = _("Enter a percentage, for example 87.5.")
    letter = (letter or "").strip()
    if letter and letter not in {band.letter for band in sheet.book.rules.bands}:
        errors["letter"] = _("Use one of the scale's letters.")
    clearing = value is None and not letter
    if not clearing and not (comment or "").strip():
        errors["comment"] = _("Say why the grade is overridden; the comment is kept with it.")
    if errors:
        raise Invalid(errors)
    stored = _row(actor, section_id, student_id, period_id)
    if clearing:
        stored.override_percent, stored.override_letter, stored.override_comment, stored.override_by = (
            None,
            None,
            "",
            None,
        )
    else:
        if value is not None and not letter:
            letter = gm.letter_for(value, sheet.book.rules.bands, sheet.book.rules.policy) or ""
        stored.override_percent, stored.override_letter = value, letter or None
        stored.override_comment, stored.override_by = comment.strip()[:500], actor.id
    pct, computed_letter = row.computed.get(period_id, (None, None))
    stored.computed_percent, stored.computed_letter = pct, computed_letter
    stored.updated_at = datetime.now(UTC)
    db.session.commit()
    return stored


def close_term(actor, section_id: int, period_id: int | None) -> int:
    """The section's teachers: store every student's grade for the period (or the term) as closed, lock it, and
    record term.closed. Closing twice changes nothing. Returns how many students were closed."""
    sheet = term_sheet(actor, section_id)
    if period_id not in {pid for pid, _n, _w in sheet.period_keys}:
        raise NotFound()
    if period_id in sheet.closed:
        return 0
    moment = datetime.now(UTC)
    for row in sheet.rows:
        stored = _row(actor, section_id, row.student_id, period_id)
        stored.computed_percent, stored.computed_letter = row.computed.get(period_id, (None, None))
        stored.closed_at, stored.closed_by, stored.updated_at = moment, actor.id, moment
    record_event(
        actor,
        "term.closed",
        "section",
        section_id,
        term_id=sheet.book.section.term_id,
        grading_period_id=period_id,
        students=len(sheet.rows),
    )
    db.session.commit()
    return len(sheet.rows)
