"""The coverage pages: the course's table with its gaps marked in words, the gaps filter, the section's page, the
drill-down, and 404 for who may not see them."""

from __future__ import annotations

from tests.browser import Browser
from tests.coverage.test_services import _id_of, course  # noqa: F401 - the hand-made course
from tests.curriculum.conftest import planning  # noqa: F401
from tests.factories import PASSWORD
from tests.standards.conftest import imported, system  # noqa: F401


def _client(app, user) -> Browser:
    client = Browser(app)
    client.login(user.email, PASSWORD)
    return client


def test_the_course_page_lists_each_standard_and_marks_the_gap_in_words(app, course):  # noqa: F811
    client = _client(app, course.course.teacher)
    page = client.get(f"/coverage/courses/{course.course.id}").get_data(as_text=True)
    assert "6.RP.A.1" in page and "6.RP.A.2" in page
    assert "Not covered" in page and "Not planned" in page
    assert "✓</span> 1 lesson</span>" in page and "Taught " in page and "%(" not in page
    gaps = client.get(f"/coverage/courses/{course.course.id}?show=gaps", htmx=True).get_data(as_text=True)
    assert "<html" not in gaps and "6.RP.A.2" in gaps and "6.RP.A.1" not in gaps


def test_the_section_page_and_the_drill_down(app, course, tenant, district):  # noqa: F811
    tenant(district)
    standard = _id_of(7)
    client = _client(app, course.course.teacher)
    assert client.get(f"/coverage/sections/{course.second_section}").status_code == 200
    page = client.get(f"/coverage/courses/{course.course.id}/standards/{standard}").get_data(as_text=True)
    assert "tables" in page and f"/curriculum/lessons/{course.lessons['tables'].id}" in page


def test_the_course_and_planner_pages_link_to_coverage(app, course):  # noqa: F811
    client = _client(app, course.course.teacher)
    page = client.get(f"/curriculum/courses/{course.course.id}").get_data(as_text=True)
    assert f"/coverage/courses/{course.course.id}" in page


def test_a_student_and_another_districts_teacher_get_404(app, course, make_user, make_district):  # noqa: F811
    student = make_user("student")
    assert _client(app, student).get(f"/coverage/courses/{course.course.id}").status_code == 404
    outsider = make_user("teacher", district=make_district())
    assert _client(app, outsider).get(f"/coverage/courses/{course.course.id}").status_code == 404
    assert _client(app, outsider).get(f"/coverage/sections/{course.second_section}").status_code == 404
