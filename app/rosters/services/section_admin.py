"""Creating and editing sections: a school's structure managers give a course a term, teachers, period, room
and meeting pattern (every school day, certain rotation days or certain weekdays)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app import db
from app.accounts import services as accounts
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.org import services as org
from app.rosters import policy
from app.rosters.models import Section, SectionTeacher
from app.rosters.services.meetings import check_meeting_pattern, fits, meeting_summary
from app.rosters.services.sections import get_section, teacher_ids_of, teacher_names

SECTIONS_PER_PAGE = 25


def _school(actor, school_id: int):
    """The school, for managers of it (NotFound otherwise)."""
    return org.get_school(actor, school_id)


def get_managed_section(actor, section_id: int) -> Section:
    """A section of a school the actor manages (archived ones included, to view); NotFound otherwise."""
    section = get_section(actor, section_id)
    if not policy.can_administer_sections(actor, section.school_id):
        raise NotFound()
    return section


def school_sections(actor, school_id: int, year_id: int | None, term_id: int | None, page: int) -> dict:
    """Managers of the school: one page of its sections in the chosen year (the current one by default) and term,
    by term, course code and name, with course, term and teacher names."""
    school = _school(actor, school_id)
    year = org.pick_year(actor, year_id)
    terms = org.terms_by_year(actor, [year.id])[year.id] if year else []
    if term_id not in {term.id for term in terms}:
        term_id = None
    wanted = [term_id] if term_id else [term.id for term in terms]
    sections = list(
        db.session.scalars(select(Section).where(Section.school_id == school.id, Section.term_id.in_(wanted or [-1])))
    )
    courses = org.courses_by_id(s.course_id for s in sections)
    by_term = {term.id: term for term in terms}

    def order(section: Section):
        course = courses.get(section.course_id)
        return (by_term[section.term_id].starts_on, course.code if course else "", section.name, section.id)

    sections.sort(key=order)
    page = max(page, 1)
    shown = sections[(page - 1) * SECTIONS_PER_PAGE : page * SECTIONS_PER_PAGE]
    names = teacher_names(s.id for s in shown)
    rows = [(s, courses.get(s.course_id), by_term[s.term_id], names.get(s.id, [])) for s in shown]
    return {
        "school": school,
        "years": org.list_years(actor),
        "year": year,
        "terms": terms,
        "term_id": term_id,
        "rows": rows,
        "total": len(sections),
        "per_page": SECTIONS_PER_PAGE,
    }


def section_details(actor, section_id: int) -> dict:
    """The section with its course, term, year and teachers, and whether the actor may edit it."""
    section = get_managed_section(actor, section_id)
    term = org.term_of(actor, section.term_id)
    schedule = org.school_schedule(actor, section.school_id)
    return {
        "section": section,
        "meets": meeting_summary(schedule, section.meeting_pattern, section.meeting_days),
        "pattern_fits": fits(schedule, section.meeting_pattern, section.meeting_days),
        "course": org.course_of(actor, section.course_id),
        "term": term,
        "year": org.year_of(actor, term.academic_year_id) if term else None,
        "teacher_ids": teacher_ids_of(section.id),
        "teacher_names": teacher_names([section.id]).get(section.id, []),
        "can_edit": policy.can_edit_section(actor, section),
    }


def section_choices(actor, school_id: int) -> dict:
    """What the section form offers: the school's courses and teachers, the district's terms by year, and the
    school's schedule (its rotation and weekdays decide the meeting days offered)."""
    school = _school(actor, school_id)
    return {
        "school": school,
        "schedule": org.schedule_of(school),
        "courses": org.open_courses_of_school(school.id),
        "terms": org.open_terms(),
        "teachers": accounts.teachers_of_school(school.id),
    }


def _check_section(actor, school_id: int, course_id, term_id, teacher_ids: list[int], name: str, meeting):
    """(course, term, (pattern, days) or None to keep the section's); raises Invalid with every message at once."""
    errors: dict[str, str] = {}
    if meeting is not None:
        pattern, days, errors = check_meeting_pattern(org.school_schedule(actor, school_id), *meeting)
        meeting = (pattern, days or None)
    course = org.course_of(actor, course_id) if course_id else None
    term = org.term_of(actor, term_id) if term_id else None
    if course is None or course.school_id != school_id:
        errors["course_id"] = _("Choose a course of this school.")
    if term is None:
        errors["term_id"] = _("Choose a term.")
    mismatch = course is not None and term is not None and course.academic_year_id != term.academic_year_id
    if mismatch and course.school_id == school_id:
        names = org.year_names([course.academic_year_id, term.academic_year_id] if course.academic_year_id else [])
        errors["term_id"] = _(
            "The term %(term)s is in %(term_year)s, but the course %(course)s is in %(course_year)s. "
            "Choose a term of %(course_year)s.",
            term=term.name,
            term_year=names.get(term.academic_year_id, ""),
            course=course.code,
            course_year=names.get(course.academic_year_id) or _("no year"),
        )
    allowed = {teacher.id for teacher in accounts.teachers_of_school(school_id)}
    if not teacher_ids:
        errors["teacher_ids"] = _("Choose at least one teacher.")
    elif not set(teacher_ids) <= allowed:
        errors["teacher_ids"] = _("Choose teachers of this school only.")
    if not name and course is None:
        errors["name"] = _("Enter a name for the section.")
    if errors:
        raise Invalid(errors)
    return course, term, meeting


def _set_teachers(actor, section: Section, teacher_ids: list[int]) -> None:
    db.session.execute(
        delete(SectionTeacher).where(
            SectionTeacher.section_id == section.id, SectionTeacher.teacher_id.not_in(teacher_ids)
        )
    )
    existing = set(teacher_ids_of(section.id))
    for position, teacher_id in enumerate(teacher_ids):
        if teacher_id not in existing:
            db.session.add(
                SectionTeacher(
                    district_id=actor.district_id,
                    section_id=section.id,
                    teacher_id=teacher_id,
                    is_primary=position == 0,
                )
            )


def _section_name(name: str, course, period: str) -> str:
    if name:
        return name[:200]
    return (f"{course.name} ({period})" if period else course.name)[:200]


def _record_pattern(actor, section: Section, before: tuple) -> None:
    if (section.meeting_pattern, section.meeting_days) != before:
        days = list(section.meeting_days or [])
        record_event(
            actor, "section.meeting_pattern_changed", "section", section.id, meets=section.meeting_pattern, days=days
        )


def create_section(
    actor,
    school_id: int,
    course_id,
    term_id,
    teacher_ids: list[int],
    name: str,
    period: str,
    room: str,
    meets: str | None = None,
    days=None,
) -> Section:
    """Managers of the school. Raises Invalid when the term's year is not the course's, teachers are missing or
    from elsewhere, or the meeting pattern does not fit the school's rotation and weekdays. `meets`: "daily"
    (the default), "rotation" or "weekdays", with `days` the rotation days (1 = A) or ISO weekdays."""
    school = _school(actor, school_id)
    name, period, room = (name or "").strip(), (period or "").strip()[:40], (room or "").strip()[:40]
    course, term, meeting = _check_section(
        actor, school.id, course_id, term_id, teacher_ids, name, (meets or "daily", days)
    )
    section = Section(
        district_id=actor.district_id,
        school_id=school.id,
        course_id=course.id,
        term_id=term.id,
        name=_section_name(name, course, period),
        period=period or None,
        room=room or None,
        meeting_pattern=meeting[0],
        meeting_days=meeting[1],
    )
    db.session.add(section)
    db.session.flush()
    _set_teachers(actor, section, teacher_ids)
    record_event(actor, "section.created", "section", section.id, course_id=course.id, term_id=term.id)
    _record_pattern(actor, section, ("daily", None))
    db.session.commit()
    return section


def update_section(
    actor,
    section_id: int,
    course_id,
    term_id,
    teacher_ids: list[int],
    name: str,
    period: str,
    room: str,
    meets: str | None = None,
    days=None,
) -> Section:
    """Managers of the section's school; archived sections refuse edits (Invalid). `meets` None keeps the
    meeting pattern; otherwise as create_section."""
    section = get_managed_section(actor, section_id)
    if not policy.can_edit_section(actor, section):
        raise Invalid({"": _("This section is archived and can no longer be changed.")})
    name, period, room = (name or "").strip(), (period or "").strip()[:40], (room or "").strip()[:40]
    before = (section.meeting_pattern, section.meeting_days)
    course, term, meeting = _check_section(
        actor, section.school_id, course_id, term_id, teacher_ids, name, None if meets is None else (meets, days)
    )
    section.course_id, section.term_id = course.id, term.id
    section.name, section.period, section.room = _section_name(name, course, period), period or None, room or None
    if meeting is not None:
        section.meeting_pattern, section.meeting_days = meeting
    _set_teachers(actor, section, teacher_ids)
    record_event(actor, "section.updated", "section", section.id, course_id=course.id, term_id=term.id)
    _record_pattern(actor, section, before)
    db.session.commit()
    return section
