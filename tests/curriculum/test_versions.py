"""Every save is a version; a stale save is refused with what changed; autosaves coalesce; restore adds a version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import db
from app.curriculum import services
from app.errors import Invalid, NotFound
from app.versions.models import ContentVersion


def _unit(course, title="Forces"):
    return services.create_unit(course.actor, course.id, title, {"summary": "<p>Pushes and pulls.</p>"})


def _lesson(course, unit, title="Balanced forces", instruction="<p>Tug of war.</p>"):
    return services.create_lesson(
        course.actor, unit.id, title, {"instruction": instruction, "objectives": "<p>Name forces.</p>"}
    )


def _save(course, lesson, instruction, *, base=None, autosave=False, session=None, title=None):
    return services.update_lesson(
        course.actor,
        lesson.id,
        title or lesson.title,
        {"instruction": instruction},
        None,
        "private",
        base_revision=lesson.revision if base is None else base,
        base_version=lesson.version,
        autosave=autosave,
        editing_session=session,
    )


def test_each_save_writes_a_new_numbered_version(planning):
    course = planning()
    lesson = _lesson(course, _unit(course))
    lesson = _save(course, lesson, "<p>Tug of war, in pairs.</p>")
    lesson = _save(course, lesson, "<p>Tug of war, in fours.</p>")

    entries = services.item_history(course.actor, "lesson", lesson.id)["entries"]

    assert [e.number for e in entries] == [3, 2, 1]
    assert lesson.version == 3
    assert (
        "in fours"
        in services.item_version(course.actor, "lesson", lesson.id, 3)["version"].snapshot["sections"]["instruction"][
            "blocks"
        ][0]["html"]
    )


def test_a_save_made_on_an_old_revision_is_refused_with_what_changed(planning):
    course = planning()
    lesson = _lesson(course, _unit(course))
    opened = (lesson.revision, lesson.version)
    _save(course, lesson, "<p>My colleague's newer plan.</p>")

    with pytest.raises(services.Stale) as excinfo:
        services.update_lesson(
            course.actor,
            lesson.id,
            "Balanced forces",
            {"instruction": "<p>My own edit from the old page.</p>"},
            None,
            "private",
            base_revision=opened[0],
            base_version=opened[1],
        )

    assert excinfo.value.changes == ["sections.instruction"]
    assert "newer plan" in excinfo.value.snapshot["sections"]["instruction"]["blocks"][0]["html"]
    assert len(services.item_history(course.actor, "lesson", lesson.id)["entries"]) == 2


def test_autosaves_of_one_editing_session_coalesce_and_the_save_seals_them(planning):
    course = planning()
    lesson = _lesson(course, _unit(course))
    for n in range(4):
        lesson = _save(course, lesson, f"<p>Draft {n}</p>", autosave=True, session="s1")
    lesson = _save(course, lesson, "<p>Final</p>", session="s1")

    entries = services.item_history(course.actor, "lesson", lesson.id)["entries"]

    assert [(e.number, e.autosave_count, e.is_autosave) for e in entries] == [(2, 4, False), (1, 0, False)]
    assert lesson.version == 2


def test_autosaves_start_a_new_version_after_the_window_or_in_another_session(planning, tenant, district):
    course = planning()
    lesson = _lesson(course, _unit(course))
    lesson = _save(course, lesson, "<p>a</p>", autosave=True, session="s1")
    lesson = _save(course, lesson, "<p>b</p>", autosave=True, session="s2")
    tenant(district)
    db.session.execute(
        update(ContentVersion)
        .where(ContentVersion.item_id == lesson.id, ContentVersion.number == 3)
        .values(created_at=ContentVersion.created_at - timedelta(minutes=6))
    )
    db.session.commit()
    lesson = _save(course, lesson, "<p>c</p>", autosave=True, session="s2")

    numbers = [e.number for e in services.item_history(course.actor, "lesson", lesson.id)["entries"]]

    assert numbers == [4, 3, 2, 1]


def test_restore_writes_a_new_version_with_the_old_content(planning):
    course = planning()
    lesson = _lesson(course, _unit(course), instruction="<p>The first idea.</p>")
    lesson = _save(course, lesson, "<p>The second idea.</p>")

    restored = services.restore(course.actor, "lesson", lesson.id, 1, lesson.revision)

    assert restored.version == 3
    text = restored.sections["instruction"]["blocks"][0]["html"]
    assert "first idea" in text
    assert services.item_history(course.actor, "lesson", lesson.id)["entries"][0].note == "Restored version 1"


def test_an_empty_title_and_a_huge_paste_are_refused_per_field_and_nothing_is_written(planning):
    course = planning()
    lesson = _lesson(course, _unit(course))

    with pytest.raises(Invalid) as excinfo:
        services.update_lesson(
            course.actor,
            lesson.id,
            "  ",
            {"instruction": "<p>" + "x" * 2_100_000 + "</p>"},
            None,
            "private",
            base_revision=lesson.revision,
        )

    assert {"title", "section_instruction"} <= set(excinfo.value.fields)
    assert services.get_lesson(course.actor, lesson.id)[0].version == 1


def test_scripts_and_event_handlers_never_reach_a_stored_lesson(planning):
    course = planning()
    lesson = _lesson(
        course,
        _unit(course),
        instruction='<p onclick="alert(1)">Hi<script>alert(2)</script><a href="javascript:alert(3)">x</a></p>',
    )

    html = str(services.lesson_page(course.actor, lesson.id).content["sections"])

    assert "script" not in html and "onclick" not in html and "javascript:" not in html


def test_a_unit_of_a_course_the_teacher_does_not_teach_is_not_found(planning):
    mine, theirs = planning(), planning(name="Art 5")

    with pytest.raises(NotFound):
        services.create_unit(mine.actor, theirs.id, "Not mine", {})


def test_version_rows_are_the_history(planning, tenant, district):
    course = planning()
    unit = _unit(course)
    tenant(district)

    rows = db.session.scalars(
        select(ContentVersion).where(ContentVersion.item_type == "unit", ContentVersion.item_id == unit.id)
    ).all()

    assert [(r.number, r.note) for r in rows] == [(1, "Created")]
