"""Guardian links between people: who may see whose records, with custody and contact flags."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from app import db
from app.accounts.data import LinkedStudent, StudentLinks
from app.accounts.models import GuardianLink, Membership, User
from app.accounts.policy import can_manage_people_at, can_view_own_students, guardian_sees_grades
from app.accounts.services.people import is_student, school_names_of_students, student_school_ids
from app.errors import Invalid, NotFound
from app.events.services import record_event

RELATIONSHIPS = ("parent", "guardian", "grandparent", "relative", "foster parent", "other")


def guardian_link(guardian_id: int, student_id: int) -> GuardianLink | None:
    return db.session.scalar(
        select(GuardianLink).where(GuardianLink.guardian_id == guardian_id, GuardianLink.student_id == student_id)
    )


def guardian_may_see_grades(guardian_id: int, student_id: int) -> bool:
    """For other domains (gradebook): a linked guardian with the flag, unless the student holds their own rights."""
    row = db.session.execute(
        select(GuardianLink.can_see_grades, User.holds_own_rights)
        .join(User, User.id == GuardianLink.student_id)
        .where(GuardianLink.guardian_id == guardian_id, GuardianLink.student_id == student_id)
    ).first()
    return row is not None and guardian_sees_grades(row[0], row[1])


def links_for_viewer(actor, student: User, is_staff: bool) -> StudentLinks:
    """The viewer's own link to the student (a guardian) and, for staff, every guardian of the student."""
    own = guardian_link(actor.id, student.id)
    sees = own is not None and guardian_sees_grades(own.can_see_grades, student.holds_own_rights)
    guardians = []
    if is_staff:
        guardians = [
            (guardian, link, guardian_sees_grades(link.can_see_grades, student.holds_own_rights))
            for guardian, link in db.session.execute(
                select(User, GuardianLink)
                .join(GuardianLink, GuardianLink.guardian_id == User.id)
                .where(GuardianLink.student_id == student.id)
                .order_by(User.display_name, User.id)
            ).tuples()
        ]
    return StudentLinks(own, sees, guardians)


def linked_students(actor) -> list[tuple[User, str]]:
    """A guardian's own linked students, with the relationship."""
    return list(
        db.session.execute(
            select(User, GuardianLink.relationship)
            .join(GuardianLink, GuardianLink.student_id == User.id)
            .where(GuardianLink.guardian_id == actor.id)
            .order_by(User.display_name)
        ).tuples()
    )


def linked_guardians(actor) -> list[tuple[User, str]]:
    """A student's own guardians, with the relationship."""
    return list(
        db.session.execute(
            select(User, GuardianLink.relationship)
            .join(GuardianLink, GuardianLink.guardian_id == User.id)
            .where(GuardianLink.student_id == actor.id)
            .order_by(User.display_name)
        ).tuples()
    )


def my_students(actor) -> list[LinkedStudent]:
    """Guardians (students.view_own): only their linked students, with schools and grade visibility."""
    if not can_view_own_students(actor):
        raise NotFound()
    rows = list(
        db.session.execute(
            select(User, GuardianLink)
            .join(GuardianLink, GuardianLink.student_id == User.id)
            .where(GuardianLink.guardian_id == actor.id)
            .order_by(User.display_name, User.id)
        ).tuples()
    )
    schools = school_names_of_students([student.id for student, _link in rows])
    return [
        LinkedStudent(
            student,
            link.relationship,
            schools.get(student.id, []),
            guardian_sees_grades(link.can_see_grades, student.holds_own_rights),
        )
        for student, link in rows
    ]


def _manageable_student(actor, student_id: int) -> User:
    student = db.session.scalar(select(User).where(User.id == student_id))
    if student is None or not is_student(student.id):
        raise NotFound()
    if not can_manage_people_at(actor, student_school_ids(student.id)):
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
    not a guardian or the relationship is not one of RELATIONSHIPS; NotFound outside their schools."""
    student = _manageable_student(actor, student_id)
    is_guardian = db.session.scalar(
        select(exists().where(Membership.user_id == guardian_id, Membership.role == "guardian"))
    )
    if not is_guardian:
        raise Invalid({"guardian_id": _("Choose a person with a guardian account.")})
    if relationship not in RELATIONSHIPS:
        raise Invalid({"relationship": _("Choose a relationship from the list.")})
    link = guardian_link(guardian_id, student.id)
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
    link = guardian_link(guardian_id, student.id)
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
