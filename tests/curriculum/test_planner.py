"""The planner lays a section's lessons on the days it meets: skips move one section, days off move all of them."""

from __future__ import annotations

from datetime import date

import pytest

from app import db
from app.curriculum import services
from app.errors import Invalid, NotFound
from app.org import services as org
from app.rosters.models import Section, SectionTeacher

# The factories' Fall term starts on Saturday 1 August 2026; the school meets Monday to Friday.
MON, TUE, WED, THU, FRI = (date(2026, 8, d) for d in (3, 4, 5, 6, 7))
NEXT_MON = date(2026, 8, 10)


@pytest.fixture
def course_plan(planning):
    """A course with three lessons, its section's teacher, and a helper to read a section's plan by day."""
    course = planning()
    unit = services.create_unit(course.actor, course.id, "Forces", {})
    lessons = [services.create_lesson(course.actor, unit.id, title, {}) for title in ("Push", "Pull", "Friction")]
    return course, lessons


def _by_day(actor, section_id, start=MON, end=NEXT_MON):
    plan = services.section_plan(actor, section_id, start, end)
    return {day.on: [p.title for p in day.lessons] for day in plan.days}


def _second_section(course, teacher, district):
    """Another section of the same course and term, taught by `teacher`."""
    db.set_tenant(district.id, None, "system")
    first = db.session.get(Section, course.section_id)
    section = Section(
        district_id=district.id,
        course_id=first.course_id,
        term_id=first.term_id,
        school_id=first.school_id,
        name="Science 5",
        period="P2",
    )
    db.session.add(section)
    db.session.flush()
    db.session.add(SectionTeacher(district_id=district.id, section_id=section.id, teacher_id=teacher.id))
    db.session.commit()
    return section.id


def _schedule_all(course, section_id, lessons, **kwargs):
    return [services.schedule_lesson(course.actor, section_id, lesson.id, **kwargs) for lesson in lessons]


def test_lessons_take_the_sections_meeting_days_in_order(course_plan):
    course, (push, pull, friction) = course_plan
    services.schedule_lesson(course.actor, course.section_id, push.id)
    services.schedule_lesson(course.actor, course.section_id, pull.id, days=2)
    services.schedule_lesson(course.actor, course.section_id, friction.id)

    by_day = _by_day(course.actor, course.section_id)

    assert by_day[MON] == ["Push"]
    assert by_day[TUE] == ["Pull"] and by_day[WED] == ["Pull"]
    assert by_day[THU] == ["Friction"]
    assert by_day[FRI] == []
    assert date(2026, 8, 8) not in by_day  # a Saturday is no class day


def test_a_skipped_day_moves_what_follows_in_that_section_only(course_plan, district):
    course, lessons = course_plan
    other = _second_section(course, course.teacher, district)
    _schedule_all(course, course.section_id, lessons)
    _schedule_all(course, other, lessons)

    services.skip_day(course.actor, course.section_id, TUE, "Snow day")

    skipped = services.section_plan(course.actor, course.section_id, MON, FRI)
    assert [(d.on, d.skipped, [p.title for p in d.lessons]) for d in skipped.days[:4]] == [
        (MON, None, ["Push"]),
        (TUE, "Snow day", []),
        (WED, None, ["Pull"]),
        (THU, None, ["Friction"]),
    ]
    assert _by_day(course.actor, other)[TUE] == ["Pull"]

    services.unskip_day(course.actor, course.section_id, TUE)
    assert _by_day(course.actor, course.section_id)[TUE] == ["Pull"]


def test_a_snow_week_moves_the_plan_a_week(course_plan):
    course, lessons = course_plan
    _schedule_all(course, course.section_id, lessons)

    for day in (MON, TUE, WED, THU, FRI):
        services.skip_day(course.actor, course.section_id, day, "Snow")

    by_day = _by_day(course.actor, course.section_id, MON, date(2026, 8, 14))
    assert by_day[NEXT_MON] == ["Push"] and by_day[date(2026, 8, 12)] == ["Friction"]


def test_a_day_off_on_the_school_calendar_moves_every_section(course_plan, district, actor_in_role):
    course, lessons = course_plan
    other = _second_section(course, course.teacher, district)
    _schedule_all(course, course.section_id, lessons)
    _schedule_all(course, other, lessons)
    admin = actor_in_role("district_admin")

    org.add_day_off(admin, district.school_id, MON, None, "holiday", "Founders' day")

    assert _by_day(course.actor, course.section_id)[TUE] == ["Push"]
    assert _by_day(course.actor, other)[TUE] == ["Push"]
    assert MON not in _by_day(course.actor, other)


def test_a_section_on_a_days_meets_every_other_school_day(course_plan, district, actor_in_role):
    course, lessons = course_plan
    admin = actor_in_role("district_admin")
    org.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "ab", None)
    db.set_tenant(district.id, None, "system")
    section = db.session.get(Section, course.section_id)
    section.meeting_pattern, section.meeting_days = "rotation", [1]
    db.session.commit()
    _schedule_all(course, course.section_id, lessons)

    by_day = _by_day(course.actor, course.section_id)

    assert list(by_day) == [MON, WED, FRI]
    assert [by_day[d] for d in (MON, WED, FRI)] == [["Push"], ["Pull"], ["Friction"]]


def test_not_before_holds_a_lesson_back_and_a_move_to_a_day_places_it_there(course_plan):
    course, (push, pull, friction) = course_plan
    services.schedule_lesson(course.actor, course.section_id, push.id, not_before=WED)
    entry = services.schedule_lesson(course.actor, course.section_id, pull.id)
    services.schedule_lesson(course.actor, course.section_id, friction.id)

    assert _by_day(course.actor, course.section_id)[MON] == []
    assert _by_day(course.actor, course.section_id)[WED] == ["Push"]

    services.move_to_day(course.actor, entry.id, FRI)
    by_day = _by_day(course.actor, course.section_id)
    assert by_day[THU] == [] and by_day[FRI] == ["Pull"] and by_day[NEXT_MON] == ["Friction"]


def test_moving_a_lesson_earlier_swaps_it_with_the_one_before(course_plan):
    course, lessons = course_plan
    entries = _schedule_all(course, course.section_id, lessons)

    services.move_entry(course.actor, entries[2].id, -1)

    by_day = _by_day(course.actor, course.section_id)
    assert [by_day[d] for d in (MON, TUE, WED)] == [["Push"], ["Friction"], ["Pull"]]


def test_a_move_to_a_day_the_section_does_not_meet_is_refused(course_plan):
    course, lessons = course_plan
    entry = _schedule_all(course, course.section_id, lessons)[0]

    with pytest.raises(Invalid) as refused:
        services.move_to_day(course.actor, entry.id, date(2026, 8, 8))
    with pytest.raises(Invalid):
        services.skip_day(course.actor, course.section_id, date(2026, 8, 9))

    assert "day" in refused.value.fields


def test_a_lesson_planned_in_a_section_follows_edits_until_the_section_forks_it(course_plan, district):
    course, (push, *_rest) = course_plan
    other = _second_section(course, course.teacher, district)
    kept = services.schedule_lesson(course.actor, course.section_id, push.id)
    forked = services.schedule_lesson(course.actor, other, push.id)

    services.fork_entry(course.actor, forked.id)
    services.update_lesson(
        course.actor, push.id, "Push harder", {}, None, "private", base_revision=push.revision, base_version=None
    )

    assert _by_day(course.actor, course.section_id)[MON] == ["Push harder"]
    assert _by_day(course.actor, other)[MON] == ["Push"]
    plan = services.section_plan(course.actor, other, MON, MON)
    assert plan.days[0].lessons[0].forked and kept.lesson_id == push.id


def test_only_the_sections_teachers_change_its_plan(course_plan, make_user, actor_of, planning):
    course, (push, *_rest) = course_plan
    outsider = actor_of(make_user("teacher"))
    other_course = planning(teacher=course.teacher)
    unit = services.create_unit(course.actor, other_course.id, "Maps", {})
    other_lesson = services.create_lesson(course.actor, unit.id, "Scale", {})

    with pytest.raises(NotFound):
        services.schedule_lesson(outsider, course.section_id, push.id)
    with pytest.raises(NotFound):
        services.skip_day(outsider, course.section_id, MON)
    with pytest.raises(Invalid):  # the teacher's lesson of another course
        services.schedule_lesson(course.actor, course.section_id, other_lesson.id)

    entry = services.schedule_lesson(course.actor, course.section_id, push.id)
    with pytest.raises(NotFound):
        services.unschedule(outsider, entry.id)


def test_todays_lessons_name_each_section_and_what_it_teaches_that_day(course_plan):
    course, lessons = course_plan
    _schedule_all(course, course.section_id, lessons)

    today = services.todays_lessons(course.actor, TUE)

    assert [[p.title for p in row.lessons] for row in today if row.section.section.id == course.section_id] == [
        ["Pull"]
    ]
    assert all(not row.lessons for row in services.todays_lessons(course.actor, date(2026, 8, 8)))


def test_a_lesson_dropped_on_a_taken_day_takes_it_and_the_other_moves_on(course_plan):
    course, lessons = course_plan
    _push, _pull, friction = _schedule_all(course, course.section_id, lessons)

    services.move_to_day(course.actor, friction.id, MON)

    by_day = _by_day(course.actor, course.section_id)
    assert [by_day[d] for d in (MON, TUE, WED)] == [["Friction"], ["Push"], ["Pull"]]
