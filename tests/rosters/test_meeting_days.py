"""The days a section meets: its meeting pattern over its school's calendar; who may ask; the section form."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from app import db
from app.accounts.services import actor_for_user
from app.errors import Invalid, NotFound
from app.events.models import Event
from app.org import services as org
from app.rosters import services as rosters
from app.rosters.models import Section
from app.rosters.services import MeetingDay
from tests.factories import ROLES, terms_of

# make_section's term: Saturday 1 August to Sunday 20 December 2026, in a year to 30 June 2027.
TERM = (date(2026, 8, 1), date(2026, 12, 20))


def _weekdays(start: date, end: date, wanted=(1, 2, 3, 4, 5)) -> list[date]:
    days, current = [], start
    while current <= end:
        if current.isoweekday() in wanted:
            days.append(current)
        current += timedelta(days=1)
    return days


@pytest.fixture
def admin(make_actor):
    return make_actor("district_admin")


@pytest.fixture
def taught(make_user, make_section, actor_of):
    """A section of the district's first school and the Actor of its teacher."""
    teacher = make_user("teacher")
    section = make_section(teacher=teacher)
    return section, actor_of(teacher)


def _meets(district, section, pattern: str, days=None) -> None:
    db.set_tenant(district.id, None, "system")
    row = db.session.scalar(select(Section).where(Section.id == section.id))
    row.meeting_pattern, row.meeting_days = pattern, days
    db.session.commit()


def test_a_daily_section_meets_on_every_instructional_day_of_its_term(taught):
    section, teacher = taught

    days = rosters.meeting_days(teacher, section.id)

    assert days == [MeetingDay(on, None) for on in _weekdays(*TERM)]
    assert days[0] == MeetingDay(date(2026, 8, 3), None)


def test_a_section_on_a_days_only(admin, taught, district):
    section, teacher = taught
    org.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "ab", None)
    _meets(district, section, "rotation", [1])

    days = rosters.meeting_days(teacher, section.id)

    school_days = _weekdays(*TERM)
    assert [d.on for d in days] == school_days[::2]
    assert {d.label for d in days} == {"A"}


def test_a_section_on_blocks_one_and_three_of_a_four_day_rotation(admin, taught, district):
    section, teacher = taught
    org.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "blocks", 4)
    _meets(district, section, "rotation", [1, 3])

    days = rosters.meeting_days(teacher, section.id, date(2026, 8, 3), date(2026, 8, 14))

    assert days == [
        MeetingDay(date(2026, 8, 3), "1"),
        MeetingDay(date(2026, 8, 5), "3"),
        MeetingDay(date(2026, 8, 7), "1"),
        MeetingDay(date(2026, 8, 11), "3"),
        MeetingDay(date(2026, 8, 13), "1"),
    ]


def test_a_section_on_mondays_wednesdays_and_fridays_skips_a_holiday_monday(admin, taught, district):
    section, teacher = taught
    _meets(district, section, "weekdays", [1, 3, 5])
    org.add_day_off(admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day", district_wide=True)

    days = rosters.meeting_days(teacher, section.id, date(2026, 9, 1), date(2026, 9, 14))

    assert [d.on for d in days] == [date(2026, 9, d) for d in (2, 4, 9, 11, 14)]


def test_a_day_off_added_later_removes_that_meeting_day_and_shifts_the_rotation(admin, taught, district):
    section, teacher = taught
    org.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "ab", None)
    _meets(district, section, "rotation", [1])
    before = rosters.meeting_days(teacher, section.id, date(2026, 8, 3), date(2026, 8, 14))
    assert [d.on for d in before] == [date(2026, 8, d) for d in (3, 5, 7, 11, 13)]

    org.add_day_off(admin, district.school_id, date(2026, 8, 5), None, "weather", "Snow day")
    after = rosters.meeting_days(teacher, section.id, date(2026, 8, 3), date(2026, 8, 14))

    # Wednesday was an A day; Thursday, a B day before, is the next A day now.
    assert [d.on for d in after] == [date(2026, 8, d) for d in (3, 6, 10, 12, 14)]


def test_the_range_is_clipped_to_the_term_and_the_next_meeting_day_follows(taught):
    section, teacher = taught

    outside = rosters.meeting_days(teacher, section.id, date(2027, 2, 1), date(2027, 2, 28))
    edge = rosters.meeting_days(teacher, section.id, date(2026, 12, 17), date(2027, 1, 31))
    following = rosters.next_meeting_day(teacher, section.id, date(2026, 8, 7))
    last = rosters.next_meeting_day(teacher, section.id, date(2026, 12, 18))

    assert outside == []
    assert [d.on for d in edge] == [date(2026, 12, 17), date(2026, 12, 18)]
    assert following == MeetingDay(date(2026, 8, 10), None)
    assert last is None
    with pytest.raises(Invalid):
        rosters.meeting_days(teacher, section.id, date(2026, 9, 10), date(2026, 9, 1))


def test_a_pattern_the_school_no_longer_has_falls_back_to_every_school_day(admin, taught, district):
    section, teacher = taught
    org.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "ab", None)
    _meets(district, section, "rotation", [2])
    org.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "none", None)

    days = rosters.meeting_days(teacher, section.id)

    assert [d.on for d in days] == _weekdays(*TERM)


# role -> may ask for the meeting days of a section of the own school (teachers: one they do not teach)
MAY_ASK = {"district_admin": True, "school_admin": True, "teacher": False, "student": False, "guardian": False}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_ask_for_a_sections_meeting_days(role, actor_in_role, taught):
    section, _teacher = taught
    actor = actor_in_role(role)

    if MAY_ASK[role]:
        assert rosters.meeting_days(actor, section.id)
    else:
        with pytest.raises(NotFound):
            rosters.meeting_days(actor, section.id)


def test_another_districts_section_is_not_found(
    make_district, make_user, make_section, actor_of, taught, district, tenant
):
    section, teacher = taught
    other = make_district()
    theirs = make_section(district=other, teacher=make_user("teacher", district=other))
    outsider = actor_of(make_user("district_admin", district=other))

    tenant(other)
    with pytest.raises(NotFound):
        rosters.meeting_days(outsider, section.id)
    tenant(district)
    with pytest.raises(NotFound):
        rosters.meeting_days(teacher, theirs.id)


def test_meeting_days_for_a_term_take_three_short_queries(taught, district, tenant):
    section, teacher = taught
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    tenant(district)
    rosters.meeting_days(teacher, section.id)  # warm: first use compiles the statements
    event.listen(Engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        days = rosters.meeting_days(teacher, section.id)
        elapsed = time.perf_counter() - started
    finally:
        event.remove(Engine, "before_cursor_execute", count)

    assert len(days) == len(_weekdays(*TERM))
    assert len([s for s in statements if "set_config" not in s]) <= 3
    assert elapsed < 0.5  # a generous ceiling for a shared machine; perf/ holds the real target


# The section form


@pytest.fixture
def admin_client(as_user):
    client, user = as_user("district_admin")
    return client, actor_for_user(user.district_id, user.id)


@pytest.fixture
def course_and_term(admin_client, district, make_year, make_user):
    _client, admin = admin_client
    year = make_year(admin, "2026-27", 2026, current=True)
    fall, _spring = terms_of(admin, year.id)
    course = org.create_course(admin, district.school_id, year.id, "ART", "Art", "Arts", None, None)
    return course, fall, make_user("teacher", display_name="Ms. Ito")


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_the_section_form_offers_the_rotation_days_of_an_a_b_school(admin_client, district, course_and_term, tenant):
    client, admin = admin_client
    url = f"/rosters/schools/{district.school_id}/sections/new"
    plain = _html(client.get(url))
    tenant(district)
    org.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "ab", None)

    rotating = _html(client.get(url))

    assert 'value="rotation"' not in plain and "A day" not in plain
    assert 'value="rotation"' in rotating and "A day" in rotating and "B day" in rotating
    assert "Wednesday" in rotating and "Saturday" not in rotating


def test_a_section_saved_on_b_days_meets_on_b_days(admin_client, district, course_and_term, tenant):
    client, admin = admin_client
    course, fall, teacher = course_and_term
    org.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "ab", None)

    response = client.post(
        f"/rosters/schools/{district.school_id}/sections/new",
        {
            "course_id": course.id,
            "term_id": fall.id,
            "teacher_ids": [teacher.id],
            "meets": "rotation",
            "rotation_days": ["2"],
        },
    )

    tenant(district)
    section = db.session.scalar(select(Section).where(Section.course_id == course.id))
    assert response.status_code == 303
    assert (section.meeting_pattern, section.meeting_days) == ("rotation", [2])
    assert {d.label for d in rosters.meeting_days(admin, section.id)} == {"B"}
    changed = db.session.scalar(select(Event).where(Event.type == "section.meeting_pattern_changed"))
    assert changed.payload == {"meets": "rotation", "days": [2]}
    edit = _html(client.get(f"/rosters/sections/{section.id}/edit"))
    assert 'checked id="rotation_days-1" name="rotation_days" type="checkbox" value="2"' in edit


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"meets": "rotation", "rotation_days": ["1"]}, "This school has no day rotation"),
        ({"meets": "weekdays", "weekdays": ["6"]}, "on which this school has classes"),
        ({"meets": "weekdays"}, "Choose at least one day of the week"),
        ({"meets": "sometimes"}, "Choose when the section meets"),
    ],
)
def test_a_meeting_pattern_that_does_not_fit_the_school_gets_422_with_the_typed_values(
    admin_client, district, course_and_term, posted, message
):
    client, _admin = admin_client
    course, fall, teacher = course_and_term

    response = client.post(
        f"/rosters/schools/{district.school_id}/sections/new",
        {"course_id": course.id, "term_id": fall.id, "teacher_ids": [teacher.id], "period": "P4", **posted},
        htmx=True,
    )

    html = _html(response)
    assert response.status_code == 422 and html.lstrip().startswith('<section class="card" id="section-form"')
    assert message in html and 'value="P4"' in html


def test_editing_other_fields_keeps_a_pattern_set_by_a_caller_that_does_not_pass_one(admin, district, course_and_term):
    course, fall, teacher = course_and_term
    section = rosters.create_section(
        admin, district.school_id, course.id, fall.id, [teacher.id], "", "P1", "", meets="weekdays", days=[2, 4]
    )

    rosters.update_section(admin, section.id, course.id, fall.id, [teacher.id], "", "P2", "")

    assert (section.meeting_pattern, section.meeting_days) == ("weekdays", [2, 4])
    assert rosters.section_details(admin, section.id)["meets"] == "Days of the week: Tuesday and Thursday"
