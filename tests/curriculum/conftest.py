"""A course with a section taught by a teacher, and the actors that plan it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app import db
from app.rosters.models import SectionTeacher


@dataclass
class Course:
    id: int
    section_id: int
    teacher: object
    actor: object


@pytest.fixture
def planning(make_user, make_section, actor_of, district):
    """make a course taught by a new teacher (or the given one): Course(id, section_id, teacher, actor)."""

    def _make(teacher=None, school_id=None, name: str = "Science 5"):
        teacher = teacher or make_user("teacher")
        section = make_section(name, "P1", teacher=teacher, school_id=school_id)
        return Course(section.course_id, section.id, teacher, actor_of(teacher))

    return _make


@pytest.fixture
def add_co_teacher(district):
    def _add(section_id: int, teacher) -> None:
        db.set_tenant(district.id, None, "system")
        db.session.add(
            SectionTeacher(district_id=district.id, section_id=section_id, teacher_id=teacher.id, is_primary=False)
        )
        db.session.commit()

    return _add
