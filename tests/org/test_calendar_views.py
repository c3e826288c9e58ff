"""The school calendar page: the term month by month, days off added and removed (HTMX and plain forms), the
weekdays and rotation form, 422 with the typed values, 404 for other schools and districts."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.accounts.services import actor_for_user
from app.org import services
from tests.factories import terms_of


@pytest.fixture
def admin(make_actor):
    return make_actor("district_admin")


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
