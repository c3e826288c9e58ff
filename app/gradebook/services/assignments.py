"""Assignments: one for one or more sections of a course, with dates per section, publishing, extensions and
exemptions. Dates are typed in the district's time zone and stored as instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.curriculum import services as curriculum
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.gradebook import policy
from app.gradebook.data import GRADING_TYPES, SUBMISSION_TYPES
from app.gradebook.models import Assignment, AssignmentOverride, AssignmentSection, GradingCategory
from app.gradebook.services.compute import zone
from app.richtext import services as richtext
from app.rosters import services as rosters

MAX_POINTS = Decimal(10000)


def tz_of(actor):
    return zone(getattr(actor, "district_time_zone", None))


def now() -> datetime:
    return datetime.now(UTC)


def parse_local(raw, actor, field: str, errors: dict) -> datetime | None:
    """A datetime-local value ("2026-10-05T23:59") in the district's time zone; '' is None."""
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime):
        moment = raw
    else:
        try:
            moment = datetime.fromisoformat(str(raw).strip())
        except ValueError:
            errors[field] = _("Enter a date and time, for example 2026-10-05 23:59.")
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz_of(actor))
    return moment.astimezone(UTC)


def graded_section(actor, section_id: int):
    """A section the actor teaches (and so grades). NotFound for anyone else, archived sections included."""
    section = rosters.get_section(actor, section_id)
    if "system" in getattr(actor, "roles", ()) and getattr(actor, "id", None) is None:
        return section  # the platform itself (CLI exports, jobs without a person)
    if not policy.can_grade(actor, [actor.id] if rosters.teaches_section(actor, section.id) else []):
        raise NotFound()
    return section


def get_assignment(actor, assignment_id: int) -> Assignment:
    """For the teachers of a section it is given to; NotFound otherwise."""
    assignment = db.scoped_get(actor, Assignment, assignment_id)
    if assignment is None:
        raise NotFound()
    section_ids = section_ids_of(assignment.id)
    if not any(rosters.teaches_section(actor, section_id) for section_id in section_ids) and "system" not in getattr(
        actor, "roles", ()
    ):
        raise NotFound()
    return assignment


def section_ids_of(assignment_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(AssignmentSection.section_id)
            .where(AssignmentSection.assignment_id == assignment_id)
            .order_by(AssignmentSection.section_id)
        )
    )


def dates_of(assignment_id: int) -> dict[int, AssignmentSection]:
    return {
        row.section_id: row
        for row in db.session.scalars(select(AssignmentSection).where(AssignmentSection.assignment_id == assignment_id))
    }


@dataclass
class AssignmentInput:
    title: str = ""
    instructions: str = ""
    points_possible: object = "10"
    category_id: int | None = None
    grading_type: str = "points"
    submission_type: str = "none"
    allows_extra_credit: bool = False
    is_held: bool = False
    publish: str = "now"  # "now", "later" (at publish_at) or "draft"
    publish_at: object = None
    lesson_id: int | None = None
    standard_ids: tuple[int, ...] = ()


def _check(actor, course_id: int, data: AssignmentInput, errors: dict) -> tuple[Decimal | None, datetime | None]:
    if not (data.title or "").strip():
        errors["title"] = _("Enter a title.")
    elif len(data.title.strip()) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    if data.grading_type not in dict(GRADING_TYPES):
        errors["grading_type"] = _("Choose how it is graded.")
    if data.submission_type not in dict(SUBMISSION_TYPES):
        errors["submission_type"] = _("Choose what students hand in.")
    points = None
    try:
        points = Decimal(str(data.points_possible).strip().replace(",", "."))
        if not points.is_finite() or points < 0 or points > MAX_POINTS:
            raise InvalidOperation
        if points == 0 and not data.allows_extra_credit and data.grading_type not in ("mastery", "complete_incomplete"):
            errors["points_possible"] = _("Zero points is only possible for extra credit.")
    except (InvalidOperation, ValueError):
        errors["points_possible"] = _("Enter the points as a number from 0 to 10000.")
        points = None
    if data.grading_type == "mastery":
        points = points if points is not None else Decimal(4)
    if data.category_id is not None:
        category = db.scoped_get(actor, GradingCategory, data.category_id)
        if category is None or category.course_id != course_id:
            errors["category_id"] = _("Choose one of the course's categories.")
    publish_at = None
    if data.publish == "later":
        publish_at = parse_local(data.publish_at, actor, "publish_at", errors)
        if publish_at is None and "publish_at" not in errors:
            errors["publish_at"] = _("Enter when to publish it.")
    elif data.publish == "now":
        publish_at = now()
    elif data.publish != "draft":
        errors["publish"] = _("Choose when to publish it.")
    if data.lesson_id is not None:
        try:
            curriculum.get_lesson(actor, data.lesson_id)
        except NotFound:
            errors["lesson_id"] = _("That lesson could not be found.")
    return points, publish_at


def _section_dates(actor, section_ids, dates: dict, errors: dict) -> dict[int, tuple]:
    out = {}
    for section_id in section_ids:
        due_raw, lock_raw = dates.get(section_id, (None, None))
        due = parse_local(due_raw, actor, f"due_{section_id}", errors)
        lock = parse_local(lock_raw, actor, f"lock_{section_id}", errors)
        if due and lock and lock < due:
            errors[f"lock_{section_id}"] = _("The lock date cannot be before the due date.")
        out[section_id] = (due, lock)
    return out


def create_assignment(actor, section_ids: list[int], data: AssignmentInput, dates: dict) -> Assignment:
    """Teachers of every one of the sections (all of one course): the assignment, with each section's due and
    lock times (`dates`: section id -> (due, lock), local datetime-local strings or datetimes).

    Raises NotFound for a section the actor does not teach, Invalid with per-field messages."""
    if not section_ids:
        raise Invalid({"section_ids": _("Choose at least one section.")})
    sections = [graded_section(actor, section_id) for section_id in dict.fromkeys(section_ids)]
    course_ids = {section.course_id for section in sections}
    errors: dict[str, str] = {}
    if len(course_ids) > 1:
        errors["section_ids"] = _("One assignment can only go to sections of the same course.")
    course_id = sections[0].course_id
    points, publish_at = _check(actor, course_id, data, errors)
    instructions = richtext.to_document(data.instructions or "", field="instructions") if not errors else None
    per_section = _section_dates(actor, [s.id for s in sections], dates, errors)
    if errors:
        raise Invalid(errors)
    assignment = Assignment(
        district_id=actor.district_id,
        course_id=course_id,
        lesson_id=data.lesson_id,
        owner_id=actor.id,
        category_id=data.category_id,
        title=data.title.strip(),
        instructions=instructions,
        points_possible=points,
        grading_type=data.grading_type,
        submission_type=data.submission_type,
        allows_extra_credit=bool(data.allows_extra_credit),
        publish_at=publish_at,
        is_held=bool(data.is_held),
        question_version_ids=[],
        standard_ids=list(data.standard_ids),
    )
    db.session.add(assignment)
    db.session.flush()
    for section in sections:
        due, lock = per_section[section.id]
        db.session.add(
            AssignmentSection(
                district_id=actor.district_id,
                assignment_id=assignment.id,
                section_id=section.id,
                due_at=due,
                lock_at=lock,
            )
        )
    db.session.flush()
    if publish_at is not None:
        _announce(actor, assignment, [s.id for s in sections])
    db.session.commit()
    return assignment


def _announce(actor, assignment: Assignment, section_ids: list[int]) -> None:
    record_event(
        actor,
        "assignment.published",
        "assignment",
        assignment.id,
        course_id=assignment.course_id,
        section_ids=section_ids,
        publish_at=assignment.publish_at.isoformat() if assignment.publish_at else None,
        title=assignment.title,
    )


def update_assignment(actor, assignment_id: int, data: AssignmentInput, dates: dict) -> Assignment:
    """The assignment's teachers: its fields and each section's dates. Publishing a draft announces it."""
    assignment = get_assignment(actor, assignment_id)
    errors: dict[str, str] = {}
    points, publish_at = _check(actor, assignment.course_id, data, errors)
    section_ids = section_ids_of(assignment.id)
    per_section = _section_dates(actor, section_ids, dates, errors)
    if errors:
        raise Invalid(errors)
    was_published = is_published(assignment)
    assignment.title = data.title.strip()
    assignment.instructions = richtext.to_document(
        data.instructions or "", previous=assignment.instructions, field="instructions"
    )
    assignment.points_possible = points
    assignment.category_id = data.category_id
    assignment.grading_type = data.grading_type
    assignment.submission_type = data.submission_type
    assignment.allows_extra_credit = bool(data.allows_extra_credit)
    if data.publish != "now" or not was_published:
        assignment.publish_at = publish_at
    assignment.updated_at = now()
    rows = dates_of(assignment.id)
    for section_id, (due, lock) in per_section.items():
        rows[section_id].due_at, rows[section_id].lock_at = due, lock
    if not was_published and is_published(assignment):
        _announce(actor, assignment, section_ids)
    db.session.commit()
    return assignment


def is_published(assignment: Assignment, at: datetime | None = None) -> bool:
    return assignment.publish_at is not None and assignment.publish_at <= (at or now())


def publish_assignment(actor, assignment_id: int) -> Assignment:
    """The assignment's teachers: publish now (a draft, or one scheduled for later)."""
    assignment = get_assignment(actor, assignment_id)
    if not is_published(assignment):
        assignment.publish_at = now()
        _announce(actor, assignment, section_ids_of(assignment.id))
        db.session.commit()
    return assignment


def set_override(
    actor, assignment_id: int, student_id: int, due=None, lock=None, exempt: bool = False, note: str = ""
) -> AssignmentOverride | None:
    """The assignment's teachers: one student's extension (due/lock) or exemption; nothing of either removes it.
    Raises Invalid when the student is not in one of the assignment's sections, or for bad dates."""
    assignment = get_assignment(actor, assignment_id)
    spans = rosters.enrollment_spans(section_ids_of(assignment.id))
    if not any(student == student_id for _section, student in spans):
        raise Invalid({"student_id": _("That student is not in a section this assignment is given to.")})
    errors: dict[str, str] = {}
    due_at, lock_at = parse_local(due, actor, "due", errors), parse_local(lock, actor, "lock", errors)
    if due_at and lock_at and lock_at < due_at:
        errors["lock"] = _("The lock date cannot be before the due date.")
    if errors:
        raise Invalid(errors)
    row = db.session.scalar(
        select(AssignmentOverride).where(
            AssignmentOverride.assignment_id == assignment.id, AssignmentOverride.student_id == student_id
        )
    )
    if not (due_at or lock_at or exempt):
        if row is not None:
            db.session.delete(row)
        db.session.commit()
        return None
    row = row or AssignmentOverride(district_id=actor.district_id, assignment_id=assignment.id, student_id=student_id)
    row.due_at, row.lock_at, row.is_exempt, row.note, row.created_by = due_at, lock_at, exempt, note[:300], actor.id
    db.session.add(row)
    db.session.commit()
    return row


def overrides_of(assignment_ids) -> dict[tuple[int, int], AssignmentOverride]:
    ids = list(set(assignment_ids))
    rows = db.session.scalars(select(AssignmentOverride).where(AssignmentOverride.assignment_id.in_(ids or [-1])))
    return {(row.assignment_id, row.student_id): row for row in rows}


def categories_choices(course_id: int, section_id: int) -> list[tuple[int, str]]:
    from app.gradebook.services.settings import categories_for

    return [(c.id, c.name) for c in categories_for(course_id, section_id)]


@dataclass
class AssignmentChoices:
    section: object
    sections: list  # [(Section, label)]: the actor's open sections of the course
    categories: list[tuple[int, str]]
    assignment: Assignment | None = None
    given: list[int] | None = None
    dates: dict | None = None  # section id -> (due, lock) as datetime-local strings


def _local_text(moment, actor) -> str:
    return moment.astimezone(tz_of(actor)).strftime("%Y-%m-%dT%H:%M") if moment else ""


def assignment_choices(actor, section_id: int, assignment_id: int | None = None) -> AssignmentChoices:
    """The section's teachers: what the assignment form offers (sections of the course, categories) and, for an
    edit, the assignment with its sections' dates in the district's time zone."""
    from app.gradebook.services.settings import categories_for

    section = graded_section(actor, section_id)
    rows = rosters.sections_of_course_taught(actor, section.course_id)
    sections = [(row.section, row.label) for row in rows]
    categories = [(c.id, c.name) for c in categories_for(section.course_id, section.id)]
    if assignment_id is None:
        return AssignmentChoices(section, sections, categories)
    assignment = get_assignment(actor, assignment_id)
    if assignment.course_id != section.course_id:
        raise NotFound()
    rows_by_section = dates_of(assignment.id)
    dates = {sid: (_local_text(r.due_at, actor), _local_text(r.lock_at, actor)) for sid, r in rows_by_section.items()}
    return AssignmentChoices(section, sections, categories, assignment, sorted(rows_by_section), dates)
