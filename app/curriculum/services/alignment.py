"""Units and lessons aligned to standards: the chosen ids are part of the item's content (and so of each version
snapshot); the standards package owns what they name. What coverage reads of the curriculum is here too."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import db
from app.curriculum.models import Lesson, Unit
from app.curriculum.services.access import editable_condition, published_condition
from app.errors import Invalid
from app.standards import services as standards
from app.versions import services as versions


def checked(actor, posted: list[int] | None, current: list[int] | None, errors: dict) -> list[int]:
    """The ids to store: `current` when nothing was posted, else the posted ones once standards accepts them
    (its message goes into `errors` under `standards`)."""
    if posted is None:
        return list(current or [])
    try:
        return standards.alignable(actor, posted)
    except Invalid as error:
        errors |= error.fields
        return list(current or [])


def standards_of(actor, content: dict) -> list:
    """The standards a snapshot is aligned to, in order (retired ones included and marked)."""
    ids = content.get("standards") or []
    return standards.get_many(actor, ids) if ids else []


def aligned_lessons(actor, course_id: int) -> list[dict]:
    """The course's lessons the actor may see that are aligned to a standard: {id, title, unit_id, unit_title,
    standards}, in unit and lesson order, read as the actor reads them (drafts for editors, else published)."""
    editable = editable_condition(actor, Lesson)
    visible = editable | published_condition(actor, Lesson)
    rows = db.session.execute(
        select(Lesson.id, Lesson.title, Lesson.published_title, Lesson.unit_id, Unit.title, Lesson.standard_ids,
               Lesson.published_version, editable)
        .join(Unit, Unit.id == Lesson.unit_id)
        .where(Lesson.course_id == course_id, visible)
        .order_by(Unit.position, Unit.id, Lesson.position, Lesson.id)
    )  # fmt: skip
    rows = rows.all()
    # A reader who is not an editor sees the published version's alignment, not the draft's.
    published = versions.snapshot_values("lesson", [(r[0], r[6]) for r in rows if not r[7] and r[6]], "standards")
    found = []
    for lesson_id, title, published_title, unit_id, unit_title, ids, _number, is_editor in rows:
        if not is_editor:
            ids, title = published.get(lesson_id) or [], published_title or title
        if ids:
            found.append(
                {"id": lesson_id, "title": title, "unit_id": unit_id, "unit_title": unit_title, "standards": ids}
            )
    return found


def lesson_days(actor, sections) -> dict[int, dict[int, date]]:
    """Section id -> {lesson id: the first day the section's plan puts it on}, for sections the caller checked."""
    from app.curriculum.services.planner import _layouts

    days: dict[int, dict[int, date]] = {}
    for section_id, (planned, _beyond) in _layouts(actor, sections).items():
        first = days.setdefault(section_id, {})
        for day in planned:
            for lesson in day.lessons:
                first.setdefault(lesson.lesson_id, day.on)
    return days


def standards_picker(actor, selected_ids):
    """What the edit pages' standards picker shows (standards.picker_context), or None for non-staff."""
    if not standards.can_browse_standards(actor):
        return None
    return standards.picker_context(actor, selected_ids or [])
