"""Units: a course's sequence of planned work, with summary, big ideas and essential questions."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import db
from app.curriculum import policy
from app.curriculum.data import EMPTY_DOC, VISIBILITIES
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
from app.curriculum.services.content import UNIT_KEYS, documents, search_language, unit_text
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.org import services as org
from app.rosters import services as rosters

VISIBILITY_KEYS = tuple(key for key, _label in VISIBILITIES)


def unit_snapshot(unit: Unit) -> dict:
    return {
        "title": unit.title,
        "summary": unit.summary,
        "big_ideas": unit.big_ideas,
        "essential_questions": unit.essential_questions,
        "duration_days": unit.duration_days,
        "visibility": unit.visibility,
        "standards": list(unit.standard_ids or []),
    }


def _check(title: str, duration_days, visibility: str) -> dict[str, str]:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the unit a title.")
    if duration_days is not None and not 1 <= duration_days <= 365:
        errors["duration_days"] = _("A unit lasts between 1 and 365 days.")
    if visibility not in VISIBILITY_KEYS:
        errors["visibility"] = _("Choose who may see the unit.")
    return errors


def teachable_course(actor, course_id: int):
    """A course the actor teaches (a section of it); NotFound otherwise."""
    course = org.course_of(actor, course_id)
    if course is None or not policy.can_plan(actor) or course.id not in rosters.taught_course_ids(actor):
        raise NotFound()
    return course


def get_unit(actor, unit_id: int) -> tuple[Unit, Access]:
    """The one scoped getter for units (see access.load)."""
    return load(actor, Unit, unit_id)


def create_unit(
    actor, course_id: int, title: str, posted: dict, duration_days=None, visibility="private", template=None
):
    """Teachers of the course. Raises Invalid per field (nothing is written); NotFound for another course."""
    course = teachable_course(actor, course_id)
    errors = _check(title, duration_days, visibility)
    try:
        fields = documents(posted, (template or {}).get("body"), UNIT_KEYS)
    except Invalid as error:
        errors |= error.fields
        fields = {}
    if errors:
        raise Invalid(errors)
    position = db.session.scalar(select(func.coalesce(func.max(Unit.position), 0)).where(Unit.course_id == course.id))
    unit = Unit(
        district_id=actor.district_id,
        course_id=course.id,
        school_id=course.school_id,
        owner_id=actor.id,
        title=title.strip()[:200],
        duration_days=duration_days,
        visibility=visibility,
        position=(position or 0) + 1,
        language=search_language(actor),
        template_id=(template or {}).get("id"),
        **fields,
    )
    unit.plain_text = unit_text(fields)
    db.session.add(unit)
    db.session.flush()
    versioning.record(actor, unit, "unit", unit_snapshot(unit), note=_("Created"))
    record_event(actor, "unit.created", "unit", unit.id, course_id=course.id)
    db.session.commit()
    return unit


def update_unit(
    actor,
    unit_id: int,
    title: str,
    posted: dict,
    duration_days=None,
    visibility="private",
    *,
    base_revision: int | None,
    base_version: int | None = None,
    note: str | None = None,
    autosave: bool = False,
    editing_session: str | None = None,
    standard_ids: list[int] | None = None,
):
    """Editors of the unit. A save (or autosave) made on an older revision raises versioning.Stale with what
    changed; Invalid per field; NotFound when the actor may not edit it. `standard_ids` as for lessons."""
    unit = locked_for_edit(actor, Unit, unit_id)
    versioning.check_fresh(actor, unit, "unit", base_revision, base_version, unit_snapshot)
    errors = _check(title, duration_days, visibility)
    try:
        fields = documents(posted, unit_snapshot(unit), UNIT_KEYS)
    except Invalid as error:
        errors |= error.fields
        fields = {}
    aligned = alignment.checked(actor, standard_ids, unit.standard_ids, errors)
    if errors:
        raise Invalid(errors)
    unit.standard_ids = aligned
    unit.title, unit.duration_days, unit.visibility = title.strip()[:200], duration_days, visibility
    for key, doc in fields.items():
        setattr(unit, key, doc)
    unit.plain_text = unit_text(fields)
    return versioning.save(
        actor, unit, "unit", unit_snapshot(unit), note=note, autosave=autosave, editing_session=editing_session
    )


def publish_unit(actor, unit_id: int):
    """Editors. Viewers who are not editors now see the unit as it is (its newest version)."""
    return versioning.publish(actor, locked_for_edit(actor, Unit, unit_id), "unit")


@dataclass(frozen=True)
class UnitView:
    unit: Unit
    access: Access
    fields: dict  # what the viewer reads: the live fields for editors, the published snapshot for others
    version: int
    standards: list  # the standards of `fields` (standards.Standard)
    lessons: list
    course: object
    copied_from: Unit | None
    copies: list


def unit_page(actor, unit_id: int) -> UnitView:
    """Whoever may see the unit: the unit as they may read it, its lessons, course and lineage."""
    from app.curriculum.services.lessons import lessons_of_unit

    unit, access = get_unit(actor, unit_id)
    if access.sees_drafts:
        fields, version = unit_snapshot(unit), unit.version
    else:
        fields = versioning.versions.get_version("unit", unit.id, unit.published_version).snapshot
        version = unit.published_version
    return UnitView(
        unit,
        access,
        fields,
        version,
        alignment.standards_of(actor, fields),
        lessons_of_unit(actor, unit.id),
        org.course_of(actor, unit.course_id),
        _visible_unit(actor, unit.copied_from_id),
        visible_units(actor, Unit.copied_from_id == unit.id),
    )


def _visible_unit(actor, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    row = db.scoped_get(actor, Unit, unit_id)
    return row if row is not None and access_to(actor, row).can_view else None


def visible_units(actor, *where) -> list[Unit]:
    """Units the actor may see, filtered by `where`, in course order."""
    condition = editable_condition(actor, Unit) | published_condition(actor, Unit)
    return list(db.session.scalars(select(Unit).where(condition, *where).order_by(Unit.position, Unit.id)))


def course_units(actor, course_id: int) -> dict:
    """A course the actor teaches (or may see plans of): its units the actor may see, and whether they plan it."""
    course = org.course_of(actor, course_id)
    if course is None or not policy.is_staff(actor):
        raise NotFound()
    teaches = policy.can_plan(actor) and course.id in rosters.taught_course_ids(actor)
    units = visible_units(actor, Unit.course_id == course.id)
    if not teaches and not units:
        raise NotFound()
    counts = dict(
        db.session.execute(
            select(Lesson.unit_id, func.count())
            .where(Lesson.unit_id.in_([u.id for u in units] or [-1]))
            .group_by(Lesson.unit_id)
        )
        .tuples()
        .all()
    )
    return {"course": course, "units": units, "lesson_counts": counts, "can_plan": teaches}


def my_courses(actor) -> list[dict]:
    """Teachers: the courses they teach this year, with how many units each has that they may see."""
    if not policy.can_plan(actor):
        raise NotFound()
    ids = rosters.taught_course_ids(actor)
    courses = sorted(org.courses_by_id(ids).values(), key=lambda c: (c.code, c.name))
    counts = dict(
        db.session.execute(
            select(Unit.course_id, func.count())
            .where(Unit.course_id.in_(ids or [-1]), editable_condition(actor, Unit) | published_condition(actor, Unit))
            .group_by(Unit.course_id)
        )
        .tuples()
        .all()
    )
    return [{"course": course, "units": counts.get(course.id, 0)} for course in courses]


def empty_unit_fields() -> dict:
    return {key: {**EMPTY_DOC, "blocks": []} for key in UNIT_KEYS}


def editable_units(actor) -> list[Unit]:
    """The units the actor edits (the targets of a lesson copy), by course then order."""
    if not policy.can_plan(actor):
        return []
    return list(
        db.session.scalars(
            select(Unit).where(editable_condition(actor, Unit)).order_by(Unit.course_id, Unit.position, Unit.id)
        )
    )
