"""The Activity page: the district's own events, filtered and paged, for admins only."""

from __future__ import annotations

import pytest

from app import db
from app.events import services
from app.events.models import Event


def _record(tenant, district, type_: str, count: int = 1) -> None:
    tenant(district)
    for n in range(count):
        db.session.add(Event(district_id=district.id, type=type_, subject_type="thing", subject_id=n, payload={}))
    db.session.commit()


def _rows(html: str, type_: str) -> int:
    return html.count(f"<code>{type_}</code>")


def test_the_activity_page_lists_only_the_districts_own_events(as_user, make_district, tenant, district):
    admin, _user = as_user("district_admin")
    _record(tenant, district, "test.ours")
    _record(tenant, make_district(), "test.theirs")

    response = admin.get("/activity/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _rows(html, "test.ours") == 1
    assert "test.theirs" not in html


def test_the_activity_page_filters_by_event_type(as_user, tenant, district):
    admin, _user = as_user("district_admin")
    _record(tenant, district, "test.wanted", 2)
    _record(tenant, district, "test.unwanted", 3)

    html = admin.get("/activity/?type=test.wanted").get_data(as_text=True)

    assert _rows(html, "test.wanted") == 2
    assert _rows(html, "test.unwanted") == 0
    assert '<option value="test.wanted" selected>' in html


def test_the_activity_page_pages_through_events(as_user, tenant, district):
    admin, _user = as_user("district_admin")
    _record(tenant, district, "test.bulk", services.PAGE_SIZE + 5)

    first = admin.get("/activity/?type=test.bulk").get_data(as_text=True)
    second = admin.get("/activity/?type=test.bulk&page=2").get_data(as_text=True)

    assert _rows(first, "test.bulk") == services.PAGE_SIZE
    assert _rows(second, "test.bulk") == 5
    assert "page=2" in first and "type=test.bulk" in first


def test_an_empty_filter_shows_the_empty_state(as_user):
    admin, _user = as_user("district_admin")

    response = admin.get("/activity/?type=test.never")

    assert response.status_code == 200
    assert "Nothing has happened that matches this filter yet." in response.get_data(as_text=True)


def test_the_activity_page_marks_dispatched_and_pending_events(as_user, tenant, district):
    admin, _user = as_user("district_admin")
    _record(tenant, district, "test.sent")
    services.dispatch_events(district.id)
    _record(tenant, district, "test.waiting")

    sent = admin.get("/activity/?type=test.sent").get_data(as_text=True)
    waiting = admin.get("/activity/?type=test.waiting").get_data(as_text=True)

    assert "Dispatched" in sent and "Pending" not in sent
    assert "Pending" in waiting and "Dispatched" not in waiting


@pytest.mark.parametrize("role", ["school_admin", "teacher", "student", "guardian"])
def test_the_activity_page_is_not_found_for_other_roles(as_user, role):
    client, _user = as_user(role)

    response = client.get("/activity/")

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_the_activity_page_is_not_found_when_the_district_revokes_it(as_user, tenant, district):
    from app.accounts.models import DistrictRolePermission

    admin, _user = as_user("district_admin")
    tenant(district)
    db.session.add(
        DistrictRolePermission(
            district_id=district.id, role="district_admin", permission_code="activity.view", is_granted=False
        )
    )
    db.session.commit()

    assert admin.get("/activity/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(browser):
    response = browser.get("/activity/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_an_htmx_request_gets_only_the_results_block(as_user, tenant, district):
    admin, _user = as_user("district_admin")
    _record(tenant, district, "test.fragment")

    fragment = admin.get("/activity/?type=test.fragment", htmx=True)
    page = admin.get("/activity/?type=test.fragment")

    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html and '<select id="type"' not in html
    assert _rows(html, "test.fragment") == 1
    assert "<html" in page.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"] and "HX-Request" in page.headers["Vary"]
