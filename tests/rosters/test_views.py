from __future__ import annotations

import re

import pytest

from app import db
from app.accounts import services as accounts
from app.accounts.models import GuardianLink
from app.rosters import services


@pytest.fixture
def enrolled(make_user, make_section, actor_of):
    """A teacher's section with two students enrolled, one with accommodations."""
    teacher = make_user("teacher", display_name="Tess Teacher")
    section = make_section("Math 7", "P1", teacher=teacher)
    admin = actor_of(make_user("district_admin"))
    ada = make_user("student", display_name="Ada Park", pronouns="she/her", grade_level=7, has_iep=True, is_ell=True)
    bo = make_user("student", display_name="Bo Chen", grade_level=7)
    for student in (ada, bo):
        services.enroll_student(admin, section.id, student.id)
    return teacher, section, ada, bo


def _login(app, user):
    from tests.browser import Browser
    from tests.factories import PASSWORD

    client = Browser(app)
    client.login(user.email, PASSWORD)
    return client


def test_a_teacher_sees_my_sections_and_the_roster_with_pronouns_and_badges(app, enrolled):
    teacher, section, _ada, _bo = enrolled
    client = _login(app, teacher)

    sections = client.get("/rosters/sections/mine").get_data(as_text=True)
    roster = client.get(f"/rosters/sections/{section.id}")

    html = roster.get_data(as_text=True)
    assert "Math 7 \u2013 P1" in sections and f'href="/rosters/sections/{section.id}"' in sections
    assert 'href="/rosters/sections/mine"' in sections  # the NAV entry
    assert roster.status_code == 200
    badges = re.findall(r'class="badge[^"]*"[^>]*>\s*([^<]+?)\s*<', html)
    assert "Ada Park" in html and "she/her" in html and "IEP" in badges and "ELL" in badges
    assert "504" not in badges  # a bare "504" can appear in ids and tokens, so only badges count


def test_an_htmx_roster_request_returns_only_the_roster_block(app, enrolled):
    teacher, section, _ada, _bo = enrolled

    response = _login(app, teacher).get(f"/rosters/sections/{section.id}", htmx=True)

    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="roster"')
    assert "<html" not in html and "Bo Chen" in html


def test_a_teacher_cannot_open_another_teachers_roster(as_user, enrolled):
    _teacher, section, _ada, _bo = enrolled
    other, _user = as_user("teacher")

    assert other.get(f"/rosters/sections/{section.id}").status_code == 404


def test_an_admin_opens_any_roster_of_the_district(as_user, enrolled):
    _teacher, section, _ada, _bo = enrolled
    admin, _user = as_user("district_admin")

    assert "Bo Chen" in admin.get(f"/rosters/sections/{section.id}").get_data(as_text=True)


def test_a_guardian_sees_linked_students_by_page_and_by_url_but_never_others(as_user, enrolled, tenant, district):
    _teacher, _section, ada, bo = enrolled
    guardian, user = as_user("guardian")
    tenant(district)
    db.session.add(GuardianLink(district_id=district.id, guardian_id=user.id, student_id=ada.id, relationship="parent"))
    db.session.commit()

    page = guardian.get("/rosters/students/mine").get_data(as_text=True)

    assert "Ada Park" in page and "Bo Chen" not in page
    assert 'href="/rosters/students/mine"' in page
    assert guardian.get(f"/rosters/students/{ada.id}").status_code == 200
    assert guardian.get(f"/rosters/students/{bo.id}").status_code == 404
    assert guardian.get("/rosters/sections/mine").status_code == 404


def test_a_teacher_who_does_not_teach_the_student_gets_404_for_the_student_page(app, as_user, enrolled):
    teacher, _section, ada, _bo = enrolled
    outsider, _user = as_user("teacher")
    teacher_client = _login(app, teacher)

    assert outsider.get(f"/rosters/students/{ada.id}").status_code == 404
    assert teacher_client.get(f"/rosters/students/{ada.id}").status_code == 200


def test_a_student_of_another_district_is_not_found_for_its_admin_lookalike(as_user, make_user, make_district):
    admin, _user = as_user("district_admin")
    foreign = make_user("student", district=make_district())

    assert admin.get(f"/rosters/students/{foreign.id}").status_code == 404


def test_the_directory_searches_filters_and_shows_nav(as_user, make_user):
    admin, _user = as_user("district_admin")
    make_user("student", display_name="Quincy Adams", grade_level=5)
    make_user("teacher", display_name="Quentin Teacher")

    page = admin.get("/rosters/people?q=quin&role=student").get_data(as_text=True)

    assert "Quincy Adams" in page and "Quentin Teacher" not in page
    assert 'class="site-nav__link" href="/rosters/people"' in page


def test_a_hostile_search_does_not_fail(as_user):
    admin, _user = as_user("district_admin")

    response = admin.get("/rosters/people?q=a+%26+b+%7C+!c%3A*&grade=abc&school_id=--1")

    assert response.status_code == 200


def test_an_htmx_directory_search_returns_only_the_results_block(as_user, make_user):
    admin, _user = as_user("district_admin")
    make_user("teacher", display_name="Mine Colleague")
    make_user("teacher", display_name="Someone Else")

    response = admin.get("/rosters/people?q=Mine", htmx=True)

    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html and "Mine Colleague" in html and "Someone Else" not in html


def test_bulk_enroll_confirms_the_count_then_applies_with_a_toast(as_user, make_user, make_section, actor_of):
    admin, user = as_user("district_admin")
    section = make_section("Math 7", "P1")
    students = [make_user("student") for _ in range(3)]
    form = {"action": "enroll", "section_id": str(section.id), "user_ids": [str(s.id) for s in students]}

    confirm = admin.post("/rosters/people/bulk", form)

    assert confirm.status_code == 200
    assert "Enroll 3 students in Math 7 \u2013 P1?" in confirm.get_data(as_text=True)

    applied = admin.post("/rosters/people/bulk/apply", form)

    assert applied.status_code == 303 and applied.headers["Location"].endswith("/rosters/people")
    assert "3 students enrolled." in admin.get("/rosters/people").get_data(as_text=True)
    assert len(services.section_roster(actor_of(user), section.id).students) == 3


def test_an_htmx_bulk_confirm_returns_the_confirm_block_and_apply_redirects(as_user, make_user, make_section):
    admin, _user = as_user("district_admin")
    section = make_section("Art", None)
    student = make_user("student")
    form = {"action": "enroll", "section_id": str(section.id), "user_ids": [str(student.id)]}

    confirm = admin.post("/rosters/people/bulk", form, htmx=True)
    applied = admin.post("/rosters/people/bulk/apply", form, htmx=True)

    html = confirm.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="bulk-confirm"') and "<html" not in html
    assert "Enroll 1 student in Art?" in html
    assert applied.status_code == 204 and applied.headers["HX-Redirect"] == "/rosters/people"


def test_a_bulk_request_without_rows_is_422_with_a_message(as_user):
    admin, _user = as_user("district_admin")

    response = admin.post("/rosters/people/bulk", {"action": "deactivate"})

    assert response.status_code == 422
    assert "Select at least one row first." in response.get_data(as_text=True)


def test_a_teacher_cannot_run_bulk_changes_on_their_roster(app, enrolled):
    teacher, section, ada, _bo = enrolled
    client = _login(app, teacher)

    response = client.post(
        "/rosters/people/bulk", {"action": "drop", "from_section_id": str(section.id), "user_ids": [str(ada.id)]}
    )

    assert response.status_code == 404


def test_a_teacher_exports_their_roster_as_csv(app, enrolled):
    teacher, section, ada, bo = enrolled
    client = _login(app, teacher)

    response = client.post(
        "/rosters/people/bulk/apply",
        {"action": "export", "from_section_id": str(section.id), "user_ids": [str(ada.id), str(bo.id)]},
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert body.splitlines()[0].startswith("id,display_name")
    assert "Ada Park" in body and "Bo Chen" in body


def test_the_csv_export_defuses_formulas(as_user, make_user):
    admin, _user = as_user("district_admin")
    evil = make_user("student", display_name="=cmd|' /C calc'!A0")

    body = admin.post("/rosters/people/bulk/apply", {"action": "export", "user_ids": [str(evil.id)]}).get_data(
        as_text=True
    )

    assert "'=cmd|' /C calc'!A0" in body


def test_an_admin_edits_a_guardian_link_and_the_holds_own_rights_flag(as_user, make_user, tenant, district):
    admin, _user = as_user("district_admin")
    student, guardian = make_user("student"), make_user("guardian", display_name="Pat Parent")
    tenant(district)
    db.session.add(GuardianLink(district_id=district.id, guardian_id=guardian.id, student_id=student.id))
    db.session.commit()
    assert "Pat Parent" in admin.get(f"/rosters/students/{student.id}").get_data(as_text=True)

    saved = admin.post(
        f"/rosters/students/{student.id}/guardians/{guardian.id}",
        {f"g{guardian.id}-relationship": "grandparent", f"g{guardian.id}-has_custody": "y"},
    )
    rights = admin.post(f"/rosters/students/{student.id}/rights", {"holds_own_rights": "y"})

    assert saved.status_code == 303 and rights.status_code == 303
    assert not accounts.guardian_may_see_grades(guardian.id, student.id)


def test_a_teachers_home_page_lists_the_sections_they_teach(app, enrolled):
    teacher, section, _ada, _bo = enrolled

    html = _login(app, teacher).get("/").get_data(as_text=True)

    assert f'href="/rosters/sections/{section.id}"' in html
    assert "No classes yet" not in html


def test_an_admin_links_a_guardian_by_email_and_an_unknown_email_is_explained(as_user, make_user, tenant, district):
    admin, _user = as_user("district_admin")
    student = make_user("student")
    guardian = make_user("guardian", email="pat.parent@example.test", display_name="Pat Parent")

    unknown = admin.post(
        f"/rosters/students/{student.id}/guardians", {"new-email": "nobody@example.test", "new-relationship": "parent"}
    )
    linked = admin.post(
        f"/rosters/students/{student.id}/guardians",
        {"new-email": "Pat.Parent@example.test", "new-relationship": "parent", "new-can_see_grades": "y"},
    )

    assert unknown.status_code == 422
    html = unknown.get_data(as_text=True)
    assert "No guardian account uses nobody@example.test" in html and 'value="nobody@example.test"' in html
    assert linked.status_code == 303
    tenant(district)
    assert accounts.guardian_may_see_grades(guardian.id, student.id)


def test_a_teacher_cannot_link_guardians(as_user, make_user, district):
    teacher, _user = as_user("teacher")
    student = make_user("student")
    make_user("guardian", email="pat.parent@example.test")

    response = teacher.post(
        f"/rosters/students/{student.id}/guardians",
        {"new-email": "pat.parent@example.test", "new-relationship": "parent"},
    )

    assert response.status_code == 404
