"""The compare, restore and copy-comparison pages of units, lessons and templates: defaults, both views by HTMX,
who may compare which versions, bad input, and restore with its impact."""

from __future__ import annotations

import re

import pytest

from app.curriculum import services
from app.errors import NotFound
from tests.browser import Browser
from tests.factories import PASSWORD


def _client(app, user) -> Browser:
    client = Browser(app)
    client.login(user.email, PASSWORD)
    return client


def _lesson(course, visibility="private"):
    unit = services.create_unit(course.actor, course.id, "Forces", {}, None, visibility)
    lesson = services.create_lesson(
        course.actor, unit.id, "Balanced forces", {"instruction": "<p>Tug of war in pairs.</p>"}, None, visibility
    )
    return unit, lesson


def _save(course, lesson, instruction, title=None, note=None):
    return services.update_lesson(
        course.actor,
        lesson.id,
        title or lesson.title,
        {"instruction": instruction},
        None,
        lesson.visibility,
        base_revision=lesson.revision,
        base_version=lesson.version,
        note=note,
    )


def test_the_default_compares_the_latest_version_with_the_one_before(app, planning):
    course = planning()
    _unit, lesson = _lesson(course)
    _save(course, lesson, "<p>Tug of war in fours.</p>", note="Bigger groups")
    client = _client(app, course.teacher)

    response = client.get(f"/curriculum/lessons/{lesson.id}/compare")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Version 1" in html and "Version 2" in html and "Bigger groups" in html
    assert '<del><span class="visually-hidden">Deleted: </span>pairs</del>' in html
    assert '<ins><span class="visually-hidden">Added: </span>fours</ins>' in html
    assert "1 change" in html and "unchanged fields" in html


def test_the_view_switch_answers_htmx_with_the_diff_only_and_keeps_the_choice_in_the_url(app, planning):
    course = planning()
    _unit, lesson = _lesson(course)
    _save(course, lesson, "<p>Tug of war in fours.</p>")
    client = _client(app, course.teacher)

    fragment = client.get(f"/curriculum/lessons/{lesson.id}/compare?left=1&right=2&view=side", htmx=True)
    page = client.get(f"/curriculum/lessons/{lesson.id}/compare?left=1&right=2&view=side")

    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="diff"') and "<html" not in body
    assert "diff-columns" in body and "diff--side" in body
    full = page.get_data(as_text=True)
    assert "<html" in full and "diff-columns" in full
    assert re.search(r'href="[^"]*view=inline[^"]*"', full) and 'hx-push-url="true"' in full


def test_the_same_version_twice_says_no_differences(app, planning):
    course = planning()
    _unit, lesson = _lesson(course)
    client = _client(app, course.teacher)

    html = client.get(f"/curriculum/lessons/{lesson.id}/compare?left=1&right=1").get_data(as_text=True)

    assert "No differences" in html


@pytest.mark.parametrize("query", ["left=99&right=1", "left=1&right=-5", "left=1&right=99999999999"])
def test_a_version_that_does_not_exist_is_a_clear_404_never_a_500(app, planning, query):
    course = planning()
    _unit, lesson = _lesson(course)
    _save(course, lesson, "<p>Two.</p>")
    client = _client(app, course.teacher)

    response = client.get(f"/curriculum/lessons/{lesson.id}/compare?{query}")

    assert response.status_code in (200, 404)
    html = response.get_data(as_text=True)
    if response.status_code == 404:
        assert "that you can compare" in html
    else:  # a number out of range reads as absent: the default pair
        assert "Version 2" in html


def test_words_instead_of_numbers_fall_back_to_the_default_pair(app, planning):
    course = planning()
    _unit, lesson = _lesson(course)
    _save(course, lesson, "<p>Two.</p>")
    client = _client(app, course.teacher)

    response = client.get(f"/curriculum/lessons/{lesson.id}/compare?left=abc&right=%3Cscript%3E&view=%22%3E")

    assert response.status_code == 200 and "Version 2" in response.get_data(as_text=True)


def test_another_districts_or_a_colleagues_private_lesson_answers_404(app, planning, make_district, make_user):
    author, colleague = planning(), planning()
    _unit, lesson = _lesson(author)
    outsider = make_user("teacher", district=make_district())

    for user in (colleague.teacher, outsider):
        client = _client(app, user)
        for url in (
            f"/curriculum/lessons/{lesson.id}/compare",
            f"/curriculum/lessons/{lesson.id}/versions/1/restore",
            f"/curriculum/lessons/{lesson.id}/compare-origin",
        ):
            assert client.get(url).status_code == 404, (user.email, url)


def test_viewers_who_are_not_editors_compare_published_versions_only(app, planning, tenant, district):
    author, colleague = planning(), planning()
    _unit, lesson = _lesson(author, "school")
    services.publish_lesson(author.actor, lesson.id)  # version 1 published
    tenant(district)
    lesson = _save(author, services.get_lesson(author.actor, lesson.id)[0], "<p>A draft nobody else sees.</p>")
    lesson = _save(author, lesson, "<p>Tug of war in threes.</p>")  # version 3
    services.publish_lesson(author.actor, lesson.id)

    comparison = services.compare_versions(colleague.actor, "lesson", lesson.id)
    assert [side.number for side in comparison.choices] == [3, 1]
    assert (comparison.left.number, comparison.right.number) == (1, 3)
    assert services.compare_versions(colleague.actor, "lesson", lesson.id, 2, 3).problem
    client = _client(app, colleague.teacher)
    draft = client.get(f"/curriculum/lessons/{lesson.id}/compare?left=2&right=3")
    assert draft.status_code == 404 and "nobody else" not in draft.get_data(as_text=True)
    assert client.get(f"/curriculum/lessons/{lesson.id}/versions/1/restore").status_code == 404


def test_a_template_manager_compares_and_restores_template_versions(app, make_user, actor_of, tenant, district):
    admin = make_user("district_admin")
    actor = actor_of(admin)
    template = services.create_template(actor, "lesson", None, "Lab lesson", "", {"section_objectives": ""})
    template = services.update_template(
        actor, template.id, "Lab lesson", "", {"instruction": "<p>Goggles on.</p>"}, base_revision=template.revision
    )
    client = _client(app, admin)

    compare = client.get(f"/curriculum/templates/{template.id}/compare").get_data(as_text=True)
    restored = client.post(
        f"/curriculum/templates/{template.id}/versions/1/restore",
        {"base_revision": template.revision, "note": "Back to the plain one"},
    )

    assert "Goggles" in compare and "<ins>" in compare
    assert restored.status_code == 303
    tenant(district)
    assert services.get_template(actor, template.id).version == 3
    teacher = make_user("teacher")
    assert _client(app, teacher).get(f"/curriculum/templates/{template.id}/compare").status_code == 404


def test_the_restore_page_shows_the_diff_against_the_current_version_and_the_sections_that_teach_it(
    app, planning, tenant, district
):
    course = planning()
    _unit, lesson = _lesson(course)
    services.schedule_lesson(course.actor, course.section_id, lesson.id)
    tenant(district)
    lesson = _save(course, services.get_lesson(course.actor, lesson.id)[0], "<p>Tug of war in fours.</p>")
    client = _client(app, course.teacher)

    page = client.get(f"/curriculum/lessons/{lesson.id}/versions/1/restore")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Current (version 2)" in html
    assert '<del><span class="visually-hidden">Deleted: </span>fours</del>' in html
    assert "1 section teaches this lesson" in html and "Science 5" in html
    response = client.post(
        f"/curriculum/lessons/{lesson.id}/versions/1/restore",
        {"base_revision": lesson.revision, "note": "Pairs worked better"},
    )
    assert response.status_code == 303
    tenant(district)
    entries = services.item_history(course.actor, "lesson", lesson.id)["entries"]
    assert entries[0].number == 3 and entries[0].note == "Restored version 1: Pairs worked better"


def test_a_restore_from_a_stale_page_is_refused_with_the_fresh_diff(app, planning, tenant, district):
    course = planning()
    _unit, lesson = _lesson(course)
    lesson = _save(course, lesson, "<p>Second.</p>")
    client = _client(app, course.teacher)
    client.get(f"/curriculum/lessons/{lesson.id}/versions/1/restore")
    tenant(district)
    _save(course, lesson, "<p>Third, saved meanwhile.</p>")

    response = client.post(f"/curriculum/lessons/{lesson.id}/versions/1/restore", {"base_revision": lesson.revision})

    assert response.status_code == 409
    assert "Current (version 3)" in response.get_data(as_text=True)


def test_a_copy_compares_with_its_origin_as_copied_and_as_it_is_now(app, planning, tenant, district):
    author, copier = planning(), planning()
    _unit, lesson = _lesson(author, "school")
    services.publish_lesson(author.actor, lesson.id)
    tenant(district)
    target = services.create_unit(copier.actor, copier.id, "My forces", {})
    copy = services.copy_lesson(copier.actor, lesson.id, target.id)
    tenant(district)
    _save(copier, copy, "<p>Tug of war in pairs, outside.</p>")
    client = _client(app, copier.teacher)

    html = client.get(f"/curriculum/lessons/{copy.id}/compare-origin").get_data(as_text=True)
    latest = client.get(f"/curriculum/lessons/{copy.id}/compare-origin?against=latest&view=side")

    assert "Original, version 1" in html and "This copy, version 2" in html
    assert '<ins><span class="visually-hidden">Added: </span>, outside</ins>' in html
    assert latest.status_code == 200 and "diff-columns" in latest.get_data(as_text=True)
    with pytest.raises(NotFound):
        services.compare_with_origin(author.actor, "lesson", lesson.id)  # the original is no copy
