"""The school calendar: instructional days, days off, rotations, and who may change them (the page:
test_calendar_views.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.events.models import Event
from app.org import services
from tests.factories import terms_of


@pytest.fixture
def admin(make_actor):
    return make_actor("district_admin")


@pytest.fixture
def year(admin, make_year):
    """2026-27: Fall from Saturday 15 August to Sunday 20 December 2026, Spring from Tuesday 5 January 2027."""
    return make_year(admin, "2026-27", 2026, current=True)


def _fields(excinfo) -> dict:
    return {k: str(v) for k, v in excinfo.value.fields.items()}


def _days(actor, school_id, start, end):
    return services.instructional_days(actor, school_id, start, end)


def _on(*days):
    return [date(2026, month, d) for month, d in days]


# Instructional days


def test_instructional_days_skip_weekends_and_the_district_and_school_days_off(admin, year, district, make_school):
    elsewhere = make_school()
    services.add_day_off(admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day", district_wide=True)
    services.add_day_off(admin, district.school_id, date(2026, 9, 11), None, "professional_development", "PD day")
    services.add_day_off(admin, elsewhere.id, date(2026, 9, 9), None, "other", "Elsewhere only")

    here = _days(admin, district.school_id, date(2026, 9, 5), date(2026, 9, 13))
    there = _days(admin, elsewhere.id, date(2026, 9, 5), date(2026, 9, 13))

    assert here == [(d, None) for d in _on((9, 8), (9, 9), (9, 10))]
    assert there == [(d, None) for d in _on((9, 8), (9, 10), (9, 11))]


def test_days_outside_every_term_are_not_instructional(admin, year, district):
    # Fall ends on Sunday 20 December; Spring starts on Tuesday 5 January.
    days = _days(admin, district.school_id, date(2026, 12, 17), date(2027, 1, 6))

    assert [d for d, _ in days] == [date(2026, 12, 17), date(2026, 12, 18), date(2027, 1, 5), date(2027, 1, 6)]


def test_a_range_of_days_off_and_a_school_with_its_own_weekdays(admin, year, district):
    services.set_school_schedule(admin, district.school_id, [1, 2, 3, 4], "none", None)
    services.add_day_off(admin, district.school_id, date(2026, 11, 25), date(2026, 11, 27), "break", "Thanksgiving")

    days = _days(admin, district.school_id, date(2026, 11, 19), date(2026, 11, 30))

    assert [d for d, _ in days] == _on((11, 19), (11, 23), (11, 24), (11, 30))


def test_a_b_letters_continue_across_a_holiday_without_using_one_and_restart_each_term(admin, year, district):
    services.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "ab", None)
    services.add_day_off(admin, district.school_id, date(2026, 8, 19), None, "weather", "Storm")
    services.add_day_off(admin, district.school_id, date(2026, 12, 16), None, "other", "Assembly day off")

    first_week = _days(admin, district.school_id, date(2026, 8, 15), date(2026, 8, 24))
    fall = _days(admin, district.school_id, date(2026, 8, 15), date(2026, 12, 20))
    spring_start = _days(admin, district.school_id, date(2027, 1, 1), date(2027, 1, 7))

    assert first_week == [
        (date(2026, 8, 17), "A"),
        (date(2026, 8, 18), "B"),
        (date(2026, 8, 20), "A"),  # the storm day used up no letter
        (date(2026, 8, 21), "B"),
        (date(2026, 8, 24), "A"),
    ]
    assert [label for _, label in fall] == ["AB"[i % 2] for i in range(len(fall))]
    assert spring_start == [(date(2027, 1, 5), "A"), (date(2027, 1, 6), "B"), (date(2027, 1, 7), "A")]


def test_spring_starts_again_at_a_after_a_fall_that_ended_on_a(admin, year, district):
    services.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "ab", None)
    # Fall has 90 weekdays; one day off leaves 89, so its last school day is an A day.
    services.add_day_off(admin, district.school_id, date(2026, 11, 11), None, "holiday", "Veterans Day")

    fall = _days(admin, district.school_id, date(2026, 8, 15), date(2026, 12, 20))
    spring = _days(admin, district.school_id, date(2027, 1, 5), date(2027, 1, 5))

    assert len(fall) == 89 and fall[-1] == (date(2026, 12, 18), "A")
    assert spring == [(date(2027, 1, 5), "A")]


def test_a_four_day_block_rotation_numbers_the_school_days_one_to_four(admin, year, district):
    services.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "blocks", 4)
    services.add_day_off(admin, district.school_id, date(2026, 8, 21), None, "holiday", "Friday off")

    days = _days(admin, district.school_id, date(2026, 8, 17), date(2026, 8, 26))

    assert days == [
        (date(2026, 8, 17), "1"),
        (date(2026, 8, 18), "2"),
        (date(2026, 8, 19), "3"),
        (date(2026, 8, 20), "4"),
        (date(2026, 8, 24), "1"),
        (date(2026, 8, 25), "2"),
        (date(2026, 8, 26), "3"),
    ]


def test_a_removed_day_off_is_a_school_day_again(admin, year, district):
    entry = services.add_day_off(admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day")

    services.remove_day_off(admin, district.school_id, entry.id)

    assert _days(admin, district.school_id, date(2026, 9, 7), date(2026, 9, 7)) == [(date(2026, 9, 7), None)]


def test_a_reversed_range_is_invalid(admin, year, district):
    with pytest.raises(Invalid):
        _days(admin, district.school_id, date(2026, 9, 7), date(2026, 9, 1))


# Bad input


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "kind", "field", "message"),
    [
        (date(2026, 9, 7), date(2026, 9, 4), "holiday", "ends_on", "cannot be before the first"),
        (date(2030, 9, 7), None, "holiday", "starts_on", "is in no school year"),
        (date(2027, 6, 28), date(2027, 8, 20), "break", "ends_on", "2026-27 ends on Jun 30, 2027"),
        (date(2026, 9, 7), None, "picnic", "kind", "Choose what kind"),
    ],
)
def test_a_bad_day_off_is_refused_with_a_message_on_its_field(
    admin, year, district, starts_on, ends_on, kind, field, message
):
    with pytest.raises(Invalid) as excinfo:
        services.add_day_off(admin, district.school_id, starts_on, ends_on, kind, "Named")

    assert message in _fields(excinfo)[field]


def test_the_same_days_off_twice_are_refused(admin, year, district):
    services.add_day_off(admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day")

    with pytest.raises(Invalid) as excinfo:
        services.add_day_off(admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day again")

    assert "already on the calendar" in _fields(excinfo)["starts_on"]


@pytest.mark.parametrize(
    ("weekdays", "rotation", "rotation_days", "field"),
    [([], "none", None, "weekdays"), ([1, 9], "none", None, "weekdays"), ([1], "zigzag", None, "rotation")]
    + [([1, 2], "blocks", n, "rotation_days") for n in (None, 1, 11)],
)
def test_a_bad_schedule_is_refused(admin, district, weekdays, rotation, rotation_days, field):
    with pytest.raises(Invalid) as excinfo:
        services.set_school_schedule(admin, district.school_id, weekdays, rotation, rotation_days)

    assert field in excinfo.value.fields


# Who may


def test_a_school_admin_manages_the_own_schools_days_off_but_not_another_schools_or_the_districts(
    admin, year, district, make_school, make_actor
):
    elsewhere = make_school()
    principal = make_actor("school_admin")
    district_day = services.add_day_off(
        admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day", district_wide=True
    )
    theirs = services.add_day_off(admin, elsewhere.id, date(2026, 9, 8), None, "other", "Their day")

    own = services.add_day_off(principal, district.school_id, date(2026, 9, 11), None, "professional_development", "PD")
    services.set_school_schedule(principal, district.school_id, [1, 2, 3, 4, 5], "ab", None)

    refused = [
        lambda: services.add_day_off(principal, elsewhere.id, date(2026, 9, 14), None, "other", "No"),
        lambda: services.add_day_off(
            principal, district.school_id, date(2026, 9, 14), None, "other", "No", district_wide=True
        ),
        lambda: services.remove_day_off(principal, district.school_id, district_day.id),
        lambda: services.remove_day_off(principal, district.school_id, theirs.id),
        lambda: services.remove_day_off(principal, elsewhere.id, theirs.id),
        lambda: services.set_school_schedule(principal, elsewhere.id, [1, 2, 3], "none", None),
        lambda: services.calendar_overview(principal, elsewhere.id),
    ]
    for attempt in refused:
        with pytest.raises(NotFound):
            attempt()
    assert own.school_id == district.school_id
    services.remove_day_off(principal, district.school_id, own.id)


def test_teachers_read_their_schools_instructional_days_and_students_do_not(year, district, make_actor):
    teacher, student = make_actor("teacher"), make_actor("student")

    assert _days(teacher, district.school_id, date(2026, 9, 7), date(2026, 9, 7)) == [(date(2026, 9, 7), None)]
    with pytest.raises(NotFound):
        _days(student, district.school_id, date(2026, 9, 7), date(2026, 9, 7))
    with pytest.raises(NotFound):
        services.add_day_off(teacher, district.school_id, date(2026, 9, 7), None, "holiday", "No")


def test_another_districts_school_is_not_found(admin, year, district, make_district, make_user, tenant):
    fall_id = terms_of(admin, year.id)[0].id
    other = make_district()
    make_user("district_admin", district=other)
    tenant(district)

    attempts = [
        lambda: _days(admin, other.school_id, date(2026, 9, 7), date(2026, 9, 7)),
        lambda: services.add_day_off(admin, other.school_id, date(2026, 9, 7), None, "holiday", "No"),
        lambda: services.set_school_schedule(admin, other.school_id, [1], "none", None),
        lambda: services.term_calendar(admin, other.school_id, fall_id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()


def test_every_change_is_recorded_as_an_event(admin, year, district, tenant):
    entry = services.add_day_off(admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day")
    services.remove_day_off(admin, district.school_id, entry.id)
    services.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "blocks", 4)

    tenant(district)
    events = db.session.scalars(select(Event).where(Event.type.like("calendar.%")).order_by(Event.id)).all()
    assert [e.type for e in events] == [
        "calendar.day_off_added",
        "calendar.day_off_removed",
        "calendar.schedule_updated",
    ]
    assert events[0].payload == {
        "school_id": district.school_id,
        "starts_on": "2026-09-07",
        "ends_on": "2026-09-07",
        "kind": "holiday",
        "name": "Labor Day",
    }
    assert events[2].payload == {"weekdays": [1, 2, 3, 4, 5], "rotation": "blocks", "rotation_days": 4}
