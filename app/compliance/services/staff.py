"""The staff side of one request: its page, preparing a copy, and the amendment decision and hearing (99.20-99.22).

A refused amendment offers a hearing; after the hearing (or instead of one) the parent may place a statement in the
record, kept with it and included whenever that part of the record is disclosed (99.21(b))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.compliance.models import RecordsStatement
from app.compliance.services.exports import start_export
from app.compliance.services.holds import holds_on
from app.compliance.services.requests import get_own_request, get_request, notes_of, records_staff
from app.errors import Invalid
from app.events.services import record_event
from app.jobruns import services as runs


@dataclass(frozen=True)
class StaffView:
    request: object
    student_name: str
    requester_name: str
    notes: list
    holds: list[str]
    run: object | None
    assignees: list[tuple[int, str]]
    statements: list

    @property
    def is_working(self) -> bool:
        return bool(self.run is not None and self.run.is_active)


def statements_of(student_id: int) -> list[RecordsStatement]:
    return list(
        db.session.scalars(
            select(RecordsStatement).where(RecordsStatement.student_id == student_id).order_by(RecordsStatement.id)
        )
    )


def staff_view(actor, request_id: int) -> StaffView:
    """Records staff; NotFound otherwise."""
    request = get_request(actor, request_id)
    names = accounts.names_by_id([request.student_id, request.requester_id])
    return StaffView(
        request,
        names.get(request.student_id, ""),
        names.get(request.requester_id, ""),
        notes_of(request.id),
        holds_on(request.student_id),
        runs.get_run_of(actor, request.export_run_id),
        records_staff(),
        statements_of(request.student_id),
    )


def prepare_copy(actor, request_id: int):
    """Records staff: (re)build the copy of the record for this request; the requester is told when it is ready."""
    request = get_request(actor, request_id)
    if request.status in ("refused", "closed"):
        raise Invalid({"": _("This request is closed.")})
    run = start_export(actor, request)
    db.session.commit()
    return run


def decide_amendment(actor, request_id: int, decision: str, hearing_outcome: str | None = None, notes: str = ""):
    """Records staff: amend, or refuse (which offers a hearing); later, the hearing's outcome. Raises Invalid."""
    request = get_request(actor, request_id)
    if request.kind != "amend":
        raise Invalid({"decision": _("Only amendment requests are decided.")})
    if decision not in ("amended", "refused"):
        raise Invalid({"decision": _("Choose amend or refuse.")})
    if hearing_outcome not in (None, "amended", "upheld") or (hearing_outcome and request.decision != "refused"):
        raise Invalid({"hearing_outcome": _("A hearing follows a refusal.")})
    request.decision = decision
    if hearing_outcome:
        request.hearing_outcome, request.hearing_notes = hearing_outcome, notes.strip()
        final = "amended" if hearing_outcome == "amended" else "upheld"
    else:
        final = decision
    if final == "amended":
        request.status, request.closed_at = "closed", datetime.now(UTC)
        request.reply = request.reply or _("The record was amended as you asked.")
    else:
        request.status = "refused"
        request.refusal_reason = notes.strip() or request.refusal_reason or _("The district decided not to amend it.")
    record_event(
        actor,
        "records_request.decided",
        "records_request",
        request.id,
        decision=decision,
        hearing_outcome=hearing_outcome,
    )
    db.session.commit()
    return request


def request_hearing(actor, request_id: int):
    """The requester, after a refused amendment (99.21(a)): ask for a hearing."""
    request = get_own_request(actor, request_id)
    if request.kind != "amend" or request.decision != "refused" or request.hearing_outcome:
        raise Invalid({"": _("A hearing can be asked for after a refused amendment.")})
    request.hearing_requested_at = request.hearing_requested_at or datetime.now(UTC)
    request.status = "in_review"
    record_event(actor, "records_request.updated", "records_request", request.id, status="in_review", assignee_id=None)
    db.session.commit()
    return request


def add_statement(actor, request_id: int, body: str) -> RecordsStatement:
    """The requester, after a refusal (99.21(b)): a statement kept with that part of the record. Raises Invalid."""
    request = get_own_request(actor, request_id)
    if request.kind != "amend" or request.status != "refused":
        raise Invalid({"body": _("A statement can be added after a refused amendment.")})
    body = (body or "").strip()
    if not body:
        raise Invalid({"body": _("Write your statement first.")})
    statement = RecordsStatement(
        district_id=actor.district_id,
        student_id=request.student_id,
        request_id=request.id,
        author_id=actor.id,
        record_part=request.record_part or _("The record"),
        body=body[:4000],
    )
    db.session.add(statement)
    record_event(actor, "records_statement.added", "records_request", request.id)
    db.session.commit()
    return statement
