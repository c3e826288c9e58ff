"""Job run pages: the progress page, whose live region polls the same URL, scoped like every other record."""

from __future__ import annotations

import pytest

from app import db
from app.jobruns.models import JobRun

STOP_POLLING = 286


def _run(tenant, district, user_id, status="queued", progress=0, total=4) -> int:
    tenant(district)
    run = JobRun(
        district_id=district.id, user_id=user_id, kind="mail.invitations", status=status, progress=progress, total=total
    )
    db.session.add(run)
    db.session.commit()
    return run.id


@pytest.mark.parametrize("path", ["/jobs/{id}", "/jobs/{id}"])
def test_another_districts_job_run_is_not_found_even_for_an_admin(as_user, make_district, make_user, tenant, path):
    admin, _user = as_user("district_admin")
    elsewhere = make_district()
    run_id = _run(tenant, elsewhere, make_user("district_admin", district=elsewhere).id)

    response = admin.get(path.format(id=run_id))

    assert response.status_code == 404
    assert "mail.invitations" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/jobs/{id}", "/jobs/{id}"])
def test_someone_elses_job_run_is_not_found_for_a_non_admin(as_user, make_user, tenant, district, path):
    teacher, _user = as_user("teacher")
    run_id = _run(tenant, district, make_user("teacher").id)

    assert teacher.get(path.format(id=run_id)).status_code == 404


@pytest.mark.parametrize("role", ["school_admin", "guardian", "student"])
def test_only_district_admins_see_other_peoples_job_runs(as_user, make_user, tenant, district, role):
    client, _user = as_user(role)
    admin, _admin = as_user("district_admin")
    run_id = _run(tenant, district, make_user("teacher").id)

    assert client.get(f"/jobs/{run_id}").status_code == 404
    assert admin.get(f"/jobs/{run_id}").status_code == 200


def test_a_missing_job_run_is_not_found(as_user):
    client, _user = as_user("teacher")

    assert client.get("/jobs/987654321").status_code == 404


def test_the_owner_sees_the_job_page_with_a_polling_progress_bar(as_user, tenant, district):
    client, user = as_user("teacher")
    run_id = _run(tenant, district, user.id, status="running", progress=1, total=4)

    response = client.get(f"/jobs/{run_id}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html
    assert f'id="job-run-{run_id}"' in html
    assert f'hx-get="/jobs/{run_id}"' in html
    assert "25%" in html


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("queued", 200),
        ("running", 200),
        ("done", STOP_POLLING),
        ("failed", STOP_POLLING),
    ],
)
def test_the_progress_endpoint_stops_polling_only_when_the_job_has_ended(as_user, tenant, district, status, code):
    client, user = as_user("teacher")
    run_id = _run(tenant, district, user.id, status=status)

    response = client.get(f"/jobs/{run_id}", htmx=True)

    assert response.status_code == code
    assert ('hx-get="' in response.get_data(as_text=True)) is (code == 200)


def test_an_htmx_progress_request_returns_only_the_progress_fragment(as_user, tenant, district):
    client, user = as_user("teacher")
    run_id = _run(tenant, district, user.id, status="done", progress=4, total=4)

    response = client.get(f"/jobs/{run_id}", htmx=True)

    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="job-run-live"')
    assert f'id="job-run-{run_id}"' in html
    assert "<html" not in html
    assert "100%" in html and "4 of 4" in html


def test_signed_out_visitors_are_sent_to_sign_in(browser, make_user, tenant, district):
    run_id = _run(tenant, district, make_user("teacher").id)

    response = browser.get(f"/jobs/{run_id}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
