"""Enrollments: a student in a section from a day, dropped on a day; the row stays as history."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import db
from app.accounts import services as accounts
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.org import services as org
from app.rosters import policy
from app.rosters.models import Enrollment, Section
from app.rosters.services.sections import get_section, section_label


def active_enrollment(section_id: int, student_id: int) -> Enrollment | None:
    return db.session.scalar(
        select(Enrollment).where(
            Enrollment.section_id == section_id, Enrollment.student_id == student_id, Enrollment.dropped_on.is_(None)
        )
    )


def editable_section(actor, section_id: int) -> Section:
    """A section whose roster the actor may change; NotFound outside scope, Invalid when archived."""
    section = get_section(actor, section_id)
    if not policy.can_manage_rosters_at(actor, section.school_id):
        raise NotFound()
    if section.is_archived:
        raise Invalid(
            {
                "section_id": _(
                    "%(section)s is archived; its roster can no longer change.", section=section_label(section)
                )
            }
        )
    return section


def enroll(actor, section: Section, student_id: int, on: date) -> Enrollment:
    """In the caller's transaction; Invalid for a student of another school or one already enrolled."""
    if student_id not in accounts.students_of_school([student_id], section.school_id):
        raise Invalid({"student_id": _("That person is not a student of this section's school.")})
    if active_enrollment(section.id, student_id) is not None:
        raise Invalid(
            {
                "student_id": _(
                    "%(student)s is already enrolled in %(section)s.",
                    student=accounts.names_by_id([student_id]).get(student_id, ""),
                    section=section_label(section),
                )
            }
        )
    enrollment = Enrollment(district_id=section.district_id, section_id=section.id, student_id=student_id, added_on=on)
    db.session.add(enrollment)
    db.session.flush()
    record_event(actor, "enrollment.added", "section", section.id, student_id=student_id)
    return enrollment


def drop(actor, section: Section, student_id: int, on: date) -> Enrollment:
    """In the caller's transaction; Invalid when the student is not enrolled."""
    enrollment = active_enrollment(section.id, student_id)
    if enrollment is None:
        raise Invalid({"student_id": _("That student is not enrolled in %(section)s.", section=section_label(section))})
    enrollment.dropped_on = max(on, enrollment.added_on)
    record_event(actor, "enrollment.dropped", "section", section.id, student_id=student_id)
    return enrollment


def not_enrolled(section_id: int, student_ids) -> set[int]:
    """Which of these students have no active enrollment in the section."""
    ids = set(student_ids)
    enrolled = set(
        db.session.scalars(
            select(Enrollment.student_id).where(
                Enrollment.section_id == section_id, Enrollment.dropped_on.is_(None), Enrollment.student_id.in_(ids)
            )
        )
    )
    return ids - enrolled


def enroll_student(actor, section_id: int, student_id: int, on: date | None = None) -> Enrollment:
    """Roster managers in the section's school. Raises Invalid for a second active enrollment, an archived
    section or a student of another school; NotFound outside scope."""
    section = editable_section(actor, section_id)
    enrollment = enroll(actor, section, student_id, on or date.today())
    db.session.commit()
    return enrollment


def drop_student(actor, section_id: int, student_id: int, on: date | None = None) -> Enrollment:
    """Roster managers. Sets dropped_on and keeps the row as history. Raises Invalid if not enrolled."""
    section = editable_section(actor, section_id)
    enrollment = drop(actor, section, student_id, on or date.today())
    db.session.commit()
    return enrollment


def move_student(actor, student_id: int, from_section_id: int, to_section_id: int, on: date | None = None):
    """Roster managers. Drop from one section and enroll in another in one transaction (both or neither)."""
    if from_section_id == to_section_id:
        raise Invalid({"section_id": _("Choose a different section to move to.")})
    source = editable_section(actor, from_section_id)
    target = editable_section(actor, to_section_id)
    on = on or date.today()
    drop(actor, source, student_id, on)
    enrollment = enroll(actor, target, student_id, on)
    db.session.commit()
    return enrollment


def enrollments_of_student(student_id: int) -> list[tuple[Enrollment, str]]:
    """Every enrollment of a student, active first then newest, with section labels (callers check access)."""
    rows = db.session.execute(
        select(Enrollment, Section)
        .join(Section, Section.id == Enrollment.section_id)
        .where(Enrollment.student_id == student_id)
        .order_by(Enrollment.dropped_on.is_not(None), Enrollment.added_on.desc(), Enrollment.id.desc())
    ).tuples()
    return [(enrollment, section_label(section)) for enrollment, section in rows]


def enrollment_spans(section_ids) -> dict[tuple[int, int], list[tuple[date, date | None]]]:
    """(section id, student id) -> the student's enrollment spans there (added_on, dropped_on or None), oldest
    first, dropped ones included: what bounds late and missing work to the days a student was in the class.
    Callers check access to the sections."""
    ids = list(set(section_ids))
    rows = db.session.execute(
        select(Enrollment.section_id, Enrollment.student_id, Enrollment.added_on, Enrollment.dropped_on)
        .where(Enrollment.section_id.in_(ids or [-1]))
        .order_by(Enrollment.added_on, Enrollment.id)
    ).tuples()
    spans: dict[tuple[int, int], list[tuple[date, date | None]]] = {}
    for section_id, student_id, added_on, dropped_on in rows:
        spans.setdefault((section_id, student_id), []).append((added_on, dropped_on))
    return spans


def sections_of_student(student_id: int, active_only: bool = True) -> list[Section]:
    """The sections a student is (or was) enrolled in, for the student's and guardians' pages (callers check)."""
    query = (
        select(Section).join(Enrollment, Enrollment.section_id == Section.id).where(Enrollment.student_id == student_id)
    )
    if active_only:
        query = query.where(Enrollment.dropped_on.is_(None))
    return list(db.session.scalars(query.distinct().order_by(Section.name, Section.id)))


# --- year rollover ------------------------------------------------------------------------------------------------


def _sections_of_year(year_id: int):
    return select(Section.id).where(Section.term_id.in_(org.term_ids_of_year(year_id) or [-1]))


def rollover_counts(year_id: int) -> dict[str, int]:
    """Rollover preview: open sections and active enrollments of the year that is ending."""
    sections = _sections_of_year(year_id)
    return {
        "sections_to_archive": db.session.scalar(
            select(func.count()).where(Section.id.in_(sections), ~Section.is_archived)
        ),
        "enrollments_to_end": db.session.scalar(
            select(func.count()).where(Enrollment.section_id.in_(sections), Enrollment.dropped_on.is_(None))
        ),
    }


def sections_using_courses(course_ids: list[int]) -> int:
    return db.session.scalar(select(func.count()).where(Section.course_id.in_(course_ids or [-1])))


def archive_sections_of_year(year_id: int) -> list[int]:
    """Rollover: archive the year's open sections; returns their ids (the undo record)."""
    statement = (
        update(Section)
        .where(Section.id.in_(_sections_of_year(year_id)), ~Section.is_archived)
        .values(is_archived=True)
        .returning(Section.id)
    )
    return [row[0] for row in db.session.execute(statement)]


def unarchive_sections(section_ids: list[int]) -> None:
    db.session.execute(update(Section).where(Section.id.in_(section_ids or [-1])).values(is_archived=False))


def end_enrollments_of_year(year_id: int, last_day: date) -> list[int]:
    """Rollover: end the year's active enrollments on its last day (or the day they began, if later)."""
    statement = (
        update(Enrollment)
        .where(Enrollment.section_id.in_(_sections_of_year(year_id)), Enrollment.dropped_on.is_(None))
        .values(dropped_on=func.greatest(Enrollment.added_on, last_day))
        .returning(Enrollment.id)
    )
    return [row[0] for row in db.session.execute(statement)]


def reopen_enrollments(enrollment_ids: list[int]) -> None:
    db.session.execute(update(Enrollment).where(Enrollment.id.in_(enrollment_ids or [-1])).values(dropped_on=None))
