"""Each school's course catalog, per academic year."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.org.data import GRADUATED, LOWEST_GRADE
from app.org.models import AcademicYear, Course
from app.org.policy import can_manage_school
from app.org.services.common import guarded_flush
from app.org.services.schools import get_school
from app.org.services.years import get_year, list_years, pick_year


def list_courses(actor, school_id: int, year_id: int | None) -> list[Course]:
    """Managers of the school: its courses of one year, by code."""
    school = get_school(actor, school_id)
    query = select(Course).where(Course.school_id == school.id, Course.academic_year_id == year_id)
    return list(db.session.scalars(query.order_by(Course.code)))


def get_course(actor, course_id: int) -> Course:
    course = db.scoped_get(actor, Course, course_id)
    if course is None or not can_manage_school(actor, course.school_id):
        raise NotFound()
    return course


def _check_course(school_id, year_id, code, name, grade_low, grade_high, course_id=None) -> None:
    errors = {}
    if not code:
        errors["code"] = _("Enter the course code.")
    if not name:
        errors["name"] = _("Enter the course name.")
    for field, grade in (("grade_low", grade_low), ("grade_high", grade_high)):
        if grade is not None and not LOWEST_GRADE <= grade <= GRADUATED:
            errors[field] = _("Choose a grade from the list.")
    if not errors and grade_low is not None and grade_high is not None and grade_low > grade_high:
        errors["grade_high"] = _("The highest grade cannot be below the lowest grade.")
    if code:
        taken = db.session.scalar(
            select(Course.name).where(
                Course.school_id == school_id,
                Course.academic_year_id == year_id,
                func.lower(Course.code) == code.lower(),
                Course.id != (course_id or -1),
            )
        )
        if taken is not None:
            errors["code"] = _(
                "The code %(code)s is already used by %(course)s in this school and year.", code=code, course=taken
            )
    if errors:
        raise Invalid(errors)


def create_course(
    actor, school_id: int, year_id: int, code: str, name: str, subject: str, grade_low, grade_high
) -> Course:
    """Managers of the school. Raises Invalid per field; the code is unique per school and year."""
    school = get_school(actor, school_id)
    year = get_year(actor, year_id)
    code, name, subject = (code or "").strip()[:60], (name or "").strip()[:200], (subject or "").strip()[:80]
    _check_course(school.id, year.id, code, name, grade_low, grade_high)
    course = Course(
        district_id=actor.district_id,
        school_id=school.id,
        academic_year_id=year.id,
        code=code,
        name=name,
        subject=subject or None,
        grade_low=grade_low,
        grade_high=grade_high,
    )
    db.session.add(course)
    guarded_flush(_("The code %(code)s is already used in this school and year.", code=code), "code")
    record_event(actor, "course.created", "course", course.id, code=code, school_id=school.id)
    db.session.commit()
    return course


def update_course(actor, course_id: int, code: str, name: str, subject: str, grade_low, grade_high) -> Course:
    """Managers of the course's school. Raises Invalid per field."""
    course = get_course(actor, course_id)
    code, name, subject = (code or "").strip()[:60], (name or "").strip()[:200], (subject or "").strip()[:80]
    _check_course(course.school_id, course.academic_year_id, code, name, grade_low, grade_high, course.id)
    course.code, course.name, course.subject = code, name, subject or None
    course.grade_low, course.grade_high = grade_low, grade_high
    guarded_flush(_("The code %(code)s is already used in this school and year.", code=code), "code")
    record_event(actor, "course.updated", "course", course.id, code=code)
    db.session.commit()
    return course


def courses_overview(actor, school_id: int, year_id: int | None) -> dict:
    """Managers of the school: its courses in the chosen year (the current one by default)."""
    school = get_school(actor, school_id)
    year = pick_year(actor, year_id)
    return {
        "school": school,
        "years": list_years(actor),
        "year": year,
        "courses": list_courses(actor, school.id, year.id) if year else [],
        "can_add": year is not None and not year.is_archived,
    }


def courses_by_id(course_ids) -> dict[int, Course]:
    ids = list(set(course_ids))
    if not ids:
        return {}
    return {course.id: course for course in db.session.scalars(select(Course).where(Course.id.in_(ids)))}


def course_of(actor, course_id) -> Course | None:
    """A course of the actor's district by id, for other domains' pages (no permission check: the caller made it)."""
    return db.scoped_get(actor, Course, course_id)


def open_courses_of_school(school_id: int) -> list[tuple[Course, str]]:
    """Active courses of the school in years not archived, newest year first, with the year's name."""
    return list(
        db.session.execute(
            select(Course, AcademicYear.name)
            .join(AcademicYear, AcademicYear.id == Course.academic_year_id)
            .where(Course.school_id == school_id, Course.is_active, ~AcademicYear.is_archived)
            .order_by(AcademicYear.starts_on.desc(), Course.code)
        ).tuples()
    )


def _carry_pairs(from_year_id: int, to_year_id: int) -> list[tuple[Course, int | None]]:
    """Each active course of the from-year with the id of its namesake (school and code) in the to-year."""
    existing = {
        (school_id, code.lower()): course_id
        for course_id, school_id, code in db.session.execute(
            select(Course.id, Course.school_id, Course.code).where(Course.academic_year_id == to_year_id)
        )
    }
    courses = db.session.scalars(
        select(Course).where(Course.academic_year_id == from_year_id, Course.is_active).order_by(Course.id)
    )
    return [(course, existing.get((course.school_id, course.code.lower()))) for course in courses]


def carry_counts(from_year_id: int, to_year_id: int) -> tuple[int, int]:
    """Rollover preview: (courses to copy into the new year, courses already there)."""
    pairs = _carry_pairs(from_year_id, to_year_id)
    return sum(1 for _c, there in pairs if there is None), sum(1 for _c, there in pairs if there is not None)


def carry_courses_forward(from_year_id: int, to_year_id: int) -> tuple[dict[str, int], list[int]]:
    """Rollover: copy the from-year's active courses that the to-year lacks. Returns ({old id: new id} for every
    course, the ids created)."""
    course_map, created = {}, []
    for course, existing in _carry_pairs(from_year_id, to_year_id):
        if existing is None:
            copy = Course(
                district_id=course.district_id,
                school_id=course.school_id,
                academic_year_id=to_year_id,
                code=course.code,
                name=course.name,
                subject=course.subject,
                grade_low=course.grade_low,
                grade_high=course.grade_high,
            )
            db.session.add(copy)
            db.session.flush()
            existing = copy.id
            created.append(copy.id)
        course_map[str(course.id)] = existing
    return course_map, created


def delete_courses(course_ids: list[int]) -> None:
    """Rollover revert: remove the courses it created."""
    db.session.execute(delete(Course).where(Course.id.in_(course_ids or [-1])))


def successor_course(actor, course_id: int) -> Course | None:
    """The same course (school and code) in the next academic year, where the rollover carried it; or None."""
    course = course_of(actor, course_id)
    if course is None or course.academic_year_id is None:
        return None
    year = db.scoped_get(actor, AcademicYear, course.academic_year_id)
    later = (
        select(Course)
        .join(AcademicYear, AcademicYear.id == Course.academic_year_id)
        .where(
            AcademicYear.starts_on > year.starts_on,
            Course.school_id.is_not_distinct_from(course.school_id),
            func.lower(Course.code) == course.code.lower(),
            Course.is_active,
        )
        .order_by(AcademicYear.starts_on)
        .limit(1)
    )
    return db.session.scalar(later)


def course_ids_matching(subject: str | None = None, grade: int | None = None) -> list[int]:
    """Courses of the district with this subject (case-insensitive) and spanning this grade."""
    query = select(Course.id)
    if subject:
        query = query.where(func.lower(Course.subject) == subject.strip().lower())
    if grade is not None:
        query = query.where(Course.grade_low <= grade, Course.grade_high >= grade)
    return list(db.session.scalars(query))


def subjects() -> list[str]:
    """The subjects the district's courses use, for a filter."""
    return sorted({s for s in db.session.scalars(select(Course.subject).where(Course.subject.is_not(None)).distinct())})
