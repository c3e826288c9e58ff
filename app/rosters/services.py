"""Rosters: enrollments, guardian links, the people directory, bulk actions and the roster pages."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, exists, func, or_, select, text, update

from app import db
from app.accounts.models import GuardianLink, Membership, User
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.org.models import School, Term
from app.org.services import list_schools
from app.rosters import policy
from app.rosters.models import Enrollment, Section, SectionTeacher

PER_PAGE = 50
COUNT_CAP = 1000
MAX_BULK = 1000
RELATIONSHIPS = ("parent", "guardian", "grandparent", "relative", "foster parent", "other")
BULK_ACTIONS = ("enroll", "move", "drop", "deactivate", "export")
# Spreadsheet apps run a cell starting with these as a formula (CSV injection); tab and CR are OWASP's extras.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters that mean something to the tsquery parser; user input never reaches it with them.
_TSQUERY_SPECIAL = re.compile(r"[&|!():*<>'\\\"]")


# --- reads shared by the pages ---------------------------------------------------------------------------------


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


def _section_rows(query) -> list[SectionRow]:
    active = (
        select(func.count())
        .where(Enrollment.section_id == Section.id, Enrollment.dropped_on.is_(None))
        .correlate(Section)
        .scalar_subquery()
    )
    rows = db.session.execute(
        query.add_columns(Term.name, School.name, active)
        .join(Term, Term.id == Section.term_id)
        .join(School, School.id == Section.school_id)
        .order_by(Section.is_archived, Term.starts_on.desc(), Section.name, Section.id)
    )
    return [SectionRow(section, term, school, count) for section, term, school, count in rows]


def my_sections(actor) -> list[SectionRow]:
    """Teachers (sections.teach): the sections they teach, current before archived, with student counts."""
    if not policy.can_teach(actor):
        raise NotFound()
    taught = select(SectionTeacher.section_id).where(SectionTeacher.teacher_id == actor.id)
    return _section_rows(select(Section).where(Section.id.in_(taught)))


def sections_for_actions(actor, school_id: int | None = None) -> list[SectionRow]:
    """Roster managers: the open (non-archived) sections of one school in their scope, the targets of enroll
    and move. A district has thousands of sections, so without a school (district admins who have not
    filtered by one) there are none to offer rather than a dropdown nobody can use."""
    if not policy.can_manage_rosters(actor):
        return []
    if school_id is None and not policy.is_district_wide(actor) and len(actor.school_ids) == 1:
        school_id = next(iter(actor.school_ids))
    if school_id is None:
        return []
    if not policy.is_district_wide(actor) and school_id not in actor.school_ids:
        return []
    query = select(Section).where(Section.is_archived.is_(False), Section.school_id == school_id)
    return _section_rows(query)


def get_section(actor, section_id: int) -> Section:
    """The one scoped getter for sections: its teachers and admins of its school; NotFound for anyone else."""
    # A query rather than session.get: the identity map would skip the row-level security check.
    section = db.session.scalar(select(Section).where(Section.id == section_id))
    if section is None:
        raise NotFound()
    teachers = db.session.scalars(select(SectionTeacher.teacher_id).where(SectionTeacher.section_id == section.id))
    if not policy.can_view_section(actor, section.school_id, list(teachers)):
        raise NotFound()
    return section


@dataclass(frozen=True)
class Roster:
    section: SectionRow
    students: list[tuple[User, date]]
    teachers: list[str]
    can_edit: bool


def section_roster(actor, section_id: int) -> Roster:
    """Its teachers and admins in scope: the active students of a section, by name. Raises NotFound."""
    section = get_section(actor, section_id)
    (row,) = _section_rows(select(Section).where(Section.id == section.id))
    students = db.session.execute(
        select(User, Enrollment.added_on)
        .join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.section_id == section.id, Enrollment.dropped_on.is_(None))
        .order_by(User.family_name, User.given_name, User.display_name, User.id)
    ).tuples()
    teachers = db.session.scalars(
        select(User.display_name)
        .join(SectionTeacher, SectionTeacher.teacher_id == User.id)
        .where(SectionTeacher.section_id == section.id)
        .order_by(SectionTeacher.is_primary.desc(), User.display_name)
    )
    return Roster(
        row,
        list(students),
        list(teachers),
        policy.can_edit_section_roster(actor, section.school_id, section.is_archived),
    )


# --- enrollments -------------------------------------------------------------------------------------------------


def _student_in_school(student_id: int, school_id: int) -> User | None:
    return db.session.scalar(
        select(User).where(
            User.id == student_id,
            exists().where(
                Membership.user_id == User.id, Membership.role == "student", Membership.school_id == school_id
            ),
        )
    )


def _active_enrollment(section_id: int, student_id: int) -> Enrollment | None:
    return db.session.scalar(
        select(Enrollment).where(
            Enrollment.section_id == section_id, Enrollment.student_id == student_id, Enrollment.dropped_on.is_(None)
        )
    )


def _editable_section(actor, section_id: int) -> Section:
    section = get_section(actor, section_id)
    if not policy.can_manage_rosters(actor) or not policy.in_school_scope(actor, [section.school_id]):
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


def _enroll(actor, section: Section, student_id: int, on: date) -> Enrollment:
    student = _student_in_school(student_id, section.school_id)
    if student is None:
        raise Invalid({"student_id": _("That person is not a student of this section's school.")})
    if _active_enrollment(section.id, student.id) is not None:
        raise Invalid(
            {
                "student_id": _(
                    "%(student)s is already enrolled in %(section)s.",
                    student=student.display_name,
                    section=section_label(section),
                )
            }
        )
    enrollment = Enrollment(district_id=section.district_id, section_id=section.id, student_id=student.id, added_on=on)
    db.session.add(enrollment)
    db.session.flush()
    record_event(actor, "enrollment.added", "section", section.id, student_id=student.id)
    return enrollment


def _drop(actor, section: Section, student_id: int, on: date) -> Enrollment:
    enrollment = _active_enrollment(section.id, student_id)
    if enrollment is None:
        raise Invalid({"student_id": _("That student is not enrolled in %(section)s.", section=section_label(section))})
    enrollment.dropped_on = max(on, enrollment.added_on)
    record_event(actor, "enrollment.dropped", "section", section.id, student_id=student_id)
    return enrollment


def enroll_student(actor, section_id: int, student_id: int, on: date | None = None) -> Enrollment:
    """Roster managers in the section's school. Raises Invalid for a second active enrollment, an archived
    section or a student of another school; NotFound outside scope."""
    section = _editable_section(actor, section_id)
    enrollment = _enroll(actor, section, student_id, on or date.today())
    db.session.commit()
    return enrollment


def drop_student(actor, section_id: int, student_id: int, on: date | None = None) -> Enrollment:
    """Roster managers. Sets dropped_on and keeps the row as history. Raises Invalid if not enrolled."""
    section = _editable_section(actor, section_id)
    enrollment = _drop(actor, section, student_id, on or date.today())
    db.session.commit()
    return enrollment


def move_student(actor, student_id: int, from_section_id: int, to_section_id: int, on: date | None = None):
    """Roster managers. Drop from one section and enroll in another in one transaction (both or neither)."""
    if from_section_id == to_section_id:
        raise Invalid({"section_id": _("Choose a different section to move to.")})
    source = _editable_section(actor, from_section_id)
    target = _editable_section(actor, to_section_id)
    on = on or date.today()
    _drop(actor, source, student_id, on)
    enrollment = _enroll(actor, target, student_id, on)
    db.session.commit()
    return enrollment


def enrollment_history(actor, student_id: int) -> list[tuple[Enrollment, str]]:
    """Whoever may see the student: every enrollment, active and dropped, newest first, with section labels."""
    get_student(actor, student_id)
    rows = db.session.execute(
        select(Enrollment, Section)
        .join(Section, Section.id == Enrollment.section_id)
        .where(Enrollment.student_id == student_id)
        .order_by(Enrollment.dropped_on.is_not(None), Enrollment.added_on.desc(), Enrollment.id.desc())
    ).tuples()
    return [(enrollment, section_label(section)) for enrollment, section in rows]


# --- guardians and students -------------------------------------------------------------------------------------


def _student_school_ids(student_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Membership.school_id).where(
                Membership.user_id == student_id, Membership.role == "student", Membership.school_id.is_not(None)
            )
        )
    )


def _is_student(user_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(Membership.user_id == user_id, Membership.role == "student"))))


def _teaches(actor, student_id: int) -> bool:
    return policy.can_teach(actor) and bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrollment.student_id == student_id,
                    Enrollment.dropped_on.is_(None),
                    SectionTeacher.section_id == Enrollment.section_id,
                    SectionTeacher.teacher_id == actor.id,
                )
            )
        )
    )


@dataclass(frozen=True)
class StudentDetail:
    student: User
    schools: list[str]
    link: GuardianLink | None
    sees_grades: bool
    guardians: list[tuple[User, GuardianLink]] = field(default_factory=list)
    sections: list[tuple[Enrollment, str]] = field(default_factory=list)
    is_staff_view: bool = False
    can_manage: bool = False


def get_student(actor, student_id: int) -> User:
    """The one scoped getter for a student record: the student, linked guardians, their teachers, and admins
    of one of the student's schools. Everyone else (an unlinked guardian, another district) gets NotFound."""
    student = db.session.scalar(select(User).where(User.id == student_id))
    if student is None or not _is_student(student.id):
        raise NotFound()
    if actor.id == student.id:
        return student
    if policy.can_view_own_students(actor) and _guardian_link(actor.id, student.id) is not None:
        return student
    staff = policy.can_view_people(actor) or policy.can_manage_rosters(actor)
    if staff and policy.in_school_scope(actor, _student_school_ids(student.id)):
        return student
    if _teaches(actor, student.id):
        return student
    raise NotFound()


def _guardian_link(guardian_id: int, student_id: int) -> GuardianLink | None:
    return db.session.scalar(
        select(GuardianLink).where(GuardianLink.guardian_id == guardian_id, GuardianLink.student_id == student_id)
    )


def student_detail(actor, student_id: int) -> StudentDetail:
    """Whoever get_student allows. A guardian gets their own link and whether grades are visible to them."""
    student = get_student(actor, student_id)
    schools = list(
        db.session.scalars(
            select(School.name).where(School.id.in_(_student_school_ids(student.id) or [-1])).order_by(School.name)
        )
    )
    link = _guardian_link(actor.id, student.id)
    sees = link is not None and policy.guardian_sees_grades(link.can_see_grades, student.holds_own_rights)
    is_staff = actor.id != student.id and link is None
    guardians = []
    if is_staff:
        guardians = list(
            db.session.execute(
                select(User, GuardianLink)
                .join(GuardianLink, GuardianLink.guardian_id == User.id)
                .where(GuardianLink.student_id == student.id)
                .order_by(User.display_name, User.id)
            ).tuples()
        )
    sections = enrollment_history(actor, student.id) if is_staff or actor.id == student.id else []
    can_manage = is_staff and policy.can_manage_rosters(actor)
    return StudentDetail(student, schools, link, sees, guardians, sections, is_staff, can_manage)


@dataclass(frozen=True)
class LinkedStudent:
    student: User
    relationship: str
    schools: list[str]
    sees_grades: bool


def my_students(actor) -> list[LinkedStudent]:
    """Guardians (students.view_own): only their linked students, with schools and grade visibility."""
    if not policy.can_view_own_students(actor):
        raise NotFound()
    rows = list(
        db.session.execute(
            select(User, GuardianLink)
            .join(GuardianLink, GuardianLink.student_id == User.id)
            .where(GuardianLink.guardian_id == actor.id)
            .order_by(User.display_name, User.id)
        ).tuples()
    )
    schools: dict[int, list[str]] = {}
    if rows:
        for user_id, name in db.session.execute(
            select(Membership.user_id, School.name)
            .join(School, School.id == Membership.school_id)
            .where(Membership.user_id.in_([s.id for s, _link in rows]), Membership.role == "student")
            .order_by(School.name)
        ):
            schools.setdefault(user_id, []).append(name)
    return [
        LinkedStudent(
            student,
            link.relationship,
            schools.get(student.id, []),
            policy.guardian_sees_grades(link.can_see_grades, student.holds_own_rights),
        )
        for student, link in rows
    ]


def guardian_may_see_grades(guardian_id: int, student_id: int) -> bool:
    """For other domains (gradebook): a linked guardian with the flag, unless the student holds their own rights."""
    row = db.session.execute(
        select(GuardianLink.can_see_grades, User.holds_own_rights)
        .join(User, User.id == GuardianLink.student_id)
        .where(GuardianLink.guardian_id == guardian_id, GuardianLink.student_id == student_id)
    ).first()
    return row is not None and policy.guardian_sees_grades(row[0], row[1])


def _manageable_student(actor, student_id: int) -> User:
    student = get_student(actor, student_id)
    if not policy.can_manage_rosters(actor) or not policy.in_school_scope(actor, _student_school_ids(student.id)):
        raise NotFound()
    return student


def link_guardian(
    actor,
    guardian_id: int,
    student_id: int,
    relationship: str = "guardian",
    *,
    has_custody: bool = True,
    is_emergency_contact: bool = True,
    can_see_grades: bool = True,
    lives_with: bool = True,
) -> GuardianLink:
    """Roster managers of the student's school. Creates or updates the link; Invalid if the other person is
    not a guardian or the relationship is not one of RELATIONSHIPS."""
    student = _manageable_student(actor, student_id)
    is_guardian = db.session.scalar(
        select(exists().where(Membership.user_id == guardian_id, Membership.role == "guardian"))
    )
    if not is_guardian:
        raise Invalid({"guardian_id": _("Choose a person with a guardian account.")})
    if relationship not in RELATIONSHIPS:
        raise Invalid({"relationship": _("Choose a relationship from the list.")})
    link = _guardian_link(guardian_id, student.id)
    created = link is None
    if created:
        link = GuardianLink(district_id=student.district_id, guardian_id=guardian_id, student_id=student.id)
        db.session.add(link)
    link.relationship = relationship
    link.has_custody, link.is_emergency_contact = has_custody, is_emergency_contact
    link.can_see_grades, link.lives_with = can_see_grades, lives_with
    db.session.flush()
    record_event(
        actor,
        "guardian_link.created" if created else "guardian_link.updated",
        "user",
        student.id,
        guardian_id=guardian_id,
        can_see_grades=can_see_grades,
    )
    db.session.commit()
    return link


def link_guardian_by_email(actor, student_id: int, email: str, relationship: str, **flags) -> GuardianLink:
    """Roster managers of the student's school. Links the guardian account with this email (in the district);
    Invalid naming the email when there is none, so the admin knows to invite them first."""
    _manageable_student(actor, student_id)
    guardian_id = db.session.scalar(
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(func.lower(User.email) == email.strip().lower(), Membership.role == "guardian")
        .limit(1)
    )
    if guardian_id is None:
        raise Invalid(
            {"email": _("No guardian account uses %(email)s. Invite them with the role Guardian first.", email=email)}
        )
    return link_guardian(actor, guardian_id, student_id, relationship, **flags)


def unlink_guardian(actor, guardian_id: int, student_id: int) -> None:
    """Roster managers of the student's school. NotFound if there is no such link."""
    student = _manageable_student(actor, student_id)
    link = _guardian_link(guardian_id, student.id)
    if link is None:
        raise NotFound()
    db.session.delete(link)
    record_event(actor, "guardian_link.removed", "user", student.id, guardian_id=guardian_id)
    db.session.commit()


def set_holds_own_rights(actor, student_id: int, value: bool) -> User:
    """Roster managers of the student's school. A student holding their own rights hides grades from guardians."""
    student = _manageable_student(actor, student_id)
    student.holds_own_rights = value
    record_event(actor, "student.rights_changed", "user", student.id, holds_own_rights=value)
    db.session.commit()
    return student


# --- the directory ----------------------------------------------------------------------------------------------


def prefix_tsquery(raw: str) -> str | None:
    """A safe prefix tsquery ("'ann':* & 'lee@ex':*") from what the user typed, or None for nothing searchable.

    Operators are stripped and each word quoted, so no input can make the tsquery parser fail. It is cast
    with ::tsquery rather than passed through to_tsquery: that would re-split "ann.lee@ex" into parts and
    lose the prefix match on an email address, which the 'simple' vector keeps as one lexeme."""
    words = [w for w in (_TSQUERY_SPECIAL.sub(" ", word).strip().lower() for word in raw.split()) for w in w.split()]
    words = [w for w in words if w][:8]
    return " & ".join(f"'{w}':*" for w in words) or None


def _people_of_schools(school_ids) -> object:
    """Users with a membership in one of the schools, or guardians linked to a student of them."""
    ids = list(school_ids) or [-1]
    student_here = exists().where(
        Membership.user_id == GuardianLink.student_id, Membership.role == "student", Membership.school_id.in_(ids)
    )
    return or_(
        exists().where(Membership.user_id == User.id, Membership.school_id.in_(ids)),
        exists().where(GuardianLink.guardian_id == User.id, student_here),
    )


@dataclass(frozen=True)
class PersonRow:
    user: User
    roles: list[str]
    schools: list[str]


@dataclass(frozen=True)
class Directory:
    rows: list[PersonRow]
    total: int
    schools: list[School]
    # True when more people match than COUNT_CAP: the count stops there and the page says so.
    more: bool = False


def _directory_filter(actor):
    if not policy.can_view_people(actor):
        raise NotFound()
    if policy.is_district_wide(actor):
        return True
    return _people_of_schools(actor.school_ids)


def search_people(
    actor,
    q: str = "",
    role: str = "",
    school_id: int | None = None,
    grade: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Directory:
    """Admins with users.view (school admins: people of their schools). One query for the page with its total,
    one for the roles and schools of that page. Raises NotFound without the permission."""
    # RLS already limits rows to the district; saying so lets the planner use the column's statistics, which
    # it cannot do through the policy's setting.
    conditions = [_directory_filter(actor), User.district_id == actor.district_id]
    tsquery = prefix_tsquery(q)
    if tsquery:
        conditions.append(text("users.search_vector @@ cast(:tsq as tsquery)").bindparams(tsq=tsquery))
    if role:
        conditions.append(exists().where(Membership.user_id == User.id, Membership.role == role))
    if school_id is not None:
        conditions.append(_people_of_schools([school_id]))
    if grade is not None:
        conditions.append(User.grade_level == grade)
    page = max(page, 1)
    matching = select(User.id).where(and_(*conditions))
    found = db.session.scalars(
        select(User)
        .where(and_(*conditions))
        .order_by(User.display_name, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    # Counting every match of a one-letter search costs more than the page itself; nobody pages past a
    # thousand people, so the count stops there.
    total = db.session.scalar(select(func.count()).select_from(matching.limit(COUNT_CAP + 1).subquery())) or 0
    more = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    roles: dict[int, set[str]] = {}
    schools: dict[int, set[str]] = {}
    if found:
        for user_id, member_role, school_name in db.session.execute(
            select(Membership.user_id, Membership.role, School.name)
            .outerjoin(School, School.id == Membership.school_id)
            .where(Membership.user_id.in_([user.id for user in found]))
        ):
            roles.setdefault(user_id, set()).add(member_role)
            if school_name:
                schools.setdefault(user_id, set()).add(school_name)
    rows = [PersonRow(user, sorted(roles.get(user.id, ())), sorted(schools.get(user.id, ()))) for user in found]
    return Directory(rows, total, list_schools(actor), more)


# --- bulk actions -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkPlan:
    action: str
    user_ids: list[int]
    skipped: int
    question: str
    section: Section | None = None
    from_section: Section | None = None

    @property
    def count(self) -> int:
        return len(self.user_ids)


def _clean_ids(raw_ids) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in raw_ids if str(i).strip().isdigit()))
    if not ids:
        raise Invalid({"user_ids": _("Select at least one row first.")})
    if len(ids) > MAX_BULK:
        raise Invalid({"user_ids": _("Select at most %(n)d rows at a time.", n=MAX_BULK)})
    return ids


def _visible_ids(actor, ids: list[int], from_section: Section | None) -> list[int]:
    """The selected people the actor may act on: in a roster, its active students; else the directory's scope."""
    if from_section is not None:
        query = select(Enrollment.student_id).where(
            Enrollment.section_id == from_section.id,
            Enrollment.dropped_on.is_(None),
            Enrollment.student_id.in_(ids),
        )
    else:
        query = select(User.id).where(User.id.in_(ids), _directory_filter(actor))
    allowed = set(db.session.scalars(query))
    return [i for i in ids if i in allowed]


def plan_bulk(actor, action: str, raw_ids, section_id: int | None = None, from_section_id: int | None = None):
    """Who may act on these rows, and how many will change; nothing is written. Raises Invalid per field,
    NotFound for a section or action outside the actor's reach."""
    if action not in BULK_ACTIONS:
        raise Invalid({"action": _("Choose an action from the list.")})
    ids = _clean_ids(raw_ids)
    source = get_section(actor, from_section_id) if from_section_id else None
    if action != "export" and not policy.can_manage_rosters(actor):
        raise NotFound()
    visible = _visible_ids(actor, ids, source)
    target = None
    if action in ("enroll", "move"):
        if not section_id:
            raise Invalid({"section_id": _("Choose a section.")})
        target = _editable_section(actor, section_id)
    if action in ("move", "drop"):
        if source is None:
            raise Invalid({"action": _("Moving and dropping start from a section's roster.")})
        _editable_section(actor, source.id)
        if target is not None and target.id == source.id:
            raise Invalid({"section_id": _("Choose a different section to move to.")})
    changing = _changing(actor, action, visible, target)
    skipped = len(ids) - len(changing)
    return BulkPlan(action, changing, skipped, _question(action, len(changing), target, source), target, source)


def _changing(actor, action: str, ids: list[int], target: Section | None) -> list[int]:
    if not ids or action in ("drop", "export"):
        return ids
    if action == "deactivate":
        query = select(User.id).where(User.id.in_(ids), User.is_active.is_(True), User.id != actor.id)
        if not policy.is_district_wide(actor):
            admins = exists().where(Membership.user_id == User.id, Membership.role == "district_admin")
            query = query.where(~admins)
        keep = set(db.session.scalars(query))
        return [i for i in ids if i in keep]
    students = select(Membership.user_id).where(
        Membership.role == "student", Membership.school_id == target.school_id, Membership.user_id.in_(ids)
    )
    already = select(Enrollment.student_id).where(Enrollment.section_id == target.id, Enrollment.dropped_on.is_(None))
    keep = set(db.session.scalars(students.where(Membership.user_id.not_in(already))))
    return [i for i in ids if i in keep]


def _question(action: str, n: int, target: Section | None, source: Section | None) -> str:
    if action == "enroll":
        return ngettext(
            "Enroll %(num)d student in %(section)s?",
            "Enroll %(num)d students in %(section)s?",
            n,
            section=section_label(target),
        )
    if action == "move":
        return ngettext(
            "Move %(num)d student from %(source)s to %(section)s?",
            "Move %(num)d students from %(source)s to %(section)s?",
            n,
            source=section_label(source),
            section=section_label(target),
        )
    if action == "drop":
        return ngettext(
            "Drop %(num)d student from %(section)s?",
            "Drop %(num)d students from %(section)s?",
            n,
            section=section_label(source),
        )
    if action == "deactivate":
        return ngettext("Deactivate %(num)d person?", "Deactivate %(num)d people?", n)
    return ngettext("Export %(num)d row as CSV?", "Export %(num)d rows as CSV?", n)


def apply_bulk(actor, action: str, raw_ids, section_id: int | None = None, from_section_id: int | None = None) -> str:
    """As plan_bulk, then applies the plan in one transaction; returns the message for the result toast."""
    plan = plan_bulk(actor, action, raw_ids, section_id, from_section_id)
    if action == "export":
        raise Invalid({"action": _("Exports are downloaded, not applied.")})
    today = date.today()
    for student_id in plan.user_ids:
        if action in ("move", "drop"):
            _drop(actor, plan.from_section, student_id, today)
        if action in ("enroll", "move"):
            _enroll(actor, plan.section, student_id, today)
    if action == "deactivate" and plan.user_ids:
        db.session.execute(update(User).where(User.id.in_(plan.user_ids)).values(is_active=False))
        for user_id in plan.user_ids:
            record_event(actor, "user.deactivated", "user", user_id)
    db.session.commit()
    done = {
        "enroll": ngettext("%(num)d student enrolled.", "%(num)d students enrolled.", plan.count),
        "move": ngettext("%(num)d student moved.", "%(num)d students moved.", plan.count),
        "drop": ngettext("%(num)d student dropped.", "%(num)d students dropped.", plan.count),
        "deactivate": ngettext("%(num)d person deactivated.", "%(num)d people deactivated.", plan.count),
    }[action]
    if plan.skipped:
        done += " " + ngettext("%(num)d row was unchanged.", "%(num)d rows were unchanged.", plan.skipped)
    return done


# --- CSV export -------------------------------------------------------------------------------------------------


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: formulas are defused with a leading quote."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def export_people_csv(actor, raw_ids, from_section_id: int | None = None) -> Iterator[str]:
    """Directory viewers (or a roster's viewers, with from_section_id): the selected people as CSV lines,
    header first. Rows are read before the first line is yielded, so the response streams without the session."""
    plan = plan_bulk(actor, "export", raw_ids, from_section_id=from_section_id)
    users = list(
        db.session.scalars(select(User).where(User.id.in_(plan.user_ids or [-1])).order_by(User.display_name, User.id))
    )
    roles: dict[int, set[str]] = {}
    for user_id, role in db.session.execute(
        select(Membership.user_id, Membership.role).where(Membership.user_id.in_([u.id for u in users] or [-1]))
    ):
        roles.setdefault(user_id, set()).add(role)
    record_event(actor, "people.exported", None, None, count=len(users))
    db.session.commit()
    header = [
        "id",
        "display_name",
        "given_name",
        "family_name",
        "email",
        "identifier",
        "roles",
        "grade_level",
        "pronouns",
        "is_active",
    ]
    rows = [
        [
            u.id,
            u.display_name,
            u.given_name,
            u.family_name,
            u.email,
            u.identifier,
            " ".join(sorted(roles.get(u.id, ()))),
            u.grade_level,
            u.pronouns,
            "yes" if u.is_active else "no",
        ]
        for u in users
    ]
    return _csv_lines(header, rows)


def _csv_lines(header: list[str], rows: list[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
