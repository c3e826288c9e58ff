"""Copies with lineage: a colleague's lesson into my unit, a colleague's unit into my course, a unit forward into
next year's course. A copy starts its own history; where it came from is kept on it (and shown both ways)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import db
from app.curriculum.models import Lesson, Unit
from app.curriculum.services import versioning
from app.curriculum.services.access import load
from app.curriculum.services.content import search_language
from app.curriculum.services.lessons import editable_unit, lesson_snapshot, visible_lessons
from app.curriculum.services.units import teachable_course, unit_snapshot
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.org import services as org
from app.versions import services as versions


def _readable(item_type: str, item, access) -> tuple[dict, int]:
    """What the actor may copy: the live content for editors, the published version for everyone else."""
    if access.can_edit:
        return (lesson_snapshot(item) if item_type == "lesson" else unit_snapshot(item)), item.version
    return versions.get_version(item_type, item.id, item.published_version).snapshot, item.published_version


def _copy_lesson_into(actor, source: Lesson, content: dict, version: int, unit: Unit, position: int) -> Lesson:
    lesson = Lesson(
        district_id=actor.district_id,
        unit_id=unit.id,
        course_id=unit.course_id,
        school_id=unit.school_id,
        owner_id=actor.id,
        title=content["title"],
        duration_minutes=content.get("duration_minutes"),
        visibility="private",
        position=position,
        sections=content.get("sections") or {},
        standard_ids=content.get("standards") or [],
        language=search_language(actor),
        copied_from_id=source.id,
        copied_from_version=version,
        plain_text=source.plain_text if version == source.version else (source.published_text or ""),
    )
    db.session.add(lesson)
    db.session.flush()
    note = _("Copied from %(title)s, version %(n)d", title=content["title"], n=version)
    versioning.record(actor, lesson, "lesson", lesson_snapshot(lesson), note=note)
    record_event(actor, "lesson.copied", "lesson", lesson.id, from_id=source.id, from_version=version)
    return lesson


def copy_lesson(actor, lesson_id: int, unit_id: int) -> Lesson:
    """Anyone who may see the lesson, into a unit they edit. The copy is theirs and private."""
    source, access = load(actor, Lesson, lesson_id)
    unit = editable_unit(actor, unit_id)
    content, version = _readable("lesson", source, access)
    position = 1 + max((lesson.position for lesson in visible_lessons(actor, Lesson.unit_id == unit.id)), default=0)
    copy = _copy_lesson_into(actor, source, content, version, unit, position)
    db.session.commit()
    return copy


def copy_unit(actor, unit_id: int, course_id: int) -> Unit:
    """Anyone who may see the unit, into a course they teach: the unit and the lessons they may see of it."""
    source, access = load(actor, Unit, unit_id)
    course = teachable_course(actor, course_id)
    copy = _copy_unit(actor, source, access, course)
    db.session.commit()
    return copy


def _copy_unit(actor, source: Unit, access, course) -> Unit:
    content, version = _readable("unit", source, access)
    unit = Unit(
        district_id=actor.district_id,
        course_id=course.id,
        school_id=course.school_id,
        owner_id=actor.id,
        title=content["title"],
        summary=content["summary"],
        big_ideas=content["big_ideas"],
        essential_questions=content["essential_questions"],
        duration_days=content.get("duration_days"),
        standard_ids=content.get("standards") or [],
        visibility="private",
        position=1 + (db.session.scalar(select(func.count()).where(Unit.course_id == course.id)) or 0),
        language=search_language(actor),
        copied_from_id=source.id,
        copied_from_version=version,
        plain_text=source.plain_text if access.can_edit else (source.published_text or ""),
    )
    db.session.add(unit)
    db.session.flush()
    versioning.record(
        actor,
        unit,
        "unit",
        unit_snapshot(unit),
        note=_("Copied from %(title)s, version %(n)d", title=source.title, n=version),
    )
    record_event(actor, "unit.copied", "unit", unit.id, from_id=source.id, from_version=version)
    for position, lesson in enumerate(visible_lessons(actor, Lesson.unit_id == source.id), start=1):
        lesson_access = load(actor, Lesson, lesson.id)[1]
        lesson_content, lesson_version = _readable("lesson", lesson, lesson_access)
        _copy_lesson_into(actor, lesson, lesson_content, lesson_version, unit, position)
    return unit


def copy_unit_forward(actor, unit_id: int) -> Unit:
    """Editors of the unit: a copy into the same course of the next school year (where the rollover carried it).
    Invalid when there is no such course yet."""
    source, access = load(actor, Unit, unit_id)
    if not access.can_edit:
        raise NotFound()
    successor = org.successor_course(actor, source.course_id)
    if successor is None:
        raise Invalid({"": _("This course has no next year yet. The year rollover creates it.")})
    copy = _copy_unit(actor, source, access, successor)
    db.session.commit()
    return copy
