"""Aligning units and lessons: the chosen standards are part of the item's content and of every version, shown on
its page (retired ones marked), refused when unknown, and read from the published version by viewers."""

from __future__ import annotations

import re

from sqlalchemy import select

from app import db
from app.curriculum import services as curriculum
from app.errors import Invalid
from app.standards.models import StandardItem
from app.versions import services as versions
from tests.browser import Browser
from tests.factories import PASSWORD
from tests.standards.conftest import run_import
from tests.standards.packages import grade6, ident, to_bytes, without


def _id_of(n: int) -> int:
    return db.session.scalar(select(StandardItem.id).where(StandardItem.identifier == ident(n)))


def _lesson(course):
    unit = curriculum.create_unit(course.actor, course.id, "Ratios", {})
    return unit, curriculum.create_lesson(course.actor, unit.id, "What is a ratio?", {})


def _save(course, lesson, ids, **kwargs):
    return curriculum.update_lesson(
        course.actor, lesson.id, lesson.title, {}, base_revision=lesson.revision, standard_ids=ids, **kwargs
    )


def test_a_lessons_standards_are_kept_in_each_version_and_restored_with_it(imported, planning, tenant, district):
    course = planning()
    _unit, lesson = _lesson(course)
    first, second = _id_of(4), _id_of(5)
    lesson = _save(course, lesson, [first, second])
    lesson = _save(course, lesson, [second])
    assert versions.get_version("lesson", lesson.id, 2).snapshot["standards"] == [first, second]
    assert versions.get_version("lesson", lesson.id, 3).snapshot["standards"] == [second]
    restored = curriculum.restore(course.actor, "lesson", lesson.id, 2, lesson.revision)
    assert restored.standard_ids == [first, second]
    assert versions.get_version("lesson", lesson.id, restored.version).snapshot["standards"] == [first, second]


def test_a_save_without_the_picker_keeps_the_alignment_and_an_empty_picker_clears_it(imported, planning):
    course = planning()
    _unit, lesson = _lesson(course)
    lesson = _save(course, lesson, [_id_of(4)])
    lesson = _save(course, lesson, None)
    assert lesson.standard_ids == [_id_of(4)]
    lesson = _save(course, lesson, [])
    assert lesson.standard_ids == []


def test_an_unknown_standard_is_refused_and_nothing_is_saved(imported, planning):
    course = planning()
    _unit, lesson = _lesson(course)
    try:
        _save(course, lesson, [_id_of(4), 987654321])
    except Invalid as error:
        assert "standards" in error.fields
    else:
        raise AssertionError("an unknown standard was accepted")
    assert curriculum.get_lesson(course.actor, lesson.id)[0].standard_ids == []


def test_another_districts_standard_cannot_be_aligned(imported, planning, make_district, tenant, district):
    from app.identity.data import SystemActor

    other = make_district()
    run_import(SystemActor(other.id), to_bytes(grade6(doc="c5fb0d1a-0000-4000-8000-0000000000aa")))
    foreign = db.session.scalar(select(StandardItem.id))
    tenant(district)
    course = planning()
    _unit, lesson = _lesson(course)
    try:
        _save(course, lesson, [foreign])
    except Invalid:
        pass
    else:
        raise AssertionError("another district's standard was accepted")


def test_a_unit_is_aligned_the_same_way_and_copies_keep_the_alignment(imported, planning):
    course = planning()
    unit, _lesson_row = _lesson(course)
    unit = curriculum.update_unit(
        course.actor, unit.id, unit.title, {}, base_revision=unit.revision, standard_ids=[_id_of(6)]
    )
    assert versions.get_version("unit", unit.id, unit.version).snapshot["standards"] == [_id_of(6)]
    copy = curriculum.copy_unit(course.actor, unit.id, course.id)
    assert copy.standard_ids == [_id_of(6)]


def test_viewers_read_the_published_versions_standards_not_the_draft(imported, planning, make_user, actor_of):
    course = planning()
    _unit, lesson = _lesson(course)
    lesson = _save(course, lesson, [_id_of(4)], visibility="school")
    curriculum.publish_lesson(course.actor, lesson.id)
    lesson = _save(course, curriculum.get_lesson(course.actor, lesson.id)[0], [_id_of(5)], visibility="school")
    colleague = actor_of(make_user("teacher"))
    assert [s.id for s in curriculum.lesson_page(colleague, lesson.id).standards] == [_id_of(4)]
    assert [s.id for s in curriculum.lesson_page(course.actor, lesson.id).standards] == [_id_of(5)]


def test_the_edit_page_posts_the_picker_and_the_lesson_page_names_the_standards(app, imported, planning):
    course = planning()
    _unit, lesson = _lesson(course)
    first, second = _id_of(4), _id_of(5)
    client = Browser(app)
    client.login(course.teacher.email, PASSWORD)
    page = client.get(f"/curriculum/lessons/{lesson.id}/edit").get_data(as_text=True)
    assert 'name="standards_shown"' in page and "Find a standard" in page
    revision = re.search(r'name="base_revision"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="base_revision"', page
    )
    data = {
        "title": lesson.title,
        "visibility": "private",
        "base_revision": revision.group(1),
        "standards_shown": "1",
        "standards": [str(second), str(first)],
    }
    response = client.post(f"/curriculum/lessons/{lesson.id}/edit", data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    shown = client.get(f"/curriculum/lessons/{lesson.id}").get_data(as_text=True)
    assert shown.index("6.RP.A.2") < shown.index("6.RP.A.1")  # in the order chosen
    edit = client.get(f"/curriculum/lessons/{lesson.id}/edit").get_data(as_text=True)
    assert f'name="standards" value="{second}"' in edit


def test_a_bad_standard_on_the_edit_page_answers_422_and_keeps_the_title(app, imported, planning):
    course = planning()
    _unit, lesson = _lesson(course)
    client = Browser(app)
    client.login(course.teacher.email, PASSWORD)
    client.get(f"/curriculum/lessons/{lesson.id}/edit")
    data = {"title": "My new title", "visibility": "private", "standards_shown": "1", "standards": "banana"}
    response = client.post(f"/curriculum/lessons/{lesson.id}/edit", data)
    assert response.status_code == 422 and "My new title" in response.get_data(as_text=True)


def test_a_retired_standard_stays_aligned_marked_with_its_replacement_offered(
    app, imported, planning, tenant, district
):
    actor, _record = imported
    course = planning()
    _unit, lesson = _lesson(course)
    _save(course, lesson, [_id_of(6)])
    run_import(actor, to_bytes(without(without(grade6(), 7), 6, replaced_by=4)))
    tenant(district)
    replacement = _id_of(4)
    client = Browser(app)
    client.login(course.teacher.email, PASSWORD)
    shown = client.get(f"/curriculum/lessons/{lesson.id}").get_data(as_text=True)
    assert "6.RP.A.3" in shown and "Retired" in shown
    edit = client.get(f"/curriculum/lessons/{lesson.id}/edit").get_data(as_text=True)
    assert "Replaced by 6.RP.A.1." in edit and f"/standards/items/{replacement}?pick=standards" in edit
