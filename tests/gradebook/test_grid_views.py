"""The gradebook page: whole page and HTMX fragment, saving a cell (the row comes back), refused values kept."""

from __future__ import annotations

from tests.browser import Browser
from tests.factories import PASSWORD
from tests.gradebook.conftest import ago


def _signed_in(app, user):
    client = Browser(app)
    client.login(user.email, PASSWORD)
    return client


def test_the_grid_is_a_whole_page_and_its_filters_answer_with_the_grid_only(app, klass, assign):
    k = klass(2)
    assign(k, title="Fractions quiz", points_possible="10", due=ago(2))
    client = _signed_in(app, k.teacher)
    page = client.get(f"/gradebook/sections/{k.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<html" in html and "Fractions quiz" in html and 'id="gb-table"' in html
    assert html.count('<tr id="r') == 2
    fragment = client.get(f"/gradebook/sections/{k.id}?missing=1", htmx=True).get_data(as_text=True)
    assert "<html" not in fragment and 'id="grid"' in fragment
    assert fragment.count('<tr id="r') == 2  # both are missing the quiz


def test_saving_a_cell_answers_with_the_students_row_and_new_grade(app, klass, assign):
    k = klass(2)
    quiz = assign(k, title="Quiz", points_possible="10", due=ago(2))
    client = _signed_in(app, k.teacher)
    client.get(f"/gradebook/sections/{k.id}")
    student = k.students[0].id
    response = client.post(f"/gradebook/sections/{k.id}/cells/{quiz.id}/{student}", {"value": "9"}, htmx=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.startswith(f'<tr id="r{student}"') or f'<tr id="r{student}"' in html
    assert "90.0" in html and "<b>A-</b>" in html


def test_a_refused_value_comes_back_in_its_cell_with_the_reason(app, klass, assign):
    k = klass(1)
    quiz = assign(k, title="Quiz", points_possible="10", due=ago(2))
    client = _signed_in(app, k.teacher)
    client.get(f"/gradebook/sections/{k.id}")
    student = k.students[0].id
    response = client.post(f"/gradebook/sections/{k.id}/cells/{quiz.id}/{student}", {"value": "12"}, htmx=True)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="err"' in html and "12" in html and "The most this assignment gives is 10 points." in html


def test_without_javascript_a_refused_cell_shows_the_cell_page_with_the_value_kept(app, klass, assign):
    k = klass(1)
    quiz = assign(k, title="Quiz", points_possible="10", due=ago(2))
    client = _signed_in(app, k.teacher)
    client.get(f"/gradebook/sections/{k.id}")
    response = client.post(f"/gradebook/sections/{k.id}/cells/{quiz.id}/{k.students[0].id}", {"value": "abc"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="abc"' in html and "Enter a number, EX for excused or M for missing." in html


def test_a_column_typed_on_its_own_page_saves_good_values_and_keeps_refused_ones(app, klass, assign):
    k = klass(2)
    quiz = assign(k, title="Quiz", points_possible="10", due=ago(2))
    client = _signed_in(app, k.teacher)
    assert client.get(f"/gradebook/sections/{k.id}/columns/{quiz.id}").status_code == 200
    a, b = k.students
    response = client.post(f"/gradebook/sections/{k.id}/columns/{quiz.id}", {f"s-{a.id}": "8", f"s-{b.id}": "-3"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="-3"' in html and "A score cannot be negative." in html
    assert "8" in client.get(f"/gradebook/sections/{k.id}").get_data(as_text=True)


def test_another_teacher_and_another_district_get_404(app, klass, assign, make_user, make_district):
    k = klass(1)
    quiz = assign(k, title="Quiz", points_possible="10", due=ago(2))
    other = _signed_in(app, make_user("teacher"))
    assert other.get(f"/gradebook/sections/{k.id}").status_code == 404
    assert (
        other.post(f"/gradebook/sections/{k.id}/cells/{quiz.id}/{k.students[0].id}", {"value": "1"}).status_code == 404
    )
    elsewhere = make_district()
    stranger = _signed_in(app, make_user("teacher", district=elsewhere))
    assert stranger.get(f"/gradebook/sections/{k.id}").status_code == 404
    student = _signed_in(app, k.students[0])
    assert student.get(f"/gradebook/sections/{k.id}").status_code == 404


def test_a_teacher_creates_an_assignment_for_two_sections_with_their_own_dates(app, klass, sibling_section):
    k = klass(1)
    other = sibling_section(k)
    client = _signed_in(app, k.teacher)
    assert client.get(f"/gradebook/sections/{k.id}/assignments/new").status_code == 200
    response = client.post(
        f"/gradebook/sections/{k.id}/assignments/new",
        {
            "title": "Lab report",
            "points_possible": "20",
            "grading_type": "points",
            "submission_type": "text",
            "publish": "now",
            "section_ids": [str(k.id), str(other.id)],
            f"due_{k.id}": "2026-12-10T23:59",
            f"due_{other.id}": "2026-12-11T08:00",
            f"lock_{other.id}": "2026-12-09T08:00",
        },
    )
    assert response.status_code == 422  # the second section's lock is before its due date
    assert "The lock date cannot be before the due date." in response.get_data(as_text=True)
    assert 'value="Lab report"' in response.get_data(as_text=True)
    response = client.post(
        f"/gradebook/sections/{k.id}/assignments/new",
        {
            "title": "Lab report",
            "points_possible": "20",
            "grading_type": "points",
            "submission_type": "text",
            "publish": "now",
            "section_ids": [str(k.id), str(other.id)],
            f"due_{k.id}": "2026-12-10T23:59",
            f"due_{other.id}": "2026-12-11T08:00",
        },
    )
    assert response.status_code == 303
    assert "Lab report" in client.get(f"/gradebook/sections/{other.id}").get_data(as_text=True)


def test_a_teacher_reading_the_grid_is_in_the_access_audit_for_each_student(app, klass, assign):
    from sqlalchemy import text

    from app import db

    k = klass(2)
    assign(k, title="Quiz", points_possible="10", due=ago(2))
    client = _signed_in(app, k.teacher)
    assert client.get(f"/gradebook/sections/{k.id}").status_code == 200
    db.set_tenant(k.teacher.district_id, None, "system")
    seen = db.session.execute(
        text("select student_id from access_audit where what = 'gradebook' and actor_id = :a"), {"a": k.teacher.id}
    ).scalars()
    assert set(seen) == {student.id for student in k.students}
