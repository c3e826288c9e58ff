"""What students and guardians see: my assignments (due, missing, graded) and grades by course with feedback.

A student sees their own; a guardian sees a linked student's only where the link allows grades (and the
student does not hold their own rights: accounts.guardian_may_see_grades); everyone sees only published
assignments and posted grades. Anyone else gets NotFound."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from app.accounts import services as accounts
from app.errors import NotFound
from app.gradebook import policy
from app.gradebook.services.assignments import now
from app.gradebook.services.book import Cell, Column, load_book
from app.rosters import services as rosters


@dataclass
class WorkItem:
    column: Column
    cell: Cell
    section_id: int
    section_name: str

    @property
    def status(self) -> str:
        """graded, excused, missing, submitted, due (not yet) or open (no due date)."""
        if self.cell.excused:
            return "excused"
        if self.cell.score is not None:
            return "graded"
        if self.cell.missing:
            return "missing"
        if self.cell.submitted_at is not None:
            return "submitted"
        return "due" if self.column.due_at is not None else "open"


@dataclass
class CourseGrades:
    section: object
    teachers: list[str]
    percent: Decimal | None
    letter: str | None
    items: list[WorkItem] = field(default_factory=list)


@dataclass
class StudentWork:
    student: object
    sees_grades: bool
    courses: list[CourseGrades]
    is_guardian_view: bool

    def items(self, *statuses) -> list[WorkItem]:
        found = [item for course in self.courses for item in course.items if item.cell.applies]
        return [item for item in found if not statuses or item.status in statuses]

    @property
    def upcoming(self) -> list[WorkItem]:
        horizon = now() + timedelta(days=14)
        soon = [i for i in self.items("due", "submitted") if i.column.due_at and now() <= i.column.due_at <= horizon]
        return sorted(soon, key=lambda i: i.column.due_at)

    @property
    def missing(self) -> list[WorkItem]:
        return sorted(self.items("missing"), key=lambda i: i.column.due_at or datetime.max)

    @property
    def graded(self) -> list[WorkItem]:
        return sorted(self.items("graded", "excused"), key=lambda i: i.column.due_at or now(), reverse=True)


def _viewable(actor, student_id: int) -> tuple[object, bool, bool]:
    """(student, sees grades, guardian view) or NotFound."""
    if actor.id == student_id and policy.is_student(actor):
        return accounts.get_user(student_id), True, False
    if policy.is_guardian(actor) and accounts.guardian_link(actor.id, student_id) is not None:
        student = rosters.get_student(actor, student_id)
        return student, accounts.guardian_may_see_grades(actor.id, student_id), True
    raise NotFound()


def student_work(actor, student_id: int) -> StudentWork:
    """The student (themself) or a linked guardian: published assignments and posted grades of each of the
    student's current sections, with feedback. A guardian whose link does not allow grades gets none."""
    student, sees, as_guardian = _viewable(actor, student_id)
    if not sees:
        return StudentWork(student, False, [], as_guardian)
    sections = rosters.sections_of_student(student_id)
    teachers = rosters.teacher_names([s.id for s in sections])
    courses = []
    for section in sections:
        book = load_book(actor, section, student_ids=[student_id], posted_only=True)
        if not book.rows:
            continue
        row, line = book.rows[0], book.cells[0]
        items = [WorkItem(c, cell, section.id, section.name) for c, cell in zip(book.columns, line, strict=True)]
        courses.append(CourseGrades(section, teachers.get(section.id, []), row.percent, row.letter, items))
    return StudentWork(student, True, courses, as_guardian)


def my_children(actor) -> list:
    """Guardians: their linked students (for the grades menu)."""
    if not policy.is_guardian(actor):
        raise NotFound()
    return accounts.linked_students(actor)
