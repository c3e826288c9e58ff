"""Sections as their teachers and admins see them: the one scoped getter, my sections, a section's roster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app import db
from app.accounts import services as accounts
from app.audit import services as audit
from app.errors import NotFound
from app.identity.data import schools_where
from app.org import services as org
from app.rosters import policy
from app.rosters.models import Enrollment, Section, SectionTeacher


@dataclass(frozen=True)
class SectionRow:
    section: Section
    term_name: str
    school_name: str
    student_count: int

    @property
    def label(self) -> str:
        return section_label(self.section)


def section_label(section: Section) -> str:
    return f"{section.name} \u2013 {section.period}" if section.period else section.name


def _with_counts(query) -> list[tuple[Section, int]]:
    active = (
        select(func.count())
        .where(Enrollment.section_id == Section.id, Enrollment.dropped_on.is_(None))
        .correlate(Section)
        .scalar_subquery()
    )
    return list(db.session.execute(query.add_columns(active)).tuples())


def section_rows(counted: list[tuple[Section, int]]) -> list[SectionRow]:
    """(section, active students) pairs with term and school names: current before archived, newest term first."""
    terms, schools = org.term_and_school_names((s.term_id for s, _n in counted), (s.school_id for s, _n in counted))
    far_past = date.min

    def order(pair):
        section = pair[0]
        starts = terms.get(section.term_id, ("", far_past))[1] or far_past
        return (section.is_archived, -starts.toordinal(), section.name, section.id)

    return [
        SectionRow(section, terms.get(section.term_id, ("", None))[0], schools.get(section.school_id, ""), count)
        for section, count in sorted(counted, key=order)
    ]


def teacher_ids_of(section_id: int) -> list[int]:
    return list(db.session.scalars(select(SectionTeacher.teacher_id).where(SectionTeacher.section_id == section_id)))


def teacher_names(section_ids) -> dict[int, list[str]]:
    """section id -> its teachers' names, primary teacher first."""
    ids = list(set(section_ids))
    pairs = list(
        db.session.execute(
            select(SectionTeacher.section_id, SectionTeacher.teacher_id, SectionTeacher.is_primary).where(
                SectionTeacher.section_id.in_(ids or [-1])
            )
        ).tuples()
    )
    names = accounts.names_by_id(teacher for _s, teacher, _p in pairs)
    result: dict[int, list[tuple]] = {}
    for section_id, teacher_id, primary in pairs:
        result.setdefault(section_id, []).append((not primary, names.get(teacher_id, ""), teacher_id))
    return {section_id: [name for _p, name, _id in sorted(found)] for section_id, found in result.items()}


def get_section(actor, section_id: int) -> Section:
    """The one scoped getter for sections: its teachers and admins of its school; NotFound for anyone else."""
    section = db.scoped_get(actor, Section, section_id)
    if section is None or not policy.can_view_section(actor, section.school_id, teacher_ids_of(section.id)):
        raise NotFound()
    return section


def my_sections(actor) -> list[SectionRow]:
    """Teachers (sections.teach): the sections they teach, current before archived, with student counts."""
    if not policy.can_teach(actor):
        raise NotFound()
    taught = select(SectionTeacher.section_id).where(SectionTeacher.teacher_id == actor.id)
    return section_rows(_with_counts(select(Section).where(Section.id.in_(taught))))


def sections_for_actions(actor, school_id: int | None = None) -> list[SectionRow]:
    """Roster managers: the open (non-archived) sections of one school in their scope, the targets of enroll
    and move. A district has thousands of sections, so without a school (district admins who have not
    filtered by one) there are none to offer rather than a dropdown nobody can use."""
    if not policy.can_manage_rosters(actor):
        return []
    managed = schools_where(actor, "rosters.manage")
    if school_id is None and managed is not None and len(managed) == 1:
        school_id = next(iter(managed))
    if school_id is None or not policy.can_manage_rosters_at(actor, school_id):
        return []
    query = select(Section).where(Section.is_archived.is_(False), Section.school_id == school_id)
    return section_rows(_with_counts(query))


@dataclass(frozen=True)
class Roster:
    section: SectionRow
    students: list[tuple]
    teachers: list[str]
    can_edit: bool


def _by_name(user) -> tuple:
    return (user.family_name or "", user.given_name or "", user.display_name or "", user.id)


def section_roster(actor, section_id: int) -> Roster:
    """Its teachers and admins in scope: the active students of a section, by name. Raises NotFound."""
    section = get_section(actor, section_id)
    (row,) = section_rows(_with_counts(select(Section).where(Section.id == section.id)))
    enrolled = dict(
        db.session.execute(
            select(Enrollment.student_id, Enrollment.added_on).where(
                Enrollment.section_id == section.id, Enrollment.dropped_on.is_(None)
            )
        )
        .tuples()
        .all()
    )
    people = accounts.users_by_id(enrolled)
    students = [(user, enrolled[user.id]) for user in sorted(people.values(), key=_by_name)]
    seen = [user.id for user, _added in students]
    audit.record_accesses(actor, seen, "section.roster", "instruction", f"section {section.id}")
    return Roster(
        row,
        students,
        teacher_names([section.id]).get(section.id, []),
        policy.can_edit_section_roster(actor, section.school_id, section.is_archived),
    )


def taught_course_ids(actor, include_archived: bool = False) -> set[int]:
    """The courses of the sections the actor teaches (open ones unless include_archived)."""
    query = (
        select(Section.course_id)
        .join(SectionTeacher, SectionTeacher.section_id == Section.id)
        .where(SectionTeacher.teacher_id == actor.id)
    )
    if not include_archived:
        query = query.where(Section.is_archived.is_(False))
    return set(db.session.scalars(query))


def co_teach(teacher_id: int, other_id: int, course_id: int) -> bool:
    """Whether the two teach a section of this course together (the same person counts as co-teaching)."""
    if teacher_id == other_id:
        return True
    mine = select(SectionTeacher.section_id).where(SectionTeacher.teacher_id == teacher_id)
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(SectionTeacher)
            .join(Section, Section.id == SectionTeacher.section_id)
            .where(Section.course_id == course_id, SectionTeacher.teacher_id == other_id, Section.id.in_(mine))
        )
    )


def teaches_section(actor, section_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(func.count()).where(SectionTeacher.section_id == section_id, SectionTeacher.teacher_id == actor.id)
        )
    )


def sections_of_course_taught(actor, course_id: int) -> list[SectionRow]:
    """The actor's open sections of one course, for scheduling a lesson into them."""
    taught = select(SectionTeacher.section_id).where(SectionTeacher.teacher_id == actor.id)
    query = select(Section).where(
        Section.id.in_(taught), Section.course_id == course_id, Section.is_archived.is_(False)
    )
    return section_rows(_with_counts(query))


def co_teachers_by_course(actor) -> dict[int, set[int]]:
    """course id -> the teachers (the actor included) of the open sections of that course the actor teaches."""
    mine = select(SectionTeacher.section_id).where(SectionTeacher.teacher_id == actor.id)
    rows = db.session.execute(
        select(Section.course_id, SectionTeacher.teacher_id)
        .join(SectionTeacher, SectionTeacher.section_id == Section.id)
        .where(Section.id.in_(mine), Section.is_archived.is_(False))
    )
    result: dict[int, set[int]] = {}
    for course_id, teacher_id in rows:
        result.setdefault(course_id, set()).add(teacher_id)
    return result


def open_sections_of_course(actor, course_id: int, school_id: int | None) -> list[Section]:
    """The open sections of a course that the actor may see: every one for the school's roster managers and
    viewers, else the ones they teach (a course's standards coverage reads their plans)."""
    query = select(Section).where(Section.course_id == course_id, Section.is_archived.is_(False))
    sees_all = school_id is not None and (
        policy.can_manage_rosters_at(actor, school_id) or policy.can_view_section(actor, school_id, ())
    )
    if not sees_all:
        query = query.where(
            Section.id.in_(select(SectionTeacher.section_id).where(SectionTeacher.teacher_id == actor.id))
        )
    return list(db.session.scalars(query.order_by(Section.name, Section.period, Section.id)))
