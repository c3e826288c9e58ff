"""Year rollover: preview counts, apply through the job, idempotent reruns, exact revert, confirm."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import User
from app.errors import Invalid, NotFound
from app.events.models import Event
from app.identity.data import SystemActor
from app.jobruns.models import JobRun
from app.org import services
from app.org.models import AcademicYear, Course
from app.rollover import services as rollover_services
from app.rollover.models import Rollover
from app.rosters import services as rosters
from app.rosters.models import Enrollment, Section
from tests.factories import terms_of
from tests.jobqueue import empty_queues, run_jobs


@pytest.fixture
def world(make_user, district, tenant, make_actor, make_year, make_enrollment):
    """2025-26 (current) with two courses and three sections; 2026-27 already has one of the courses."""
    empty_queues()
    admin = make_actor("district_admin")
    old, new = make_year(admin, "2025-26", 2025, current=True), make_year(admin, "2026-27", 2026)
    fall, spring = terms_of(admin, old.id)
    teacher = make_user("teacher")
    math = services.create_course(admin, district.school_id, old.id, "MATH3", "Math 3", "Math", 3, 3)
    art = services.create_course(admin, district.school_id, old.id, "ART", "Art", "Art", 0, 12)
    services.create_course(admin, district.school_id, new.id, "art", "Art (new)", "Art", 0, 12)
    sections = [
        rosters.create_section(admin, district.school_id, course.id, term.id, [teacher.id], "", period, "")
        for course, term, period in ((math, fall, "P1"), (math, spring, "P1"), (art, fall, "P4"))
    ]
    students = {grade: make_user("student", grade_level=grade) for grade in (3, 11, 12)} | {
        "none": make_user("student", grade_level=None),
        "staff": make_user("teacher", grade_level=5),
    }
    third = make_user("student", grade_level=3)
    for student in (students[3], third, students[12]):
        make_enrollment(district.id, sections[0].id, student.id, date(2025, 8, 20))
    dropped = make_enrollment(district.id, sections[2].id, students[11].id, date(2025, 8, 20))
    dropped.dropped_on = date(2025, 10, 1)
    db.session.commit()
    return {
        "admin": admin,
        "old": old,
        "new": new,
        "math": math,
        "art": art,
        "sections": sections,
        "students": students,
        "third": third,
        "dropped": dropped,
    }


def _grades(world) -> dict:
    ids = [u.id for u in world["students"].values()] + [world["third"].id]
    return dict(db.session.execute(select(User.id, User.grade_level).where(User.id.in_(ids))).tuples().all())


def _snapshot(world, district) -> dict:
    return {
        "grades": _grades(world),
        "archived": sorted(db.session.scalars(select(Section.id).where(Section.is_archived))),
        "enrollments": sorted(db.session.execute(select(Enrollment.id, Enrollment.dropped_on)).tuples().all()),
        "courses": sorted(db.session.scalars(select(Course.id))),
        "current": db.session.scalar(select(AcademicYear.id).where(AcademicYear.is_current)),
        "archived_years": sorted(db.session.scalars(select(AcademicYear.id).where(AcademicYear.is_archived))),
    }


def _apply(world, tenant, district) -> Rollover:
    rollover = rollover_services.start_rollover(world["admin"], world["old"].id, world["new"].id)
    rollover_services.apply_rollover(world["admin"], rollover.id)
    run_jobs()
    tenant(district)
    return db.session.get(Rollover, rollover.id)


def test_the_preview_counts_what_applying_will_change(world):
    rollover = rollover_services.start_rollover(world["admin"], world["old"].id, world["new"].id)

    assert rollover.status == "previewed"
    assert rollover.preview == {
        "sections_to_archive": 3,
        "promote_by_grade": {"3": 2, "11": 1},
        "students_to_promote": 3,
        "graduates": 1,
        "students_without_grade": 1,
        "enrollments_to_end": 3,
        "courses_to_carry": 1,
        "courses_already_there": 1,
    }


def test_the_new_year_must_be_later_than_the_ending_one(world):
    with pytest.raises(Invalid) as excinfo:
        rollover_services.start_rollover(world["admin"], world["new"].id, world["old"].id)

    assert "must come after 2026-27" in str(excinfo.value.fields["to_year_id"])


def test_the_new_year_must_be_chosen(world):
    with pytest.raises(Invalid) as excinfo:
        rollover_services.start_rollover(world["admin"], world["old"].id, None)

    assert "to_year_id" in excinfo.value.fields


def test_a_school_admin_cannot_run_a_rollover(world, make_user, make_actor):
    with pytest.raises(NotFound):
        rollover_services.start_rollover(make_actor("school_admin"), world["old"].id, world["new"].id)


def test_applying_through_the_job_promotes_graduates_archives_ends_and_carries(world, tenant, district):
    rollover = _apply(world, tenant, district)

    students = world["students"]
    assert rollover.status == "applied" and rollover.applied_at is not None
    assert _grades(world) == {
        students[3].id: 4,
        world["third"].id: 4,
        students[11].id: 12,
        students[12].id: 13,
        students["none"].id: None,
        students["staff"].id: 5,
    }
    assert all(db.session.get(Section, s.id).is_archived for s in world["sections"])
    ended = db.session.scalars(select(Enrollment).where(Enrollment.section_id == world["sections"][0].id)).all()
    assert {e.dropped_on for e in ended} == {date(2026, 6, 30)}
    assert db.session.get(Enrollment, world["dropped"].id).dropped_on == date(2025, 10, 1)
    carried = db.session.scalars(select(Course).where(Course.academic_year_id == world["new"].id)).all()
    assert sorted(c.code for c in carried) == ["MATH3", "art"]
    new_math = next(c for c in carried if c.code == "MATH3")
    assert (new_math.name, new_math.subject, new_math.grade_low, new_math.school_id) == (
        "Math 3",
        "Math",
        3,
        district.school_id,
    )
    assert rollover.undo["course_map"][str(world["math"].id)] == new_math.id
    assert rollover.undo["created_courses"] == [new_math.id]
    assert db.session.get(AcademicYear, world["new"].id).is_current
    assert db.session.get(AcademicYear, world["old"].id).is_archived
    run = db.session.get(JobRun, rollover.job_run_id)
    assert (run.status, run.progress, run.total) == ("done", 5, 5)
    event = db.session.scalar(select(Event).where(Event.type == "rollover.applied"))
    assert event.payload["students_graduated"] == 1 and event.payload["students_promoted"] == 3


def test_rerunning_apply_after_a_crash_neither_copies_courses_nor_promotes_twice(world, tenant, district):
    rollover = rollover_services.start_rollover(world["admin"], world["old"].id, world["new"].id)
    rollover.status = "applying"
    db.session.commit()
    system = SystemActor(district.id, id=world["admin"].id)
    calls = []

    def crash(done, total=None, message=None):
        calls.append(done)
        if done == 4:
            raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        rollover_services.perform_rollover_apply(system, rollover.id, progress=crash)
    tenant(district)
    assert db.session.get(Rollover, rollover.id).undo["applied"] == ["courses", "sections", "enrollments", "grades"]

    rollover_services.perform_rollover_apply(system, rollover.id)
    rollover_services.perform_rollover_apply(system, rollover.id)

    assert db.session.get(Rollover, rollover.id).status == "applied"
    assert _grades(world)[world["students"][3].id] == 4
    assert db.session.scalar(
        select(Course.id).where(Course.academic_year_id == world["new"].id, Course.code == "MATH3")
    )
    assert len(db.session.scalars(select(Course).where(Course.academic_year_id == world["new"].id)).all()) == 2


def test_revert_restores_exactly_what_was_there_before(world, tenant, district):
    before = _snapshot(world, district)
    rollover = _apply(world, tenant, district)
    assert _snapshot(world, district) != before

    rollover_services.revert_rollover(world["admin"], rollover.id)
    run_jobs()
    tenant(district)

    assert db.session.get(Rollover, rollover.id).status == "reverted"
    assert _snapshot(world, district) == before
    assert db.session.scalar(select(Event.type).where(Event.type == "rollover.reverted")) == "rollover.reverted"


def test_revert_is_refused_once_a_carried_course_has_sections(world, tenant, district, make_user):
    rollover = _apply(world, tenant, district)
    new_fall, _ = terms_of(world["admin"], world["new"].id)
    new_math = rollover.undo["created_courses"][0]
    teacher = make_user("teacher")
    rosters.create_section(world["admin"], district.school_id, new_math, new_fall.id, [teacher.id], "", "P1", "")

    with pytest.raises(Invalid) as excinfo:
        rollover_services.revert_rollover(world["admin"], rollover.id)

    assert "1 sections were already added" in str(excinfo.value.fields[""])


def test_confirm_makes_the_rollover_final_and_blocks_revert(world, tenant, district):
    rollover = _apply(world, tenant, district)

    rollover_services.confirm_rollover(world["admin"], rollover.id)
    with pytest.raises(Invalid) as excinfo:
        rollover_services.revert_rollover(world["admin"], rollover.id)

    assert db.session.get(Rollover, rollover.id).status == "confirmed"
    assert "can no longer be reverted" in str(excinfo.value.fields[""])
    assert db.session.scalar(select(Event.type).where(Event.type == "rollover.confirmed")) == "rollover.confirmed"


def test_a_second_rollover_waits_until_the_open_one_is_confirmed_or_reverted(world, tenant, district):
    _apply(world, tenant, district)

    with pytest.raises(Invalid) as excinfo:
        rollover_services.start_rollover(world["admin"], world["old"].id, world["new"].id)

    assert "Confirm or revert it" in str(excinfo.value.fields[""])


def test_a_previewed_rollover_cannot_be_confirmed(world):
    rollover = rollover_services.start_rollover(world["admin"], world["old"].id, world["new"].id)

    with pytest.raises(Invalid):
        rollover_services.confirm_rollover(world["admin"], rollover.id)
