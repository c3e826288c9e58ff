"""A section of a course taught by a teacher, with students enrolled from the start of the term (or later)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from app import db
from app.rosters.models import Section, SectionTeacher

TERM_START = date(2026, 8, 1)


@dataclass
class Klass:
    section: object
    teacher: object
    actor: object
    students: list = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.section.id


@pytest.fixture
def klass(make_user, make_section, make_enrollment, actor_of, district):
    """klass(n_students=3, teacher=None) -> Klass: a section with a teacher and students enrolled on 1 Aug."""

    def _make(n_students: int = 3, teacher=None, name: str = "Math 7"):
        teacher = teacher or make_user("teacher")
        section = make_section(name, "P1", teacher=teacher)
        made = Klass(section, teacher, actor_of(teacher))
        for n in range(n_students):
            student = make_user("student", family_name=f"Student{n}", given_name="Ann", display_name=f"Ann {n}")
            make_enrollment(district.id, section.id, student.id, TERM_START)
            made.students.append(student)
        db.set_tenant(district.id, teacher.id, "teacher")
        return made

    return _make


@pytest.fixture
def sibling_section(district):
    """sibling_section(klass, teacher) -> another section of the same course, taught by the teacher."""

    def _make(k, teacher=None, name: str = "Math 7 P2"):
        db.set_tenant(district.id, None, "system")
        other = Section(
            district_id=district.id,
            course_id=k.section.course_id,
            term_id=k.section.term_id,
            school_id=k.section.school_id,
            name=name,
            period="P2",
        )
        db.session.add(other)
        db.session.flush()
        db.session.add(
            SectionTeacher(district_id=district.id, section_id=other.id, teacher_id=(teacher or k.teacher).id)
        )
        db.session.commit()
        return other

    return _make


def ago(days: float) -> str:
    """A datetime-local string `days` ago (negative: in the future), in the district's zone (New York)."""
    from zoneinfo import ZoneInfo

    moment = datetime.now(ZoneInfo("America/New_York")) - timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def assign():
    """assign(klass, title=..., due=ago(3), **fields) -> an Assignment for the klass's section."""
    from app.gradebook import services

    def _make(k, title: str = "Quiz", due: str | None = None, lock: str | None = None, sections=None, **fields):
        data = services.AssignmentInput(title=title, **fields)
        section_ids = sections or [k.section.id]
        return services.create_assignment(k.actor, section_ids, data, {sid: (due, lock) for sid in section_ids})

    return _make


def local_today():
    """Today in the district's zone (New York): what lock days are compared with, not the machine's date."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("America/New_York")).date()
