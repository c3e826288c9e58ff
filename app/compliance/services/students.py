"""One student's records and privacy page for records staff: holds, the access audit, disclosures, deletions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.audit import services as audit
from app.compliance import policy
from app.compliance.models import Deletion, LegalHold
from app.compliance.services.holds import holds_on
from app.errors import NotFound


@dataclass(frozen=True)
class StudentRecords:
    student: object
    holds: list
    hold_reasons: list[str]
    accesses: list
    people: dict[int, str]
    disclosures: list
    deletion: object | None


def records_student(actor, student_id: int):
    """A student of the actor's district, for records staff; NotFound otherwise (also for non-students)."""
    if not policy.can_manage_records(actor):
        raise NotFound()
    student = accounts.get_user(student_id)
    if student is None or not accounts.is_student(student.id):
        raise NotFound()
    return student


def student_records(actor, student_id: int) -> StudentRecords:
    """Records staff: the page (itself an access, recorded)."""
    student = records_student(actor, student_id)
    audit.record_access(actor, student.id, "student.privacy", "administration")
    accesses = audit.accesses_of(student.id, limit=100)
    holds = list(
        db.session.scalars(select(LegalHold).where(LegalHold.student_id == student.id, LegalHold.released_at.is_(None)))
    )
    deletion = db.session.scalar(
        select(Deletion).where(Deletion.student_id == student.id).order_by(Deletion.id.desc()).limit(1)
    )
    return StudentRecords(
        student,
        holds,
        holds_on(student.id),
        accesses,
        accounts.names_by_id([a.actor_id for a in accesses if a.actor_id]),
        audit.disclosures_of(student.id),
        deletion,
    )
