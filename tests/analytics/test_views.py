import csv
import html
import io
import re
from datetime import date

import pytest

from app import db
from tests.analytics.conftest import AS_OF, add_activity
from tests.browser import Browser
from tests.factories import PASSWORD


def signed_in(app, user):
    browser = Browser(app)
    browser.login(user.email, PASSWORD)
    return browser


@pytest.fixture
def small_school(rebuilt, make_school, make_user, make_section, make_enrollment):
    """A second school with three students: too few to show, in a district whose total is shown."""
    from app.analytics.services import rebuild_district
    from app.identity.data import SystemActor

    school = make_school("Tiny School")
    teacher = make_user("teacher", school_id=school.id)
    section = make_section("Art", teacher=teacher, school_id=school.id)
    for n in range(3):
        student = make_user("student", school_id=school.id, grade_level=7, display_name=f"tiny{n}")
        make_enrollment(rebuilt.district.id, section.id, student.id, date(2026, 8, 1))
        add_activity(student, date(2026, 8, 4))
    db.set_tenant(rebuilt.district.id, None, "system")
    rebuild_district(SystemActor(rebuilt.district.id), as_of=AS_OF)
    return school


def test_district_admins_start_at_the_district_view(app, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    response = browser.get("/analytics/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/analytics/district")
    page = browser.get("/analytics/district").get_data(as_text=True)
    assert "Weekly active students" in page and "Data as of" in page
    assert 'href="/analytics/definitions#active_students"' in page


def test_a_filter_swap_answers_the_dashboard_block_only(app, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    fragment = browser.get("/analytics/district?metric=guardian_reach", htmx=True)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and 'id="dashboard"' in body
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_school_view_shows_the_hand_counted_share(app, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    page = browser.get(f"/analytics/schools/{rebuilt.school_id}").get_data(as_text=True)
    # Weeks of 3 and 17 Aug: (4 + 2) active of (12 + 12) rostered student-weeks = 25%.
    assert "25%" in page


def test_school_admins_see_their_school_only(app, rebuilt, make_user, make_school, make_district):
    other = make_school("Other School")
    principal = make_user("school_admin", district=rebuilt.district, school_id=rebuilt.school_id)
    browser = signed_in(app, principal)
    response = browser.get("/analytics/")
    assert response.headers["Location"].endswith(f"/analytics/schools/{rebuilt.school_id}")
    assert browser.get(f"/analytics/schools/{rebuilt.school_id}").status_code == 200
    assert browser.get(f"/analytics/schools/{other.id}").status_code == 404
    assert browser.get("/analytics/district").status_code == 404
    stranger = make_district()
    assert browser.get(f"/analytics/schools/{stranger.school_id}").status_code == 404


@pytest.mark.parametrize("role", ["teacher", "student", "guardian"])
def test_other_roles_get_404(app, rebuilt, make_user, role):
    browser = signed_in(app, make_user(role, district=rebuilt.district))
    urls = ("/analytics/", "/analytics/district", f"/analytics/schools/{rebuilt.school_id}", "/analytics/definitions")
    for url in urls:
        assert browser.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-08-18&end=2026-08-04", "The end date is before the start date"),
        ("start=2016-08-01&end=2026-08-19", "A date range can be at most"),
        ("start=yesterday", "A date could not be read"),
        ("grade=abc", "There is no such grade level"),
        ("subject=Alchemy", "There is no such subject"),
        ("term=99999999999", "There is no such term"),
        ("metric=%3Cscript%3E", "There is no such metric"),
    ],
)
def test_bad_filters_get_a_message_and_the_default_view(app, rebuilt, query, message):
    browser = signed_in(app, rebuilt.admin)
    response = browser.get(f"/analytics/schools/{rebuilt.school_id}?{query}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and message in body
    assert "25%" in body  # the default view's figure


def test_an_unknown_school_in_the_district_filter_is_dropped(app, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    response = browser.get("/analytics/district?school=424242")
    assert response.status_code == 200
    assert "That school is not one you can report on" in response.get_data(as_text=True)


def test_the_district_school_filter_leads_to_the_school_view(app, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    response = browser.get(f"/analytics/district?school={rebuilt.school_id}&metric=guardian_reach")
    assert response.status_code == 303
    assert f"/analytics/schools/{rebuilt.school_id}?metric=guardian_reach" in response.headers["Location"]


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_a_small_school_and_its_complement_are_suppressed_so_neither_can_be_recovered(app, small_school, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    rows = read_csv(browser.get("/analytics/table.csv?view=district&table=0"))
    body = rows[1:]
    by_name = {row[0]: row for row in body}
    total = by_name.pop("Total")
    assert by_name["Tiny School"][1] == "Suppressed"
    # Trying to recover the small school: the total less the schools shown. With one school suppressed that would be
    # exact; the complement is suppressed too, so nothing shown is left to subtract.
    shown = [row for row in by_name.values() if row[1] != "Suppressed"]
    assert shown == []
    assert int(total[1].replace(",", "")) == 15  # largest weekly count: 12 + 3
    assert all(cell == "Suppressed" for row in by_name.values() for cell in row[1:])
    page = browser.get("/analytics/district").get_data(as_text=True)
    assert "Tiny School" in page and "Suppressed" in page


def test_csv_cells_are_the_numbers_the_table_shows(app, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    rows = read_csv(browser.get(f"/analytics/table.csv?view=school&school_id={rebuilt.school_id}&table=0"))
    assert rows[0][:3] == ["Grade levels", "Students", "Weekly active students"]
    grade = rows[1]
    assert grade[0] == "Grade 7" and grade[2] == "25%"
    page = html.unescape(browser.get(f"/analytics/schools/{rebuilt.school_id}").get_data(as_text=True))
    assert all(cell in page for cell in grade[1:]), grade


def test_the_definitions_page_states_active_with_its_parameter(app, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    page = browser.get("/analytics/definitions").get_data(as_text=True)
    assert "at least 1 day" in page and 'id="guardian_reach"' in page and "fewer than 10 students" in page


def test_drilling_to_a_weeks_students_lists_the_rows_behind_it_and_is_recorded(app, rebuilt):
    from sqlalchemy import select

    from app.events.models import Event

    browser = signed_in(app, rebuilt.admin)
    section = rebuilt.section.id
    page = browser.get(f"/analytics/schools/{rebuilt.school_id}/sections/{section}").get_data(as_text=True)
    assert "/drill?" in page
    listing = browser.get(f"/analytics/schools/{rebuilt.school_id}/drill?section_id={section}&week=2026-08-03")
    body = listing.get_data(as_text=True)
    assert listing.status_code == 200
    assert "12 students rostered that week; 4 active" in body
    db.set_tenant(rebuilt.district.id, None, "system")
    events = db.session.scalars(select(Event).where(Event.type == "analytics.student_rows_viewed")).all()
    assert events and events[-1].payload["count"] == 12
    from sqlalchemy import text

    audited = db.session.execute(
        text("select count(distinct student_id) from access_audit where what = 'analytics.students' and actor_id = :a"),
        {"a": rebuilt.admin.id},
    ).scalar()
    assert audited == 12  # every student listed is in the access audit


def test_the_page_loads_plotly_under_the_strict_policy(app, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    response = browser.get("/analytics/district")
    body = response.get_data(as_text=True)
    assert "vendor/plotly-strict-4.1.1" in body and 'class="no-inline-styles"' in body
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert "<script>" not in body and "style=" not in body


def test_per_teacher_figures_appear_only_once_the_district_turns_them_on(app, rebuilt, make_user):
    browser = signed_in(app, rebuilt.admin)
    url = f"/analytics/schools/{rebuilt.school_id}"
    assert "Weeks active" not in browser.get(url).get_data(as_text=True)
    principal = signed_in(app, make_user("school_admin", district=rebuilt.district, school_id=rebuilt.school_id))
    assert principal.post("/analytics/settings", {"show_teacher_figures": "1"}).status_code == 404
    browser.get("/analytics/definitions")
    assert browser.post("/analytics/settings", {"show_teacher_figures": "1"}).status_code == 303
    page = browser.get(url).get_data(as_text=True)
    # T taught both instructional weeks and was active in the first.
    assert "Weeks active" in page and "never ranked" in page
    assert '<th scope="row">T</th><td class="text-end">2</td><td class="text-end">1</td>' in page
    browser.post("/analytics/settings", {})
    assert "Weeks active" not in browser.get(url).get_data(as_text=True)


def test_only_district_admins_may_ask_for_a_rebuild(app, rebuilt, make_user):
    principal = signed_in(app, make_user("school_admin", district=rebuilt.district, school_id=rebuilt.school_id))
    principal.get(f"/analytics/schools/{rebuilt.school_id}")
    assert principal.post("/analytics/rebuild", {}).status_code == 404


def test_a_tiles_rows_add_up_to_it(app, rebuilt):
    browser = signed_in(app, rebuilt.admin)
    page = browser.get(f"/analytics/schools/{rebuilt.school_id}").get_data(as_text=True)
    link = html.unescape(re.search(r'href="([^"]*/analytics/rows\?[^"]*metric=active_students[^"]*)"', page).group(1))
    rows = browser.get(link)
    body = rows.get_data(as_text=True)
    assert rows.status_code == 200
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', body)
    # Week of 3 Aug: 4 of 12; week of 17 Aug: 2 of 12; total 6 of 24, the tile's 25%.
    assert cells[:4] == ["12", "4", "12", "33%"] and cells[4:8] == ["12", "2", "12", "17%"]
    assert cells[8:11] == ["6", "24", "25%"]
    assert "/drill?" in body  # each week lists its students (school view)


def test_rows_of_another_school_answer_404(app, rebuilt, make_user, make_school):
    other = make_school("Elsewhere")
    principal = signed_in(app, make_user("school_admin", district=rebuilt.district, school_id=rebuilt.school_id))
    assert principal.get(f"/analytics/rows?view=school&school_id={other.id}").status_code == 404
    assert principal.get("/analytics/rows?view=district").status_code == 404
    assert principal.get(f"/analytics/table.csv?view=school&school_id={other.id}").status_code == 404
    assert principal.get(f"/analytics/schools/{other.id}/drill?week=2026-08-03").status_code == 404
