"""Sections as their teachers and admins see them: the one scoped getter, my sections, a section's roster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app import db
from app.accounts import services as accounts
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


def active_counts(section_ids) -> dict[int, int]:
    ids = list(set(section_ids))
    if not ids:
        return {}
    query = (
        select(Enrollment.section_id, func.count())
        .where(Enrollment.section_id.in_(ids), Enrollment.dropped_on.is_(None))
        .group_by(Enrollment.section_id)
    )
    return dict(db.session.execute(query).tuples().all())


def section_rows(sections: list[Section]) -> list[SectionRow]:
    """Sections with term, school and active student count: current before archived, newest term first."""
    terms = org.terms_by_id(s.term_id for s in sections)
    schools = org.school_names(s.school_id for s in sections)
    counts = active_counts(s.id for s in sections)
    far_past = date.min

    def order(section: Section):
        term = terms.get(section.term_id)
        starts = term.starts_on if term else far_past
        return (section.is_archived, -starts.toordinal(), section.name, section.id)

    return [
        SectionRow(
            section,
            terms[section.term_id].name if section.term_id in terms else "",
            schools.get(section.school_id, ""),
            counts.get(section.id, 0),
        )
        for section in sorted(sections, key=order)
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
    return section_rows(list(db.session.scalars(select(Section).where(Section.id.in_(taught)))))


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
    return section_rows(list(db.session.scalars(query)))


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
    (row,) = section_rows([section])
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
    return Roster(
        row,
        students,
        teacher_names([section.id]).get(section.id, []),
        policy.can_edit_section_roster(actor, section.school_id, section.is_archived),
    )
