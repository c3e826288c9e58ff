"""The stale-save refusal shows the diff from what the user started from to what is saved now, their own text
beside it, and lets them take either side per field."""

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


def _setup(app, planning, tenant, district):
    course = planning()
    unit = services.create_unit(course.actor, course.id, "Ecosystems", {})
    lesson = services.create_lesson(
        course.actor,
        unit.id,
        "Food webs",
        {"instruction": "<p>Draw a food web of the pond.</p>", "homework": "<p>Read page 12.</p>"},
    )
    client = _client(app, course.teacher)
    page = client.get(f"/curriculum/lessons/{lesson.id}/edit").get_data(as_text=True)
    opened = {"base_revision": _field(page, "base_revision"), "base_version": _field(page, "base_version")}
    tenant(district)
    services.update_lesson(
        course.actor,
        lesson.id,
        "Food webs and chains",
        {"instruction": "<p>Draw a food web of the forest.</p>", "homework": "<p>Read page 12.</p>"},
        None,
        "private",
        base_revision=lesson.revision,
        base_version=lesson.version,
    )
    return course, lesson, client, opened


def _mine(opened, **extra):
    return {
        "title": "Food webs",
        "visibility": "private",
        "section_instruction": "<p>Draw a food web of the pond, in pairs.</p>",
        "section_homework": "<p>Read page 14.</p>",
        **opened,
        **extra,
    }


def test_the_refusal_shows_what_changed_meanwhile_as_a_diff_beside_the_users_text(app, planning, tenant, district):
    _course, lesson, client, opened = _setup(app, planning, tenant, district)

    response = client.post(f"/curriculum/lessons/{lesson.id}/edit", _mine(opened))

    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "What changed meanwhile, and your text" in html
    assert '<del><span class="visually-hidden">Deleted: </span>pond</del>' in html
    assert '<ins><span class="visually-hidden">Added: </span>forest</ins>' in html
    assert "in pairs" in html  # the user's own text, beside it and in the editor
    assert 'name="take_instruction"' in html and 'name="take_title"' in html
    assert 'form="lesson-form"' in html
    assert 'name="take_homework"' not in html  # nobody else changed the homework


def test_taking_the_saved_side_for_one_field_keeps_the_users_text_in_the_others(app, planning, tenant, district):
    course, lesson, client, opened = _setup(app, planning, tenant, district)
    refused = client.post(f"/curriculum/lessons/{lesson.id}/edit", _mine(opened)).get_data(as_text=True)
    fresh = {"base_revision": _field(refused, "base_revision"), "base_version": _field(refused, "base_version")}

    response = client.post(
        f"/curriculum/lessons/{lesson.id}/edit",
        _mine(fresh, take_instruction="saved", take_title="mine"),
    )

    assert response.status_code == 303
    tenant(district)
    saved, _access = services.get_lesson(course.actor, lesson.id)
    assert saved.title == "Food webs"
    assert "forest" in saved.sections["instruction"]["blocks"][0]["html"]
    assert "page 14" in saved.sections["homework"]["blocks"][0]["html"]


def test_a_unit_conflict_offers_the_same_choice(app, planning, tenant, district):
    course = planning()
    unit = services.create_unit(course.actor, course.id, "Forces", {"summary": "<p>Pushes and pulls.</p>"})
    client = _client(app, course.teacher)
    page = client.get(f"/curriculum/units/{unit.id}/edit").get_data(as_text=True)
    opened = {"base_revision": _field(page, "base_revision"), "base_version": _field(page, "base_version")}
    tenant(district)
    services.update_unit(
        course.actor,
        unit.id,
        "Forces",
        {"summary": "<p>Pushes, pulls and friction.</p>"},
        base_revision=unit.revision,
        base_version=unit.version,
    )
    posted = {"title": "Forces", "visibility": "private", "summary": "<p>Pushes and pulls in sport.</p>", **opened}

    refused = client.post(f"/curriculum/units/{unit.id}/edit", posted)
    html = refused.get_data(as_text=True)
    fresh = {"base_revision": _field(html, "base_revision"), "base_version": _field(html, "base_version")}
    taken = client.post(f"/curriculum/units/{unit.id}/edit", posted | fresh | {"take_summary": "saved"})

    assert refused.status_code == 409 and 'name="take_summary"' in html and "friction" in html
    assert taken.status_code == 303
    tenant(district)
    assert "friction" in services.get_unit(course.actor, unit.id)[0].summary["blocks"][0]["html"]


def test_take_saved_ignores_unknown_choices_and_keeps_mine_by_default():
    current = {"title": "Saved title", "sections": {"notes": {"version": 1, "blocks": []}}}

    title, posted = services.take_saved(
        "lesson", current, "My title", {"notes": "<p>mine</p>"}, {"take_bogus": "saved", "take_notes": "mine"}
    )

    assert title == "My title" and posted == {"notes": "<p>mine</p>"}
