"""Schools, academic years, terms, courses and sections."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app import db
from app.accounts.models import Membership, User
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.org.models import AcademicYear, Course, School, Term
from app.org.policy import (
    can_edit_school,
    can_edit_section,
    can_manage_school,
    can_manage_structure,
    can_manage_years,
    is_district_wide,
)
from app.rosters.models import Section, SectionTeacher

SECTIONS_PER_PAGE = 25
LOWEST_GRADE, HIGHEST_GRADE, GRADUATED = -1, 12, 13
GRADE_LABELS = {-1: _l("Pre-K"), 0: _l("Kindergarten"), 13: _l("Graduated")}


def grade_label(grade: int | None) -> str:
    if grade is None:
        return _("No grade")
    return str(GRADE_LABELS.get(grade) or _("Grade %(n)d", n=grade))


def grade_choices() -> list[tuple[int, str]]:
    return [(g, grade_label(g)) for g in range(LOWEST_GRADE, HIGHEST_GRADE + 1)]


def _day(value: date) -> str:
    return format_date(value, "medium")


def _now() -> datetime:
    return datetime.now(UTC)


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotFound()


def _flush(message: str, field: str = "") -> None:
    """Flush, turning a database rule the checks above missed (a concurrent save) into a message."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Invalid({field: message}) from None


# Schools


def list_schools(actor) -> list[School]:
    """District admins see every school of the district; everyone else the schools they belong to."""
    query = select(School).order_by(School.name)
    if actor.role != "district_admin":
        query = query.where(School.id.in_(actor.school_ids or {-1}))
    return list(db.session.scalars(query))


def managed_schools(actor) -> list[School]:
    """Structure managers: the schools they manage. NotFound for everyone else."""
    _require(can_manage_structure(actor))
    query = select(School).order_by(School.name)
    if not is_district_wide(actor):
        query = query.where(School.id.in_(actor.school_ids or {-1}))
    return list(db.session.scalars(query))


def get_school(actor, school_id: int) -> School:
    """A school the actor manages; NotFound otherwise (another district's id included)."""
    school = db.session.get(School, school_id)
    if school is None or school.district_id != actor.district_id or not can_manage_school(actor, school.id):
        raise NotFound()
    return school


def get_editable_school(actor, school_id: int) -> School:
    """District admins: a school to edit; NotFound for everyone else."""
    school = get_school(actor, school_id)
    _require(can_edit_school(actor))
    return school


def update_school(actor, school_id: int, name: str, code: str, grade_low: int, grade_high: int) -> School:
    """District admins. Raises Invalid per field (empty name or code, taken code, reversed grades)."""
    school = get_editable_school(actor, school_id)
    name, code = (name or "").strip(), (code or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Enter the school's name.")
    if not code:
        errors["code"] = _("Enter a short code for the school.")
    elif other := db.session.scalar(select(School.name).where(School.code == code, School.id != school.id)):
        errors["code"] = _("The code %(code)s is already used by %(school)s.", code=code, school=other)
    if grade_low > grade_high:
        errors["grade_high"] = _("The highest grade cannot be below the lowest grade.")
    if errors:
        raise Invalid(errors)
    school.name, school.code, school.grade_low, school.grade_high = name[:200], code[:40], grade_low, grade_high
    record_event(actor, "school.updated", "school", school.id, name=school.name, code=school.code)
    db.session.commit()
    return school


# Academic years and terms


def list_years(actor) -> list[AcademicYear]:
    """Structure managers (school admins read only). Newest first."""
    _require(can_manage_structure(actor))
    return list(db.session.scalars(select(AcademicYear).order_by(AcademicYear.starts_on.desc())))


def terms_by_year(actor, year_ids: list[int]) -> dict[int, list[Term]]:
    _require(can_manage_structure(actor))
    result: dict[int, list[Term]] = {year_id: [] for year_id in year_ids}
    query = select(Term).where(Term.academic_year_id.in_(year_ids or [-1])).order_by(Term.starts_on)
    for term in db.session.scalars(query):
        result[term.academic_year_id].append(term)
    return result


def get_year(actor, year_id: int) -> AcademicYear:
    """A year of the actor's district, for structure managers; NotFound otherwise."""
    _require(can_manage_structure(actor))
    year = db.session.get(AcademicYear, year_id) if year_id else None
    if year is None or year.district_id != actor.district_id:
        raise NotFound()
    return year


def current_year(actor) -> AcademicYear | None:
    """The year marked current, else the latest one that has started, else the earliest."""
    _require(can_manage_structure(actor))
    year = db.session.scalar(select(AcademicYear).where(AcademicYear.is_current))
    if year is None:
        year = db.session.scalar(
            select(AcademicYear).where(AcademicYear.starts_on <= date.today()).order_by(AcademicYear.starts_on.desc())
        ) or db.session.scalar(select(AcademicYear).order_by(AcademicYear.starts_on))
    return year


def _check_dates(starts_on: date | None, ends_on: date | None) -> dict[str, str]:
    errors = {}
    if starts_on is None:
        errors["starts_on"] = _("Enter the first day as a date.")
    if ends_on is None:
        errors["ends_on"] = _("Enter the last day as a date.")
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = _("The last day must be after the first day (%(start)s).", start=_day(starts_on))
    return errors


def _first_overlap(model, starts_on: date, ends_on: date, exclude_id: int | None, *scope):
    """The earliest year or term (within `scope`) whose dates share a day with starts_on..ends_on."""
    return db.session.scalar(
        select(model)
        .where(*scope, model.id != (exclude_id or -1), model.starts_on <= ends_on, model.ends_on >= starts_on)
        .order_by(model.starts_on)
    )


def _check_year(name: str, starts_on: date | None, ends_on: date | None, year_id: int | None) -> None:
    errors = _check_dates(starts_on, ends_on)
    if not name:
        errors["name"] = _("Enter a name, for example 2026-27.")
    elif db.session.scalar(
        select(AcademicYear.id).where(AcademicYear.name == name, AcademicYear.id != (year_id or -1))
    ):
        errors["name"] = _("There is already a year named %(name)s.", name=name)
    if not errors:
        other = _first_overlap(AcademicYear, starts_on, ends_on, year_id)
        if other is not None:
            errors["starts_on"] = _(
                "These dates overlap the year %(name)s (%(start)s to %(end)s). Years may not overlap.",
                name=other.name,
                start=_day(other.starts_on),
                end=_day(other.ends_on),
            )
    if year_id is not None and not errors:
        outside = db.session.scalar(
            select(Term)
            .where(Term.academic_year_id == year_id, (Term.starts_on < starts_on) | (Term.ends_on > ends_on))
            .order_by(Term.starts_on)
        )
        if outside is not None:
            errors["starts_on"] = _(
                "The term %(term)s (%(start)s to %(end)s) would fall outside the year. Change the term first.",
                term=outside.name,
                start=_day(outside.starts_on),
                end=_day(outside.ends_on),
            )
    if errors:
        raise Invalid(errors)


def _make_current(year: AcademicYear) -> None:
    # The partial unique index allows one current year: clear the others before setting this one.
    db.session.execute(
        update(AcademicYear).where(AcademicYear.is_current, AcademicYear.id != year.id).values(is_current=False)
    )
    db.session.flush()
    year.is_current = True


def create_year(actor, name: str, starts_on: date | None, ends_on: date | None, is_current: bool = False):
    """District admins. Raises Invalid naming the overlapping year, a taken name or reversed dates."""
    _require(can_manage_years(actor))
    name = (name or "").strip()[:60]
    _check_year(name, starts_on, ends_on, None)
    year = AcademicYear(district_id=actor.district_id, name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(year)
    _flush(_("These dates overlap another year. Reload the page and check the list of years."), "starts_on")
    if is_current:
        _make_current(year)
    record_event(actor, "academic_year.created", "academic_year", year.id, name=name)
    db.session.commit()
    return year


def update_year(actor, year_id: int, name: str, starts_on: date | None, ends_on: date | None) -> AcademicYear:
    """District admins. Raises Invalid as create_year does, and when a term would fall outside the year."""
    year = get_year(actor, year_id)
    _require(can_manage_years(actor))
    name = (name or "").strip()[:60]
    _check_year(name, starts_on, ends_on, year.id)
    year.name, year.starts_on, year.ends_on = name, starts_on, ends_on
    _flush(_("These dates overlap another year. Reload the page and check the list of years."), "starts_on")
    record_event(actor, "academic_year.updated", "academic_year", year.id, name=name)
    db.session.commit()
    return year


def set_current_year(actor, year_id: int) -> AcademicYear:
    """District admins. Marks one year current (the others stop being current)."""
    year = get_year(actor, year_id)
    _require(can_manage_years(actor))
    _make_current(year)
    record_event(actor, "academic_year.made_current", "academic_year", year.id, name=year.name)
    db.session.commit()
    return year


def get_term(actor, term_id: int) -> Term:
    _require(can_manage_structure(actor))
    term = db.session.get(Term, term_id)
    if term is None or term.district_id != actor.district_id:
        raise NotFound()
    return term


def _check_term(year: AcademicYear, name: str, starts_on: date | None, ends_on: date | None, term_id: int | None):
    errors = _check_dates(starts_on, ends_on)
    if not name:
        errors["name"] = _("Enter a name, for example Fall semester.")
    elif db.session.scalar(
        select(Term.id).where(Term.academic_year_id == year.id, Term.name == name, Term.id != (term_id or -1))
    ):
        errors["name"] = _("%(year)s already has a term named %(name)s.", year=year.name, name=name)
    if not errors and (starts_on < year.starts_on or ends_on > year.ends_on):
        errors["starts_on" if starts_on < year.starts_on else "ends_on"] = _(
            "A term must lie inside its year: %(year)s runs from %(start)s to %(end)s.",
            year=year.name,
            start=_day(year.starts_on),
            end=_day(year.ends_on),
        )
    if not errors:
        other = _first_overlap(Term, starts_on, ends_on, term_id, Term.academic_year_id == year.id)
        if other is not None:
            errors["starts_on"] = _(
                "These dates overlap the term %(name)s (%(start)s to %(end)s). Terms of a year may not overlap.",
                name=other.name,
                start=_day(other.starts_on),
                end=_day(other.ends_on),
            )
    if errors:
        raise Invalid(errors)


def create_term(actor, year_id: int, name: str, starts_on: date | None, ends_on: date | None) -> Term:
    """District admins. Raises Invalid when the term leaves its year or overlaps a sibling (named)."""
    year = get_year(actor, year_id)
    _require(can_manage_years(actor))
    name = (name or "").strip()[:60]
    _check_term(year, name, starts_on, ends_on, None)
    term = Term(
        district_id=actor.district_id, academic_year_id=year.id, name=name, starts_on=starts_on, ends_on=ends_on
    )
    db.session.add(term)
    _flush(_("These dates overlap another term. Reload the page and check the terms."), "starts_on")
    record_event(actor, "term.created", "term", term.id, name=name, academic_year_id=year.id)
    db.session.commit()
    return term


def update_term(actor, term_id: int, name: str, starts_on: date | None, ends_on: date | None) -> Term:
    """District admins. Raises Invalid as create_term does."""
    term = get_term(actor, term_id)
    _require(can_manage_years(actor))
    year = get_year(actor, term.academic_year_id)
    name = (name or "").strip()[:60]
    _check_term(year, name, starts_on, ends_on, term.id)
    term.name, term.starts_on, term.ends_on = name, starts_on, ends_on
    _flush(_("These dates overlap another term. Reload the page and check the terms."), "starts_on")
    record_event(actor, "term.updated", "term", term.id, name=name)
    db.session.commit()
    return term


# Courses


def list_courses(actor, school_id: int, year_id: int | None) -> list[Course]:
    """Managers of the school: its courses of one year, by code."""
    school = get_school(actor, school_id)
    query = select(Course).where(Course.school_id == school.id, Course.academic_year_id == year_id)
    return list(db.session.scalars(query.order_by(Course.code)))


def get_course(actor, course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or course.district_id != actor.district_id or not can_manage_school(actor, course.school_id):
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
    _flush(_("The code %(code)s is already used in this school and year.", code=code), "code")
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
    _flush(_("The code %(code)s is already used in this school and year.", code=code), "code")
    record_event(actor, "course.updated", "course", course.id, code=code)
    db.session.commit()
    return course


# Sections


def school_teachers(actor, school_id: int) -> list[User]:
    school = get_school(actor, school_id)
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == school.id, Membership.role == "teacher", User.is_active)
        .distinct()
        .order_by(User.display_name)
    )
    return list(db.session.scalars(query))


def list_sections(actor, school_id: int, year_id: int | None = None, term_id: int | None = None, page: int = 1):
    """Managers of the school. One page of (section, course, term, teacher names) and the total count."""
    school = get_school(actor, school_id)
    query = (
        select(Section, Course, Term)
        .join(Course, Course.id == Section.course_id)
        .join(Term, Term.id == Section.term_id)
        .where(Section.school_id == school.id)
    )
    if year_id:
        query = query.where(Term.academic_year_id == year_id)
    if term_id:
        query = query.where(Section.term_id == term_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(Term.starts_on, Course.code, Section.name, Section.id)
        .limit(SECTIONS_PER_PAGE)
        .offset((max(page, 1) - 1) * SECTIONS_PER_PAGE)
    ).all()
    names = _teacher_names([row[0].id for row in rows])
    return [(section, course, term, names.get(section.id, [])) for section, course, term in rows], total


def _teacher_names(section_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    query = (
        select(SectionTeacher.section_id, User.display_name)
        .join(User, User.id == SectionTeacher.teacher_id)
        .where(SectionTeacher.section_id.in_(section_ids or [-1]))
        .order_by(SectionTeacher.is_primary.desc(), User.display_name)
    )
    for section_id, name in db.session.execute(query):
        result.setdefault(section_id, []).append(name)
    return result


def get_section(actor, section_id: int) -> Section:
    """A section of a school the actor manages (archived ones included, to view); NotFound otherwise."""
    section = db.session.get(Section, section_id)
    if section is None or section.district_id != actor.district_id or not can_manage_school(actor, section.school_id):
        raise NotFound()
    return section


def section_details(actor, section_id: int) -> dict:
    """The section with its course, term, year and teacher ids, and whether the actor may edit it."""
    section = get_section(actor, section_id)
    course = db.session.get(Course, section.course_id)
    term = db.session.get(Term, section.term_id)
    teacher_ids = list(
        db.session.scalars(select(SectionTeacher.teacher_id).where(SectionTeacher.section_id == section.id))
    )
    return {
        "section": section,
        "course": course,
        "term": term,
        "year": db.session.get(AcademicYear, term.academic_year_id),
        "teacher_ids": teacher_ids,
        "teacher_names": _teacher_names([section.id]).get(section.id, []),
        "can_edit": can_edit_section(actor, section),
    }


def section_choices(actor, school_id: int) -> dict:
    """What the section form offers: the school's courses and teachers, and the district's terms by year."""
    school = get_school(actor, school_id)
    courses = db.session.execute(
        select(Course, AcademicYear.name)
        .join(AcademicYear, AcademicYear.id == Course.academic_year_id)
        .where(Course.school_id == school.id, Course.is_active, ~AcademicYear.is_archived)
        .order_by(AcademicYear.starts_on.desc(), Course.code)
    ).all()
    terms = db.session.execute(
        select(Term, AcademicYear.name)
        .join(AcademicYear, AcademicYear.id == Term.academic_year_id)
        .where(~AcademicYear.is_archived)
        .order_by(AcademicYear.starts_on.desc(), Term.starts_on)
    ).all()
    return {"courses": courses, "terms": terms, "teachers": school_teachers(actor, school.id)}


def _check_section(actor, school_id: int, course_id, term_id, teacher_ids: list[int], name: str):
    errors: dict[str, str] = {}
    course = db.session.get(Course, course_id) if course_id else None
    term = db.session.get(Term, term_id) if term_id else None
    if course is None or course.school_id != school_id:
        errors["course_id"] = _("Choose a course of this school.")
    if term is None:
        errors["term_id"] = _("Choose a term.")
    mismatch = course is not None and term is not None and course.academic_year_id != term.academic_year_id
    if mismatch and course.school_id == school_id:
        course_year = db.session.get(AcademicYear, course.academic_year_id) if course.academic_year_id else None
        term_year = db.session.get(AcademicYear, term.academic_year_id)
        errors["term_id"] = _(
            "The term %(term)s is in %(term_year)s, but the course %(course)s is in %(course_year)s. "
            "Choose a term of %(course_year)s.",
            term=term.name,
            term_year=term_year.name,
            course=course.code,
            course_year=course_year.name if course_year else _("no year"),
        )
    allowed = {teacher.id for teacher in school_teachers(actor, school_id)}
    if not teacher_ids:
        errors["teacher_ids"] = _("Choose at least one teacher.")
    elif not set(teacher_ids) <= allowed:
        errors["teacher_ids"] = _("Choose teachers of this school only.")
    if not name and course is None:
        errors["name"] = _("Enter a name for the section.")
    if errors:
        raise Invalid(errors)
    return course, term


def _set_teachers(actor, section: Section, teacher_ids: list[int]) -> None:
    db.session.execute(
        delete(SectionTeacher).where(
            SectionTeacher.section_id == section.id, SectionTeacher.teacher_id.not_in(teacher_ids)
        )
    )
    existing = set(db.session.scalars(select(SectionTeacher.teacher_id).where(SectionTeacher.section_id == section.id)))
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


def _section_name(name: str, course: Course, period: str) -> str:
    if name:
        return name[:200]
    return (f"{course.name} ({period})" if period else course.name)[:200]


def create_section(
    actor, school_id: int, course_id, term_id, teacher_ids: list[int], name: str, period: str, room: str
) -> Section:
    """Managers of the school. Raises Invalid when the term's year is not the course's, or teachers are
    missing or from elsewhere."""
    school = get_school(actor, school_id)
    name, period, room = (name or "").strip(), (period or "").strip()[:40], (room or "").strip()[:40]
    course, term = _check_section(actor, school.id, course_id, term_id, teacher_ids, name)
    section = Section(
        district_id=actor.district_id,
        school_id=school.id,
        course_id=course.id,
        term_id=term.id,
        name=_section_name(name, course, period),
        period=period or None,
        room=room or None,
    )
    db.session.add(section)
    db.session.flush()
    _set_teachers(actor, section, teacher_ids)
    record_event(actor, "section.created", "section", section.id, course_id=course.id, term_id=term.id)
    db.session.commit()
    return section


def update_section(
    actor, section_id: int, course_id, term_id, teacher_ids: list[int], name: str, period: str, room: str
) -> Section:
    """Managers of the section's school; archived sections refuse edits (Invalid)."""
    section = get_section(actor, section_id)
    if not can_edit_section(actor, section):
        raise Invalid({"": _("This section is archived and can no longer be changed.")})
    name, period, room = (name or "").strip(), (period or "").strip()[:40], (room or "").strip()[:40]
    course, term = _check_section(actor, section.school_id, course_id, term_id, teacher_ids, name)
    section.course_id, section.term_id = course.id, term.id
    section.name, section.period, section.room = _section_name(name, course, period), period or None, room or None
    _set_teachers(actor, section, teacher_ids)
    record_event(actor, "section.updated", "section", section.id, course_id=course.id, term_id=term.id)
    db.session.commit()
    return section


# Page data


def years_overview(actor) -> dict:
    """Structure managers: every year with its terms, and whether the actor may change them."""
    years = list_years(actor)
    return {"years": years, "terms": terms_by_year(actor, [y.id for y in years]), "can_edit": can_manage_years(actor)}


def year_overview(actor, year_id: int) -> dict:
    year = get_year(actor, year_id)
    return {"year": year, "terms": terms_by_year(actor, [year.id])[year.id], "can_edit": can_manage_years(actor)}


def _pick_year(actor, year_id: int | None) -> AcademicYear | None:
    if year_id:
        return get_year(actor, year_id)
    return current_year(actor)


def courses_overview(actor, school_id: int, year_id: int | None) -> dict:
    """Managers of the school: its courses in the chosen year (the current one by default)."""
    school = get_school(actor, school_id)
    year = _pick_year(actor, year_id)
    return {
        "school": school,
        "years": list_years(actor),
        "year": year,
        "courses": list_courses(actor, school.id, year.id) if year else [],
        "can_add": year is not None and not year.is_archived,
    }


def sections_overview(actor, school_id: int, year_id: int | None, term_id: int | None, page: int) -> dict:
    """Managers of the school: one page of its sections in the chosen year and term."""
    school = get_school(actor, school_id)
    year = _pick_year(actor, year_id)
    terms = terms_by_year(actor, [year.id])[year.id] if year else []
    if term_id not in {term.id for term in terms}:
        term_id = None
    rows, total = list_sections(actor, school.id, year.id if year else -1, term_id, page) if year else ([], 0)
    return {
        "school": school,
        "years": list_years(actor),
        "year": year,
        "terms": terms,
        "term_id": term_id,
        "rows": rows,
        "total": total,
        "per_page": SECTIONS_PER_PAGE,
    }


# Year rollover
