"""One cell's history, and changes after grades lock: a teacher's request with a reason, an admin's decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.errors import Invalid, NotFound
from app.gradebook import policy
from app.gradebook.models import Assignment, Grade, GradeChangeRequest, GradeHistory, Submission
from app.gradebook.services import settings
from app.gradebook.services.grading import cell_context, change_for, lock_state, parse_entry, write_grade
from app.rosters import services as rosters


@dataclass
class CellDetail:
    section: object
    assignment: Assignment
    student: object
    grade: Grade | None
    history: list[tuple[GradeHistory, str, str]]
    locked: bool
    locked_why: str
    pending: list[GradeChangeRequest]
    attempts: list = field(default_factory=list)


def cell_detail(actor, section_id: int, assignment_id: int, student_id: int) -> CellDetail:
    """The section's teachers: one cell's grade, its whole history (newest first, with who changed it and who
    approved), whether it is locked, and pending change requests."""
    section, assignment, given = cell_context(actor, section_id, assignment_id, student_id)
    grade = db.session.scalar(select(Grade).where(Grade.assignment_id == assignment.id, Grade.student_id == student_id))
    history = list(
        db.session.scalars(
            select(GradeHistory)
            .where(GradeHistory.assignment_id == assignment.id, GradeHistory.student_id == student_id)
            .order_by(GradeHistory.id.desc())
        )
    )
    names = accounts.names_by_id({h.changed_by for h in history} | {h.approved_by for h in history} - {None})
    locked, why = lock_state(actor, section, given.due_at)
    pending = list(
        db.session.scalars(
            select(GradeChangeRequest).where(
                GradeChangeRequest.assignment_id == assignment.id,
                GradeChangeRequest.student_id == student_id,
                GradeChangeRequest.status == "pending",
            )
        )
    )
    return CellDetail(
        section,
        assignment,
        accounts.get_user(student_id),
        grade,
        [(h, names.get(h.changed_by, ""), names.get(h.approved_by, "")) for h in history],
        locked,
        why,
        pending,
        list(
            db.session.scalars(
                select(Submission)
                .where(Submission.assignment_id == assignment.id, Submission.student_id == student_id)
                .order_by(Submission.attempt.desc())
            )
        ),
    )


def request_change(actor, section_id: int, assignment_id: int, student_id: int, raw: str, reason: str):
    """The section's teachers, for a locked grade: ask an admin to approve the change, with a reason. The value
    is checked now (Invalid), so an approval cannot apply something refused."""
    section, assignment, _given = cell_context(actor, section_id, assignment_id, student_id)
    if not (reason or "").strip():
        raise Invalid({"reason": _("Say why the grade must change after it locked.")})
    rules = settings.rules_for(section)
    entry = parse_entry(raw, assignment, rules.bands, rules.mastery_scale_max)
    change = change_for(entry)
    request = GradeChangeRequest(
        district_id=actor.district_id,
        section_id=section.id,
        assignment_id=assignment.id,
        student_id=student_id,
        change={**{k: (str(v) if isinstance(v, Decimal) else v) for k, v in change.items()}, "raw": raw},
        reason=reason.strip()[:500],
        requested_by=actor.id,
    )
    db.session.add(request)
    db.session.commit()
    return request


def pending_requests(actor) -> list[tuple[GradeChangeRequest, object, str]]:
    """Admins with grades.approve: pending requests of the sections of their schools, with the section and the
    assignment title. NotFound for anyone else."""
    if not policy.can_review_changes(actor):
        raise NotFound()
    rows = db.session.execute(
        select(GradeChangeRequest, Assignment.title)
        .join(Assignment, Assignment.id == GradeChangeRequest.assignment_id)
        .where(GradeChangeRequest.status == "pending")
        .order_by(GradeChangeRequest.created_at)
    ).tuples()
    out = []
    for request, title in rows:
        section = _section_for_admin(actor, request.section_id)
        if section is not None:
            out.append((request, section, title))
    return out


def _section_for_admin(actor, section_id: int):
    try:
        section = rosters.get_section(actor, section_id)
    except NotFound:
        return None
    return section if policy.can_approve_changes(actor, section.school_id) else None


def decide_request(actor, request_id: int, approve: bool, note: str = "") -> GradeChangeRequest:
    """Admins with grades.approve at the section's school: approve (the change is applied, the history keeps
    the reason and the approver) or decline. NotFound for anyone else or a request already decided."""
    request = db.scoped_get(actor, GradeChangeRequest, request_id)
    if request is None or request.status != "pending":
        raise NotFound()
    section = _section_for_admin(actor, request.section_id)
    if section is None:
        raise NotFound()
    if approve:
        assignment = db.scoped_get(actor, Assignment, request.assignment_id)
        change = {k: v for k, v in request.change.items() if k != "raw"}
        if change.get("score") is not None:
            change["score"] = Decimal(change["score"])
        write_grade(actor, section, assignment, request.student_id, change, reason=request.reason, approved_by=actor.id)
        history = db.session.scalar(
            select(GradeHistory)
            .where(GradeHistory.assignment_id == assignment.id, GradeHistory.student_id == request.student_id)
            .order_by(GradeHistory.id.desc())
            .limit(1)
        )
        if history is not None and history.approved_by == actor.id:
            history.changed_by = request.requested_by
    request.status = "approved" if approve else "declined"
    request.decided_by, request.decided_at, request.decision_note = actor.id, datetime.now(UTC), (note or "")[:500]
    db.session.commit()
    return request
