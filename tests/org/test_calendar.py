"""The school calendar: instructional days, days off, rotations; who may change them; the calendar page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app import db
from app.accounts.services import actor_for_user
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


# The pages


@pytest.fixture
def admin_client(as_user):
    client, user = as_user("district_admin")
    return client, actor_for_user(user.district_id, user.id)


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_the_calendar_page_shows_the_term_month_by_month_with_its_days_off(admin_client, district, make_year):
    client, admin = admin_client
    made = make_year(admin, "2026-27", 2026, current=True)
    fall, _ = terms_of(admin, made.id)
    services.set_school_schedule(admin, district.school_id, [1, 2, 3, 4, 5], "ab", None)
    services.add_day_off(admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day", district_wide=True)

    response = client.get(f"/org/schools/{district.school_id}/calendar?year={made.id}&term={fall.id}")
    schools = _html(client.get("/org/schools"))

    html = _html(response)
    assert response.status_code == 200 and "<!doctype html>" in html
    assert "August 2026" in html and "December 2026" in html and "January 2027" not in html
    assert "Labor Day" in html and "Every school" in html
    assert 'cal-day__label"><span class="visually-hidden">Rotation day </span>A</span>' in html
    assert "A day:" in html and "B day:" in html
    assert f'href="/org/schools/{district.school_id}/calendar"' in schools


def test_the_calendar_answers_htmx_with_its_region(admin_client, district, make_year):
    client, admin = admin_client
    make_year(admin, "2026-27", 2026, current=True)

    response = client.get(f"/org/schools/{district.school_id}/calendar", htmx=True)

    html = _html(response)
    assert response.status_code == 200 and "<!doctype html>" not in html
    assert html.lstrip().startswith('<div id="calendar"')


def test_adding_a_day_off_from_htmx_redraws_the_calendar_with_a_toast(admin_client, district, make_year):
    client, admin = admin_client
    make_year(admin, "2026-27", 2026, current=True)
    url = f"/org/schools/{district.school_id}/calendar/days-off"

    response = client.post(
        url,
        {"starts_on": "2026-11-25", "ends_on": "2026-11-27", "name": "Thanksgiving break", "kind": "break"},
        htmx=True,
    )

    html = _html(response)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="calendar"')
    assert "Thanksgiving break" in html and "Nov 25\u2009\u2013\u200927, 2026" in html
    assert "Thanksgiving break added" in response.headers["HX-Trigger"]


def test_a_day_off_added_in_another_term_shows_that_term(admin_client, district, make_year):
    client, admin = admin_client
    made = make_year(admin, "2026-27", 2026, current=True)
    fall, _spring = terms_of(admin, made.id)

    response = client.post(
        f"/org/schools/{district.school_id}/calendar/days-off?year={made.id}&term={fall.id}",
        {"starts_on": "2027-03-29", "ends_on": "2027-04-02", "name": "Spring break", "kind": "break"},
        htmx=True,
    )

    html = _html(response)
    assert "March 2027" in html and "September 2026" not in html


def test_adding_a_day_off_without_javascript_redirects_to_its_month(admin_client, district, make_year):
    client, admin = admin_client
    make_year(admin, "2026-27", 2026, current=True)

    response = client.post(
        f"/org/schools/{district.school_id}/calendar/days-off",
        {"starts_on": "2027-03-29", "ends_on": "2027-04-02", "name": "Spring break", "kind": "break"},
    )

    assert response.status_code == 303
    assert response.headers["Location"] == f"/org/schools/{district.school_id}/calendar?on=2027-03-29"
    page = _html(client.get(response.headers["Location"]))
    assert "March 2027" in page and "Spring break" in page


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"starts_on": "2026-09-10", "ends_on": "2026-09-01", "kind": "holiday"}, "cannot be before the first"),
        ({"starts_on": "2031-09-10", "ends_on": "", "kind": "holiday"}, "is in no school year"),
        ({"starts_on": "2027-06-20", "ends_on": "2028-06-20", "kind": "break"}, "Days off stay inside one school year"),
        ({"starts_on": "2026-09-10", "ends_on": "", "kind": "picnic"}, "Choose what kind"),
        ({"starts_on": "2026-13-45", "ends_on": "", "kind": "holiday"}, "Enter the first day off as a date"),
    ],
)
def test_a_bad_day_off_gets_422_with_the_typed_values_kept(admin_client, district, make_year, posted, message):
    client, admin = admin_client
    make_year(admin, "2026-27", 2026, current=True)
    url = f"/org/schools/{district.school_id}/calendar/days-off"

    fragment = client.post(url, {**posted, "name": "Typed name"}, htmx=True)
    page = client.post(url, {**posted, "name": "Typed name"})

    assert fragment.status_code == 422 and page.status_code == 422
    assert _html(fragment).lstrip().startswith('<div id="calendar"') and "<!doctype html>" in _html(page)
    for html in (_html(fragment), _html(page)):
        assert message in html.replace("&#39;", "'")
        assert 'value="Typed name"' in html and f'value="{posted["starts_on"]}"' in html


def test_a_bad_schedule_gets_422_with_the_typed_value_kept(admin_client, district, make_year):
    client, admin = admin_client
    make_year(admin, "2026-27", 2026, current=True)

    response = client.post(
        f"/org/schools/{district.school_id}/calendar/schedule",
        {"weekdays": ["1", "2", "3"], "rotation": "blocks", "rotation_days": "12"},
        htmx=True,
    )

    html = _html(response)
    assert response.status_code == 422
    assert "from 2 to 10" in html and 'value="12"' in html
    assert re.search(r'<input checked id="rotation-\d" name="rotation" type="radio" value="blocks">', html)


def test_saving_the_schedule_and_removing_a_day_off_redraw_the_calendar(admin_client, district, make_year):
    client, admin = admin_client
    make_year(admin, "2026-27", 2026, current=True)
    entry = services.add_day_off(admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day")
    base = f"/org/schools/{district.school_id}/calendar"

    saved = client.post(
        f"{base}/schedule", {"weekdays": ["1", "2", "3", "4", "5"], "rotation": "blocks", "rotation_days": "4"}
    )
    removed = client.post(f"{base}/days-off/{entry.id}/remove", htmx=True)

    assert saved.status_code == 303 and saved.headers["Location"] == base
    assert removed.status_code == 200 and "Labor Day" not in _html(removed).split("Add a day off")[0]
    assert "Day 4:" in _html(removed)


def test_a_school_admin_gets_404_for_another_school_and_for_the_districts_days_off(
    as_user, admin, district, make_school, make_year
):
    make_year(admin, "2026-27", 2026, current=True)
    elsewhere = make_school()
    district_day = services.add_day_off(
        admin, district.school_id, date(2026, 9, 7), None, "holiday", "Labor Day", district_wide=True
    )
    client, _user = as_user("school_admin")
    own = f"/org/schools/{district.school_id}/calendar"

    page = client.get(own)
    attempts = [
        client.get(f"/org/schools/{elsewhere.id}/calendar"),
        client.post(f"/org/schools/{elsewhere.id}/calendar/days-off", {"starts_on": "2026-09-8", "name": "x"}),
        client.post(f"{own}/days-off/{district_day.id}/remove"),
        client.post(
            f"{own}/days-off", {"starts_on": "2026-09-14", "name": "Mine?", "kind": "other", "scope": "district"}
        ),
    ]

    assert page.status_code == 200 and "Labor Day" in _html(page)
    assert f"/days-off/{district_day.id}/remove" not in _html(page) and 'name="scope"' not in _html(page)
    assert [r.status_code for r in attempts] == [404, 404, 404, 404]


def test_another_districts_school_calendar_is_404(admin_client, make_district):
    client, _admin = admin_client
    other = make_district()

    assert client.get(f"/org/schools/{other.school_id}/calendar").status_code == 404
