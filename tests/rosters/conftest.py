"""Fixtures for rosters: sections built straight from the models (the org domain's pages make them for real)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from app import db
from app.accounts.data import Actor
from app.accounts.services import actor_for_user


@pytest.fixture
def actor_of():
    """actor_of(user) -> the Actor services see for that user, under the user's district."""

    def _actor(user) -> Actor:
        return actor_for_user(user.district_id, user.id)

    return _actor


@pytest.fixture
def make_section(district):
    from app.org.models import AcademicYear, Course, Term
    from app.rosters.models import Section, SectionTeacher

    made = {}

    def _make(
        name: str = "Math 7",
        period: str | None = "P1",
        teacher=None,
        district=district,
        school_id=None,
        is_archived: bool = False,
    ):
        db.set_tenant(district.id, None, "system")
        if district.id not in made:
            year = AcademicYear(
                district_id=district.id,
                name=f"Y-{uuid.uuid4().hex[:6]}",
                starts_on=date(2026, 8, 1),
                ends_on=date(2027, 6, 30),
                is_current=True,
            )
            db.session.add(year)
            db.session.flush()
            term = Term(
                district_id=district.id,
                academic_year_id=year.id,
                name="Fall",
                starts_on=date(2026, 8, 1),
                ends_on=date(2026, 12, 20),
            )
            db.session.add(term)
            db.session.flush()
            made[district.id] = term
        term = made[district.id]
        school_id = school_id or district.school_id
        course = Course(district_id=district.id, school_id=school_id, code=f"C-{uuid.uuid4().hex[:6]}", name=name)
        db.session.add(course)
        db.session.flush()
        section = Section(
            district_id=district.id,
            course_id=course.id,
            term_id=term.id,
            school_id=school_id,
            name=name,
            period=period,
            is_archived=is_archived,
        )
        db.session.add(section)
        db.session.flush()
        if teacher is not None:
            db.session.add(SectionTeacher(district_id=district.id, section_id=section.id, teacher_id=teacher.id))
        db.session.commit()
        return section

    return _make
