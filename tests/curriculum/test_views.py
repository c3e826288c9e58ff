"""The planning pages: a teacher's courses, units and lessons, the 422/409 answers, autosave, history, search."""

from __future__ import annotations

import re

from app.curriculum import services
from tests.browser import Browser
from tests.factories import PASSWORD


def _client(app, user) -> Browser:
    client = Browser(app)
    client.login(user.email, PASSWORD)
    return client


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else ""


def _lesson(course):
    unit = services.create_unit(course.actor, course.id, "Ecosystems", {})
    return unit, services.create_lesson(course.actor, unit.id, "Food webs", {"instruction": "<p>Draw a web.</p>"})


def test_a_teacher_sees_their_courses_and_a_courses_units(app, planning):
    course = planning()
    unit, _ = _lesson(course)
    client = _client(app, course.teacher)

    home = client.get("/curriculum/").get_data(as_text=True)
    page = client.get(f"/curriculum/courses/{course.id}").get_data(as_text=True)

    assert f'href="/curriculum/courses/{course.id}"' in home
    assert "Ecosystems" in page and f'href="/curriculum/units/{unit.id}"' in page


def test_a_new_lesson_without_a_title_answers_422_and_keeps_what_was_typed(app, planning):
    course = planning()
    unit, _ = _lesson(course)
    client = _client(app, course.teacher)
    client.get(f"/curriculum/units/{unit.id}/lessons/new")

    response = client.post(
        f"/curriculum/units/{unit.id}/lessons/new", {"title": "", "section_instruction": "<p>Keep my words</p>"}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the lesson a title." in html and "Keep my words" in html


def test_a_stale_save_answers_409_naming_the_change_and_keeping_the_users_text(app, planning, tenant, district):
    course = planning()
    _unit, lesson = _lesson(course)
    client = _client(app, course.teacher)
    page = client.get(f"/curriculum/lessons/{lesson.id}/edit").get_data(as_text=True)
    base_revision, base_version = _field(page, "base_revision"), _field(page, "base_version")
    tenant(district)
    services.update_lesson(
        course.actor,
        lesson.id,
        "Food webs",
        {"instruction": "<p>Colleague's version.</p>"},
        None,
        "private",
        base_revision=lesson.revision,
    )

    response = client.post(
        f"/curriculum/lessons/{lesson.id}/edit",
        {
            "title": "Food webs",
            "visibility": "private",
            "section_instruction": "<p>My own text</p>",
            "base_revision": base_revision,
            "base_version": base_version,
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone saved a newer version while you were editing" in html
    assert "Instruction" in html and "My own text" in html and "Colleague" in html
    assert f"{course.teacher.display_name} saved it at" in html
    # Autosaving now would replace the newer version without the user choosing to: it waits for Save.
    assert "/autosave" not in html and "Draft saving is paused" in html


def test_an_autosave_answers_the_status_and_the_new_revision(app, planning):
    course = planning()
    _unit, lesson = _lesson(course)
    client = _client(app, course.teacher)
    page = client.get(f"/curriculum/lessons/{lesson.id}/edit").get_data(as_text=True)

    response = client.post(
        f"/curriculum/lessons/{lesson.id}/autosave",
        {
            "title": "Food webs",
            "visibility": "private",
            "section_instruction": "<p>Typing…</p>",
            "base_revision": _field(page, "base_revision"),
            "base_version": _field(page, "base_version"),
            "editing_session": _field(page, "editing_session"),
        },
        htmx=True,
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="autosave-status"' in html and "Draft saved" in html
    assert 'hx-swap-oob="true"' in html and f'value="{lesson.revision + 1}"' in html


def test_a_colleagues_private_lesson_answers_404_by_url(app, planning):
    author, other = planning(), planning()
    _unit, lesson = _lesson(author)
    client = _client(app, other.teacher)

    for url in (
        f"/curriculum/lessons/{lesson.id}",
        f"/curriculum/lessons/{lesson.id}/edit",
        f"/curriculum/lessons/{lesson.id}/history",
        f"/curriculum/lessons/{lesson.id}/versions/1",
    ):
        assert client.get(url).status_code == 404


def test_history_lists_versions_and_a_restore_adds_one(app, planning, tenant, district):
    course = planning()
    _unit, lesson = _lesson(course)
    lesson = services.update_lesson(
        course.actor,
        lesson.id,
        "Food webs",
        {"instruction": "<p>Second.</p>"},
        None,
        "private",
        base_revision=lesson.revision,
    )
    client = _client(app, course.teacher)

    history = client.get(f"/curriculum/lessons/{lesson.id}/history").get_data(as_text=True)
    client.get(f"/curriculum/lessons/{lesson.id}/versions/1")
    restored = client.post(f"/curriculum/lessons/{lesson.id}/versions/1/restore", {"base_revision": lesson.revision})

    assert "Version 2" in history and "Version 1" in history
    assert restored.status_code == 303
    tenant(district)
    assert services.get_lesson(course.actor, lesson.id)[0].version == 3


def test_search_answers_htmx_with_the_results_block_and_a_page_without(app, planning):
    course = planning()
    _lesson(course)
    client = _client(app, course.teacher)

    page = client.get("/curriculum/search?q=web")
    fragment = client.get("/curriculum/search?q=web", htmx=True)

    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    assert fragment.get_data(as_text=True).lstrip().startswith('<section id="results"')
    assert "Food webs" in fragment.get_data(as_text=True)
