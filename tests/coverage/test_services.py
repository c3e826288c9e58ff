"""Coverage against a hand-made fixture: a grade-6 mathematics course with two sections, lessons aligned to some
of the grade-6 framework's standards, scheduled on days before and after 'today'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from app import db
from app.coverage import services as coverage
from app.curriculum import services as curriculum
from app.errors import NotFound
from app.org.models import Course
from app.rosters.models import SectionTeacher
from app.standards.models import StandardItem
from tests.curriculum.conftest import planning  # noqa: F401 - a course taught by a teacher
from tests.standards.conftest import imported, system  # noqa: F401 - the grade-6 framework imported
from tests.standards.packages import ident

TODAY = date(2026, 10, 1)


def _id_of(n: int) -> int:
    return db.session.scalar(select(StandardItem.id).where(StandardItem.identifier == ident(n)))


@dataclass
class Fixture:
    course: object
    second_section: int
    lessons: dict


@pytest.fixture
def course(imported, planning, make_section, district):  # noqa: F811
    """Lesson "ratios" -> 6.RP.A.1, taught 8 September in section 1 only; "tables" -> 6.RP.A.3a, planned for
    2 November; "reasoning" -> 6.RP.A.3 (an inner standard), not scheduled; "review" aligned to nothing.
    6.RP.A.2 is aligned to nothing: it is the gap."""
    course = planning(name="Math 6")
    db.set_tenant(district.id, None, "system")
    row = db.session.scalar(select(Course).where(Course.id == course.id))
    row.grade_low = row.grade_high = 6
    row.subject = "Math"
    db.session.commit()
    second = make_section("Math 6", "P2", teacher=course.teacher)
    db.set_tenant(district.id, None, "system")
    from app.rosters.models import Section

    db.session.scalar(select(Section).where(Section.id == second.id)).course_id = course.id  # a second period
    db.session.commit()
    actor = course.actor
    unit = curriculum.create_unit(actor, course.id, "Ratios", {})
    lessons = {}
    for title, standard in (("ratios", 4), ("tables", 7), ("reasoning", 6), ("review", None)):
        lesson = curriculum.create_lesson(actor, unit.id, title, {})
        ids = [_id_of(standard)] if standard else []
        lessons[title] = curriculum.update_lesson(
            actor, lesson.id, title, {}, base_revision=lesson.revision, standard_ids=ids
        )
    curriculum.schedule_lesson(actor, course.section_id, lessons["ratios"].id, date(2026, 9, 8))
    curriculum.schedule_lesson(actor, course.section_id, lessons["tables"].id, date(2026, 11, 2))
    curriculum.schedule_lesson(actor, second.id, lessons["tables"].id, date(2026, 9, 15))
    return Fixture(course, second.id, lessons)


def _rows(report) -> dict:
    return {row.standard.code: row for row in report.rows}


def test_each_standard_of_the_grade_is_planned_taught_or_a_gap(course):
    report = coverage.course_coverage(course.course.actor, course.course.id, today=TODAY)
    rows = _rows(report)
    # The leaves of grade 6, and 6.RP.A.3 because a lesson aligns to it directly.
    assert set(rows) == {"6.RP.A.1", "6.RP.A.2", "6.RP.A.3", "6.RP.A.3a"}
    assert rows["6.RP.A.1"].status == "taught" and rows["6.RP.A.1"].taught[0].on == date(2026, 9, 8)
    assert [e.title for e in rows["6.RP.A.1"].planned] == ["ratios"]
    assert rows["6.RP.A.2"].status == "uncovered" and not rows["6.RP.A.2"].is_covered
    assert rows["6.RP.A.3"].status == "planned"
    # "tables" is taught in the second period (15 September) though not yet in the first (2 November).
    assert [(t.section_id, t.on) for t in rows["6.RP.A.3a"].taught] == [(course.second_section, date(2026, 9, 15))]
    assert report.counts == {
        "total": 4,
        "planned": 3,
        "taught": 2,
        "assessed": 0,
        "available": 0,
        "uncovered": 1,
    }


def test_a_sections_coverage_reads_only_its_own_plan(course):
    report = coverage.section_coverage(course.course.actor, course.second_section, today=TODAY)
    rows = _rows(report)
    assert rows["6.RP.A.1"].status == "planned"  # planned for the course, taught only in the first period
    assert rows["6.RP.A.3a"].status == "taught"


def test_taught_means_the_day_has_come(course):
    later = coverage.course_coverage(course.course.actor, course.course.id, today=date(2026, 11, 2))
    assert len(_rows(later)["6.RP.A.3a"].taught) == 2
    earlier = coverage.course_coverage(course.course.actor, course.course.id, today=date(2026, 9, 7))
    assert _rows(earlier)["6.RP.A.1"].status == "planned"


def test_a_course_of_another_grade_or_subject_has_none_of_these_standards(course, district):
    db.set_tenant(district.id, None, "system")
    row = db.session.scalar(select(Course).where(Course.id == course.course.id))
    row.subject = "Science"
    db.session.commit()
    assert coverage.course_coverage(course.course.actor, course.course.id, today=TODAY).rows == []
    row.subject, row.grade_low, row.grade_high = "Mathematics", 7, 7
    db.session.commit()
    assert coverage.course_coverage(course.course.actor, course.course.id, today=TODAY).rows == []


def test_a_retired_standard_leaves_the_list_but_not_the_lessons_alignment(course, imported):  # noqa: F811
    from tests.standards.conftest import run_import
    from tests.standards.packages import grade6, to_bytes, without

    actor, _record = imported
    run_import(actor, to_bytes(without(grade6(), 5)))  # 6.RP.A.2 retired
    rows = _rows(coverage.course_coverage(course.course.actor, course.course.id, today=TODAY))
    assert "6.RP.A.2" not in rows and "6.RP.A.1" in rows


def test_the_drill_down_lists_a_standards_lessons_and_where_they_were_taught(course):
    details = coverage.standard_in_course(course.course.actor, course.course.id, _id_of(7))
    assert [e.title for e in details["row"].planned] == ["tables"]
    with pytest.raises(NotFound):
        coverage.standard_in_course(course.course.actor, course.course.id, _id_of(2))  # a domain, not listed


def test_a_teacher_of_another_course_and_a_student_get_not_found(course, make_user, actor_of, make_actor):
    with pytest.raises(NotFound):
        coverage.course_coverage(actor_of(make_user("teacher")), course.course.id)
    with pytest.raises(NotFound):
        coverage.course_coverage(actor_of(make_user("student")), course.course.id)


def test_a_school_admin_sees_every_section_and_the_lessons_published_to_them(course, make_user, actor_of):
    admin = actor_of(make_user("school_admin"))
    report = coverage.course_coverage(admin, course.course.id, today=TODAY)
    assert len(report.sections) == 2
    assert _rows(report)["6.RP.A.1"].status == "uncovered"  # the teacher's private drafts are not counted
    actor, ratios = course.course.actor, course.lessons["ratios"]
    curriculum.update_lesson(actor, ratios.id, "ratios", {}, visibility="school", base_revision=ratios.revision)
    curriculum.publish_lesson(actor, ratios.id)
    report = coverage.course_coverage(admin, course.course.id, today=TODAY)
    assert _rows(report)["6.RP.A.1"].status == "taught"


def test_a_co_teacher_who_is_not_in_a_section_does_not_see_its_plan(course, make_user, actor_of, district):
    colleague = make_user("teacher")
    db.set_tenant(district.id, None, "system")
    db.session.add(SectionTeacher(district_id=district.id, section_id=course.second_section, teacher_id=colleague.id))
    db.session.commit()
    report = coverage.course_coverage(actor_of(colleague), course.course.id, today=TODAY)
    assert [s.id for s in report.sections] == [course.second_section]
