"""The student record as staff, guardians and the student see it, behind the one scoped getter for students."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import exists, select

from app import db
from app.accounts import services as accounts
from app.audit import services as audit
from app.errors import NotFound
from app.org import services as org
from app.rosters import policy
from app.rosters.models import Enrollment, SectionTeacher
from app.rosters.services.enrollments import enrollments_of_student


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


def get_student(actor, student_id: int):
    """The one scoped getter for a student record: the student, linked guardians, their teachers, and admins
    of one of the student's schools. Everyone else (an unlinked guardian, another district) gets NotFound.

    Reads of student records by staff are written to the access audit here (what: "student.record")."""
    student = accounts.get_user(student_id)
    if student is None or not accounts.is_student(student.id):
        raise NotFound()
    if actor.id == student.id:
        return student
    if policy.can_view_linked_student(actor) and accounts.guardian_link(actor.id, student.id) is not None:
        return student
    if policy.can_view_student_as_staff(actor, accounts.student_school_ids(student.id)):
        audit.record_access(actor, student.id, "student.record", "administration")
        return student
    if _teaches(actor, student.id):
        audit.record_access(actor, student.id, "student.record", "instruction")
        return student
    raise NotFound()


@dataclass(frozen=True)
class StudentDetail:
    student: object
    schools: list[str]
    link: object | None
    sees_grades: bool
    guardians: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    is_staff_view: bool = False
    can_manage: bool = False


def student_detail(actor, student_id: int) -> StudentDetail:
    """Whoever get_student allows. A guardian gets their own link and whether grades are visible to them."""
    student = get_student(actor, student_id)
    schools = sorted(org.school_names(accounts.student_school_ids(student.id)).values())
    own_link = accounts.guardian_link(actor.id, student.id)
    is_staff = actor.id != student.id and own_link is None
    links = accounts.links_for_viewer(actor, student, is_staff)
    sections = enrollments_of_student(student.id) if is_staff or actor.id == student.id else []
    can_manage = is_staff and policy.can_manage_rosters(actor)
    return StudentDetail(
        student, schools, links.own_link, links.sees_grades, links.guardians, sections, is_staff, can_manage
    )
