"""Structure pages: full pages and HTMX blocks, 422 with the typed input kept, 404 for others' records."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app import db
from app.accounts.services import actor_for_user
from app.org import services
from app.org.models import AcademicYear, Course
from app.rollover.models import Rollover
from app.rosters import services as rosters
from tests.factories import terms_of
from tests.jobqueue import empty_queues, run_jobs


@pytest.fixture
def admin_client(as_user):
    client, user = as_user("district_admin")
    return client, actor_for_user(user.district_id, user.id)


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_the_years_page_lists_years_with_their_terms_and_an_add_form(admin_client, tenant, district, make_year):
    client, admin = admin_client
    make_year(admin, "2025-26", 2025, current=True)

    response = client.get("/org/years")

    html = _html(response)
    assert response.status_code == 200
    assert "<!doctype html>" in html
    assert "2025-26" in html and "Fall, Spring" in html
    assert 'action="/org/years"' in html and "Add year" in html


def test_an_overlapping_year_from_htmx_gets_only_the_form_with_422_and_the_typed_values(
    admin_client, tenant, district, make_year
):
    client, admin = admin_client
    make_year(admin, "2025-26", 2025, terms=False)

    response = client.post(
        "/org/years", {"name": "Overlap year", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}, htmx=True
    )

    html = _html(response)
    assert response.status_code == 422
    assert "<!doctype html>" not in html
    assert html.lstrip().startswith('<section class="card" id="year-form"')
    assert "overlap the year 2025-26" in html
    assert 'value="Overlap year"' in html and 'value="2026-01-01"' in html


def test_an_overlapping_year_without_javascript_gets_the_whole_page_with_422(admin_client, make_year):
    client, admin = admin_client
    make_year(admin, "2025-26", 2025, terms=False)

    response = client.post("/org/years", {"name": "Overlap", "starts_on": "2026-01-01", "ends_on": "2026-12-31"})

    assert response.status_code == 422
    assert "<!doctype html>" in _html(response) and "overlap the year 2025-26" in _html(response)


def test_adding_a_year_redirects_to_it(admin_client, tenant, district):
    client, _admin = admin_client

    response = client.post("/org/years", {"name": "2030-31", "starts_on": "2030-08-01", "ends_on": "2031-06-30"})

    tenant(district)
    made = db.session.scalar(select(AcademicYear).where(AcademicYear.name == "2030-31"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/org/years/{made.id}"


def test_a_term_outside_its_year_shows_the_years_dates_on_the_page(admin_client, make_year):
    client, admin = admin_client
    made = make_year(admin, "2025-26", 2025, terms=False)

    response = client.post(
        f"/org/years/{made.id}", {"name": "Summer", "starts_on": "2026-06-01", "ends_on": "2026-08-01"}, htmx=True
    )

    assert response.status_code == 422
    assert "must lie inside its year" in _html(response)


def test_a_school_admin_sees_years_without_the_add_form(as_user, make_user, make_actor, make_year):
    admin = make_actor("district_admin")
    make_year(admin, "2025-26", 2025)
    client, _user = as_user("school_admin")

    html = _html(client.get("/org/years"))

    assert "2025-26" in html
    assert "Add year" not in html and "Make current" not in html


@pytest.mark.parametrize("role", ["teacher", "student", "guardian"])
def test_people_without_structure_rights_get_404(as_user, role):
    client, _user = as_user(role)

    assert client.get("/org/years").status_code == 404
    assert client.get("/org/schools").status_code == 404
    assert client.get("/rollover/").status_code == 404


def test_a_school_admin_cannot_edit_a_school_or_run_a_rollover(as_user, district):
    client, _user = as_user("school_admin")

    assert client.get(f"/org/schools/{district.school_id}/edit").status_code == 404
    assert client.get("/rollover/").status_code == 404
    assert client.get(f"/org/schools/{district.school_id}/courses").status_code == 200


def test_another_districts_records_answer_404_by_url(
    admin_client, make_district, make_user, district, make_actor, make_year
):
    client, _admin = admin_client
    other = make_district()
    theirs = make_actor("district_admin", district=other)
    their_year = make_year(theirs, "2025-26", 2025)
    fall, _ = terms_of(theirs, their_year.id)
    course = services.create_course(theirs, other.school_id, their_year.id, "X1", "Theirs", "", None, None)
    teacher = make_user("teacher", district=other)
    section = rosters.create_section(theirs, other.school_id, course.id, fall.id, [teacher.id], "", "", "")

    for url in (
        f"/org/years/{their_year.id}",
        f"/org/years/{their_year.id}/edit",
        f"/org/terms/{fall.id}/edit",
        f"/org/schools/{other.school_id}/courses",
        f"/org/schools/{other.school_id}/edit",
        f"/org/courses/{course.id}/edit",
        f"/rosters/sections/{section.id}/edit",
    ):
        assert client.get(url).status_code == 404, url


def test_a_duplicate_course_code_gets_422_with_the_message_in_the_form(admin_client, district, make_year):
    client, admin = admin_client
    made = make_year(admin, "2025-26", 2025, terms=False)
    services.create_course(admin, district.school_id, made.id, "ALG1", "Algebra 1", "Math", 9, 9)
    url = f"/org/schools/{district.school_id}/courses?year={made.id}"

    response = client.post(
        url, {"year_id": made.id, "code": "ALG1", "name": "Again", "grade_low": "", "grade_high": ""}, htmx=True
    )

    html = _html(response)
    assert response.status_code == 422
    assert html.lstrip().startswith('<section class="card" id="course-form"')
    assert "already used by Algebra 1" in html and 'value="Again"' in html


def test_adding_a_course_lists_it_on_the_courses_page(admin_client, tenant, district, make_year):
    client, admin = admin_client
    made = make_year(admin, "2025-26", 2025, terms=False)
    url = f"/org/schools/{district.school_id}/courses?year={made.id}"

    response = client.post(
        url,
        {
            "year_id": made.id,
            "code": "BIO",
            "name": "Biology",
            "subject": "Science",
            "grade_low": "9",
            "grade_high": "10",
        },
    )

    assert response.status_code == 303
    html = _html(client.get(url))
    assert "<code>BIO</code>" in html and "Grade 9 \u2013 Grade 10" in html


def test_the_sections_list_pages_and_answers_htmx_with_the_results_block(
    admin_client, make_user, district, monkeypatch, make_year
):
    from app.rosters.services import section_admin

    monkeypatch.setattr(section_admin, "SECTIONS_PER_PAGE", 2)
    client, admin = admin_client
    made = make_year(admin, "2025-26", 2025)
    fall, _ = terms_of(admin, made.id)
    course = services.create_course(admin, district.school_id, made.id, "PE", "Gym", "", None, None)
    teacher = make_user("teacher")
    for period in ("P1", "P2", "P3"):
        rosters.create_section(admin, district.school_id, course.id, fall.id, [teacher.id], "", period, "")
    url = f"/rosters/schools/{district.school_id}/sections?year={made.id}"

    full = _html(client.get(url))
    fragment = _html(client.get(url + "&page=2", htmx=True))

    assert "<!doctype html>" in full and full.count("Gym (P") == 2 and "page=2" in full
    assert fragment.lstrip().startswith('<div id="results"')
    assert fragment.count("Gym (P") == 1 and "Gym (P3)" in fragment


def test_a_section_in_a_term_of_another_year_is_refused_on_the_page(admin_client, make_user, district, make_year):
    client, admin = admin_client
    current, nxt = make_year(admin, "2025-26", 2025), make_year(admin, "2026-27", 2026)
    next_fall, _ = terms_of(admin, nxt.id)
    course = services.create_course(admin, district.school_id, current.id, "CHEM", "Chemistry", "", None, None)
    teacher = make_user("teacher", display_name="Mr. Okafor")
    url = f"/rosters/schools/{district.school_id}/sections/new"
    assert "Mr. Okafor" in _html(client.get(url))

    response = client.post(
        url, {"course_id": course.id, "term_id": next_fall.id, "teacher_ids": [teacher.id], "period": "P5"}
    )

    html = _html(response)
    assert response.status_code == 422
    assert "The term Fall is in 2026-27, but the course CHEM is in 2025-26" in html
    assert 'value="P5"' in html


def test_an_archived_section_is_shown_read_only_and_refuses_a_post(admin_client, make_user, district, make_year):
    client, admin = admin_client
    made = make_year(admin, "2025-26", 2025)
    fall, _ = terms_of(admin, made.id)
    course = services.create_course(admin, district.school_id, made.id, "HIST", "History", "", None, None)
    teacher = make_user("teacher")
    section = rosters.create_section(admin, district.school_id, course.id, fall.id, [teacher.id], "", "P2", "")
    section.is_archived = True
    db.session.commit()

    page = _html(client.get(f"/rosters/sections/{section.id}/edit"))
    response = client.post(
        f"/rosters/sections/{section.id}/edit",
        {"course_id": course.id, "term_id": fall.id, "teacher_ids": [teacher.id], "name": "Changed"},
    )

    assert "can no longer be changed" in page and '<form method="post" action="/admin/sections/' not in page
    assert response.status_code == 422


def test_the_rollover_pages_preview_apply_and_confirm(admin_client, make_user, tenant, district, make_year):
    empty_queues()
    client, admin = admin_client
    old, new = make_year(admin, "2025-26", 2025, current=True), make_year(admin, "2026-27", 2026)
    services.create_course(admin, district.school_id, old.id, "MUS", "Music", "", None, None)
    make_user("student", grade_level=12)

    created = client.post("/rollover/", {"from_year_id": old.id, "to_year_id": new.id})
    tenant(district)
    rollover = db.session.scalar(select(Rollover))
    assert created.status_code == 303 and created.headers["Location"] == f"/rollover/{rollover.id}"
    preview = _html(client.get(f"/rollover/{rollover.id}"))
    assert "Courses to carry forward" in preview and "Apply rollover" in preview
    assert re.search(r"Graduates</span>\s*<span class=\"stat-card__value\">1<", preview)

    applied = client.post(f"/rollover/{rollover.id}/apply", htmx=True)
    assert applied.status_code == 204 and applied.headers["HX-Redirect"] == f"/rollover/{rollover.id}"
    run_jobs()
    after = _html(client.get(f"/rollover/{rollover.id}"))
    assert "Applied, not confirmed" in after and "Confirm rollover" in after and "Revert rollover" in after

    client.post(f"/rollover/{rollover.id}/confirm")
    final = _html(client.get(f"/rollover/{rollover.id}"))
    refused = client.post(f"/rollover/{rollover.id}/revert", htmx=True)
    assert "confirmed and final" in final and "Revert rollover" not in final
    assert refused.status_code == 422 and "can no longer be reverted" in _html(refused)
    tenant(district)
    assert db.session.scalar(select(Course.id).where(Course.academic_year_id == new.id)) is not None


def test_a_rollover_to_an_earlier_year_is_refused_on_the_page(admin_client, make_year):
    client, admin = admin_client
    old, new = make_year(admin, "2025-26", 2025), make_year(admin, "2026-27", 2026)

    response = client.post("/rollover/", {"from_year_id": new.id, "to_year_id": old.id}, htmx=True)

    assert response.status_code == 422
    assert "must come after 2026-27" in _html(response)
