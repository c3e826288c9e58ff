"""Who sees and edits plans; copies keep their lineage; templates start units and lessons."""

from __future__ import annotations

import pytest

from app.curriculum import services
from app.errors import Invalid, NotFound


def _lesson(course, visibility="private", instruction="<p>Photosynthesis in leaves.</p>"):
    unit = services.create_unit(course.actor, course.id, "Plants", {}, None, visibility)
    return unit, services.create_lesson(
        course.actor, unit.id, "How leaves make food", {"instruction": instruction}, None, visibility
    )


def _edit(course, lesson, instruction):
    return services.update_lesson(
        course.actor,
        lesson.id,
        lesson.title,
        {"instruction": instruction},
        None,
        lesson.visibility,
        base_revision=lesson.revision,
    )


def test_a_colleagues_private_lesson_is_not_found(planning):
    mine, theirs = planning(), planning()
    _unit, lesson = _lesson(theirs)

    with pytest.raises(NotFound):
        services.lesson_page(mine.actor, lesson.id)


def test_a_co_teacher_edits_the_plans_of_their_shared_course(planning, make_user, actor_of, add_co_teacher):
    course = planning()
    _unit, lesson = _lesson(course)
    co = make_user("teacher")
    add_co_teacher(course.section_id, co)

    edited = services.update_lesson(
        actor_of(co),
        lesson.id,
        lesson.title,
        {"instruction": "<p>Our shared plan.</p>"},
        None,
        "private",
        base_revision=lesson.revision,
    )

    assert edited.version == 2


def test_viewers_see_the_published_version_only_never_the_draft(planning):
    author, colleague = planning(), planning()
    _unit, lesson = _lesson(author, "school", "<p>Published words.</p>")
    with pytest.raises(NotFound):
        services.lesson_page(colleague.actor, lesson.id)  # never published yet
    services.publish_lesson(author.actor, lesson.id)
    lesson = services.get_lesson(author.actor, lesson.id)[0]
    _edit(author, lesson, "<p>Draft words not for others.</p>")

    view = services.lesson_page(colleague.actor, lesson.id)

    assert not view.access.can_edit and view.version == 1
    assert "Published words" in str(view.content["sections"]) and "Draft words" not in str(view.content["sections"])


def test_school_visibility_stops_at_the_school(planning, make_school, make_user, actor_of):
    author = planning()
    elsewhere = make_school()
    outsider = actor_of(make_user("teacher", school_id=elsewhere.id))
    _unit, lesson = _lesson(author, "school")
    services.publish_lesson(author.actor, lesson.id)

    with pytest.raises(NotFound):
        services.lesson_page(outsider, lesson.id)


def test_students_and_guardians_see_no_plans(planning, make_user, actor_of):
    author = planning()
    _unit, lesson = _lesson(author, "district")
    services.publish_lesson(author.actor, lesson.id)

    for role in ("student", "guardian"):
        with pytest.raises(NotFound):
            services.lesson_page(actor_of(make_user(role)), lesson.id)


def test_a_copy_keeps_its_lineage_both_ways_and_copies_what_the_copier_may_read(planning):
    author, copier = planning(), planning()
    _unit, lesson = _lesson(author, "district", "<p>The published plan.</p>")
    services.publish_lesson(author.actor, lesson.id)
    _edit(author, services.get_lesson(author.actor, lesson.id)[0], "<p>An unpublished draft.</p>")
    target = services.create_unit(copier.actor, copier.id, "My plants unit", {})

    copy = services.copy_lesson(copier.actor, lesson.id, target.id)

    view = services.lesson_page(copier.actor, copy.id)
    assert (copy.copied_from_id, copy.copied_from_version, copy.owner_id) == (lesson.id, 1, copier.teacher.id)
    assert "published plan" in str(view.content["sections"]) and "draft" not in str(view.content["sections"])
    assert view.copied_from.id == lesson.id
    assert [c.id for c in services.lesson_page(author.actor, lesson.id).copies] == []  # the copy is private
    services.update_lesson(copier.actor, copy.id, copy.title, {}, None, "district", base_revision=copy.revision)
    services.publish_lesson(copier.actor, copy.id)
    assert [c.id for c in services.lesson_page(author.actor, lesson.id).copies] == [copy.id]


def test_copying_a_unit_forward_needs_next_years_course(planning):
    course = planning()
    unit, _ = _lesson(course)

    with pytest.raises(Invalid, match="next year"):
        services.copy_unit_forward(course.actor, unit.id)


def test_a_lesson_from_a_template_starts_with_its_sections(planning, make_actor, district):
    admin = make_actor("district_admin")
    template = services.create_template(
        admin, "lesson", None, "5E lesson", "Engage to evaluate", {"warm_up": "<p>Engage: a question.</p>"}, 45
    )
    course = planning()
    unit = services.create_unit(course.actor, course.id, "Light", {})
    start = services.starting_point(course.actor, template.id, "lesson")

    lesson = services.create_lesson(course.actor, unit.id, "Shadows", {}, None, None, template=start)

    assert lesson.template_id == template.id
    assert "Engage" in str(lesson.sections["warm_up"])
    assert services.item_history(course.actor, "lesson", lesson.id)["entries"][0].note == (
        "Created from the template 5E lesson"
    )


@pytest.mark.parametrize(
    ("role", "district_wide", "allowed"),
    [
        ("district_admin", True, True),
        ("school_admin", True, False),
        ("school_admin", False, True),
        ("teacher", False, False),
    ],
)
def test_who_manages_which_templates(make_actor, district, role, district_wide, allowed):
    actor = make_actor(role)
    school = None if district_wide else district.school_id

    if allowed:
        assert services.create_template(actor, "lesson", school, "T", "", {}).id
    else:
        with pytest.raises(NotFound):
            services.create_template(actor, "lesson", school, "T", "", {})
