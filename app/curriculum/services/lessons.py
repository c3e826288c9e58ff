"""Lessons: a unit's lessons, each a plan in sections (objectives to notes), versioned on every save."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app import db
from app.curriculum import policy
from app.curriculum.data import EMPTY_DOC, SECTION_KEYS, VISIBILITIES
from app.curriculum.models import Lesson, Unit
from app.curriculum.services import alignment, versioning
from app.curriculum.services.access import (
    Access,
    access_to,
    editable_condition,
    load,
    locked_for_edit,
    published_condition,
)
from app.curriculum.services.content import documents, lesson_text, search_language
from app.errors import Invalid, NotFound
from app.events.services import record_event

VISIBILITY_KEYS = tuple(key for key, _label in VISIBILITIES)


def lesson_snapshot(lesson: Lesson) -> dict:
    return {
        "title": lesson.title,
        "duration_minutes": lesson.duration_minutes,
        "visibility": lesson.visibility,
        "unit_id": lesson.unit_id,
        "sections": lesson.sections,
        "standards": list(lesson.standard_ids or []),
    }


def _check(title: str, duration_minutes, visibility: str) -> dict[str, str]:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the lesson a title.")
    if duration_minutes is not None and not 1 <= duration_minutes <= 600:
        errors["duration_minutes"] = _("A lesson lasts between 1 and 600 minutes.")
    if visibility not in VISIBILITY_KEYS:
        errors["visibility"] = _("Choose who may see the lesson.")
    return errors


def get_lesson(actor, lesson_id: int) -> tuple[Lesson, Access]:
    """The one scoped getter for lessons (see access.load)."""
    return load(actor, Lesson, lesson_id)


def editable_unit(actor, unit_id: int) -> Unit:
    unit, access = load(actor, Unit, unit_id)
    if not access.can_edit:
        raise NotFound()
    return unit


def create_lesson(
    actor, unit_id: int, title: str, posted: dict, duration_minutes=None, visibility=None, template=None
) -> Lesson:
    """Editors of the unit. From a template, its sections come prefilled. Raises Invalid per field."""
    unit = editable_unit(actor, unit_id)
    visibility = visibility or unit.visibility
    errors = _check(title, duration_minutes, visibility)
    starting = ((template or {}).get("body") or {}).get("sections") or {}
    try:
        sections = documents(posted, starting, SECTION_KEYS, field_prefix="section_")
    except Invalid as error:
        errors |= error.fields
        sections = {}
    if errors:
        raise Invalid(errors)
    position = db.session.scalar(select(func.coalesce(func.max(Lesson.position), 0)).where(Lesson.unit_id == unit.id))
    lesson = Lesson(
        district_id=actor.district_id,
        unit_id=unit.id,
        course_id=unit.course_id,
        school_id=unit.school_id,
        owner_id=actor.id,
        title=title.strip()[:200],
        duration_minutes=duration_minutes,
        visibility=visibility,
        position=(position or 0) + 1,
        sections=sections,
        language=search_language(actor),
        template_id=(template or {}).get("id"),
    )
    lesson.plain_text = lesson_text(lesson.title, sections)
    db.session.add(lesson)
    db.session.flush()
    note = _("Created from the template %(title)s", title=template["title"]) if template else _("Created")
    versioning.record(actor, lesson, "lesson", lesson_snapshot(lesson), note=note)
    record_event(actor, "lesson.created", "lesson", lesson.id, unit_id=unit.id, template_id=lesson.template_id)
    db.session.commit()
    return lesson


def update_lesson(
    actor,
    lesson_id: int,
    title: str,
    posted: dict,
    duration_minutes=None,
    visibility="private",
    *,
    base_revision: int | None,
    base_version: int | None = None,
    note: str | None = None,
    autosave: bool = False,
    editing_session: str | None = None,
    standard_ids: list[int] | None = None,
) -> Lesson:
    """Editors of the lesson. A save made on an older revision raises versioning.Stale with what changed
    meanwhile (the caller keeps the user's text); Invalid per field; NotFound when the actor may not edit.
    `standard_ids` (None: unchanged) are the standards it is aligned to, part of its version."""
    lesson = locked_for_edit(actor, Lesson, lesson_id)
    versioning.check_fresh(actor, lesson, "lesson", base_revision, base_version, lesson_snapshot)
    errors = _check(title, duration_minutes, visibility)
    try:
        sections = documents(posted, lesson.sections, SECTION_KEYS, field_prefix="section_")
    except Invalid as error:
        errors |= error.fields
        sections = {}
    aligned = alignment.checked(actor, standard_ids, lesson.standard_ids, errors)
    if errors:
        raise Invalid(errors)
    lesson.standard_ids = aligned
    lesson.title, lesson.duration_minutes, lesson.visibility = title.strip()[:200], duration_minutes, visibility
    lesson.sections = sections
    lesson.plain_text = lesson_text(lesson.title, sections)
    return versioning.save(
        actor, lesson, "lesson", lesson_snapshot(lesson), note=note, autosave=autosave, editing_session=editing_session
    )


def publish_lesson(actor, lesson_id: int) -> Lesson:
    """Editors. Viewers who are not editors now see the lesson as it is (its newest version, sealed)."""
    return versioning.publish(actor, locked_for_edit(actor, Lesson, lesson_id), "lesson")


@dataclass(frozen=True)
class LessonView:
    lesson: Lesson
    access: Access
    content: dict  # the snapshot the viewer reads: live for editors, the published one for others
    version: int
    standards: list  # the standards of `content` (standards.Standard), retired ones marked
    unit: Unit | None
    copied_from: Lesson | None
    copies: list


def lesson_page(actor, lesson_id: int) -> LessonView:
    """Whoever may see the lesson: the lesson as they may read it, its unit and its lineage."""
    lesson, access = get_lesson(actor, lesson_id)
    if access.sees_drafts:
        content, version = lesson_snapshot(lesson), lesson.version
    else:
        content = versioning.versions.get_version("lesson", lesson.id, lesson.published_version).snapshot
        version = lesson.published_version
    unit = db.scoped_get(actor, Unit, lesson.unit_id)
    return LessonView(
        lesson,
        access,
        content,
        version,
        alignment.standards_of(actor, content),
        unit if unit is not None and access_to(actor, unit).can_view else None,
        _visible(actor, lesson.copied_from_id),
        visible_lessons(actor, Lesson.copied_from_id == lesson.id),
    )


def _visible(actor, lesson_id: int | None) -> Lesson | None:
    if lesson_id is None:
        return None
    row = db.scoped_get(actor, Lesson, lesson_id)
    return row if row is not None and access_to(actor, row).can_view else None


def visible_lessons(actor, *where) -> list[Lesson]:
    condition = editable_condition(actor, Lesson) | published_condition(actor, Lesson)
    return list(db.session.scalars(select(Lesson).where(condition, *where).order_by(Lesson.position, Lesson.id)))


def readable_title(actor):
    """SQL: a lesson's title as the actor reads it (the live one for its editors, else the published one)."""
    return case((editable_condition(actor, Lesson), Lesson.title), else_=Lesson.published_title)


def lesson_choices(actor, course_id: int) -> list[tuple[int, str]]:
    """(id, title) of the course's lessons the actor may see, in unit and lesson order: a picker's options,
    without loading the lessons' content."""
    condition = editable_condition(actor, Lesson) | published_condition(actor, Lesson)
    query = (
        select(Lesson.id, readable_title(actor))
        .join(Unit, Unit.id == Lesson.unit_id)
        .where(Lesson.course_id == course_id, condition)
        .order_by(Unit.position, Unit.id, Lesson.position, Lesson.id)
    )
    return [(lesson_id, title) for lesson_id, title in db.session.execute(query)]


def lessons_of_unit(actor, unit_id: int) -> list[Lesson]:
    return visible_lessons(actor, Lesson.unit_id == unit_id)


def empty_sections() -> dict:
    return {key: {**EMPTY_DOC, "blocks": []} for key in SECTION_KEYS}


def can_create_in(actor, unit: Unit) -> bool:
    return policy.can_plan(actor) and access_to(actor, unit).can_edit
