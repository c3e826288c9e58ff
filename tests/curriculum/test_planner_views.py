"""The planner page and the teacher's home: add, move, skip over HTTP, refused days, other people's plans."""

from __future__ import annotations

from datetime import date

import pytest

from app.curriculum import services
from app.identity.data import Actor
from tests.browser import Browser
from tests.factories import PASSWORD

MON, TUE = date(2026, 8, 3), date(2026, 8, 4)
WEEK = f"view=week&week={MON.isoformat()}"


@pytest.fixture
def planned(planning):
    course = planning()
    unit = services.create_unit(course.actor, course.id, "Forces", {})
    lessons = [services.create_lesson(course.actor, unit.id, title, {}) for title in ("Push", "Pull")]
    entries = [services.schedule_lesson(course.actor, course.section_id, lesson.id) for lesson in lessons]
    return course, lessons, entries


def _days(html: str) -> str:
    """The plan's days (the add form before them names every lesson of the course)."""
    return html[html.index('class="plan-days') :]


def _client(app, user) -> Browser:
    client = Browser(app)
    client.login(user.email, PASSWORD)
    return client


def test_the_week_shows_each_class_day_with_its_lessons(app, planned):
    course, _lessons, _entries = planned
    page = _client(app, course.teacher).get(f"/curriculum/sections/{course.section_id}/plan?{WEEK}").get_data(True)
    html = _days(page)

    monday = html.index('data-plan-day="2026-08-03"')
    tuesday = html.index('data-plan-day="2026-08-04"')
    assert monday < html.index("Push") < tuesday < html.index("Pull")
    assert 'data-plan-day="2026-08-08"' not in html  # Saturday


def test_adding_a_lesson_with_htmx_answers_the_plan_and_a_toast(app, planned):
    course, lessons, _entries = planned
    client = _client(app, course.teacher)
    client.get(f"/curriculum/sections/{course.section_id}/plan?{WEEK}")

    response = client.post(
        f"/curriculum/sections/{course.section_id}/plan?{WEEK}",
        {"lesson_id": str(lessons[0].id), "days": "1"},
        htmx=True,
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="plan"' in html and _days(html).count(">Push</a>") == 2
    assert "Lesson added to the plan." in response.headers.get("HX-Trigger", "")


def test_skipping_a_day_the_section_does_not_meet_answers_422_with_the_reason_kept(app, planned):
    course, _lessons, _entries = planned
    client = _client(app, course.teacher)
    client.get(f"/curriculum/sections/{course.section_id}/plan?{WEEK}")

    response = client.post(
        f"/curriculum/sections/{course.section_id}/plan/skips?{WEEK}",
        {"day": "2026-08-08", "reason": "Field trip"},
        htmx=True,
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The section does not meet that day" in html


def test_a_snow_day_posted_without_javascript_redirects_to_the_moved_plan(app, planned):
    course, _lessons, _entries = planned
    client = _client(app, course.teacher)
    client.get(f"/curriculum/sections/{course.section_id}/plan?{WEEK}")

    response = client.post(
        f"/curriculum/sections/{course.section_id}/plan/skips?{WEEK}", {"day": MON.isoformat(), "reason": "Snow"}
    )
    assert response.status_code == 303

    html = _days(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Snow" in html
    assert html.index('data-plan-day="2026-08-04"') < html.index("Push") < html.index('data-plan-day="2026-08-05"')


def test_a_drop_on_another_day_moves_the_lesson_there(app, planned):
    course, _lessons, (push, _pull) = planned
    client = _client(app, course.teacher)
    client.get(f"/curriculum/sections/{course.section_id}/plan?{WEEK}")

    response = client.post(
        f"/curriculum/plan/{push.id}/move",
        {"day": "2026-08-06", "index": "0", "section_id": str(course.section_id), "view": "week", "week": "2026-08-03"},
        htmx=True,
    )

    html = _days(response.get_data(as_text=True))
    assert response.status_code == 200
    assert html.index('data-plan-day="2026-08-03"') < html.index("Pull") < html.index('data-plan-day="2026-08-04"')
    assert html.index('data-plan-day="2026-08-06"') < html.index("Push") < html.index('data-plan-day="2026-08-07"')


def test_another_teachers_plan_and_entries_answer_404(app, planned, make_user):
    course, _lessons, (push, _pull) = planned
    client = _client(app, make_user("teacher"))
    client.get("/")

    assert client.get(f"/curriculum/sections/{course.section_id}/plan").status_code == 404
    assert client.post(f"/curriculum/plan/{push.id}/remove", {}).status_code == 404
    assert client.post(f"/curriculum/sections/{course.section_id}/plan/skips", {"day": "2026-08-03"}).status_code == 404


def test_the_teachers_home_shows_todays_lessons_per_section(app, planned, monkeypatch):
    course, _lessons, _entries = planned
    monkeypatch.setattr(Actor, "today", lambda self: TUE)

    html = _client(app, course.teacher).get("/").get_data(as_text=True)

    today = html[html.index('id="today-heading"') :]
    assert "Pull" in today and "Push" not in today
    assert f"/curriculum/sections/{course.section_id}/plan" in today


def test_the_lesson_picker_loads_on_its_own_and_only_for_the_sections_teachers(app, planned, make_user):
    course, lessons, _entries = planned
    client = _client(app, course.teacher)

    plan = client.get(f"/curriculum/sections/{course.section_id}/plan?{WEEK}").get_data(as_text=True)
    picker = client.get(f"/curriculum/sections/{course.section_id}/plan/add?{WEEK}", htmx=True)

    assert f'<option value="{lessons[0].id}"' not in plan  # the plan does not carry the course's lessons
    assert picker.status_code == 200 and f'<option value="{lessons[0].id}"' in picker.get_data(as_text=True)
    outsider = _client(app, make_user("teacher"))
    assert outsider.get(f"/curriculum/sections/{course.section_id}/plan/add").status_code == 404


def test_the_redirect_after_an_action_carries_only_a_known_view_and_a_real_date(app, planned):
    course, _lessons, _entries = planned
    client = _client(app, course.teacher)
    client.get(f"/curriculum/sections/{course.section_id}/plan")

    response = client.post(
        f"/curriculum/sections/{course.section_id}/plan/skips",
        {"day": MON.isoformat(), "view": "x" * 100_000, "week": "2026-08-03" + "y" * 100_000},
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/curriculum/sections/{course.section_id}/plan?week=2026-08-03")
