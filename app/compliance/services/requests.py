"""Records requests (34 CFR 99.10, 99.20): a parent or eligible student asks to inspect, copy or amend the record;
district staff work the queue (due date, status, assignee, notes, reply); every step is an event.

While an inspection (or copy) request is open nothing of the student's record may be destroyed (99.10(e)):
`holds_on` is what deletions and retention sweeps ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, text

from app import db
from app.accounts import services as accounts
from app.compliance import policy
from app.compliance.models import CourtOrder, RecordsRequest, RecordsRequestNote
from app.errors import Invalid, NotFound
from app.events.services import record_event

KINDS = ("inspect", "copy", "amend")
STATUSES = ("submitted", "in_review", "in_progress", "ready", "expired", "refused", "closed")
OPEN = ("submitted", "in_review", "in_progress", "ready")
# 99.10(b): no more than 45 days after the request.
DUE_DAYS = 45
REMIND_DAYS = 7
MAX_TEXT = 4000


@dataclass(frozen=True)
class Requestable:
    student_id: int
    name: str
    as_self: bool


def _today() -> date:
    return datetime.now(UTC).date()


def under_court_order(guardian_id: int, student_id: int, today: date | None = None) -> bool:
    today = today or _today()
    return bool(
        db.session.scalar(
            select(func.count()).where(
                CourtOrder.student_id == student_id,
                CourtOrder.guardian_id == guardian_id,
                (CourtOrder.ends_on.is_(None)) | (CourtOrder.ends_on >= today),
            )
        )
    )


def requestable_students(actor) -> list[Requestable]:
    """The students whose records this person may request: their own if eligible, and their linked children
    (custodial or not) unless a court order removed the right or the child is an eligible student."""
    today = _today()
    found = []
    me = accounts.get_user(actor.id)
    if me is not None and accounts.is_student(me.id) and policy.is_eligible_student(me, today):
        found.append(Requestable(me.id, me.display_name, True))
    if accounts.can_view_own_students(actor):
        for student, _relationship in accounts.linked_students(actor):
            eligible = policy.is_eligible_student(student, today)
            if policy.may_request_as_parent(True, under_court_order(actor.id, student.id, today), eligible):
                found.append(Requestable(student.id, student.display_name, False))
    return found


def _requestable(actor, student_id: int) -> Requestable:
    for option in requestable_students(actor):
        if option.student_id == student_id:
            return option
    raise NotFound()


def create_request(
    actor, student_id: int, kind: str, details: str = "", record_part: str = "", locale: str | None = None
) -> RecordsRequest:
    """A parent or eligible student; NotFound for a student they may not request for, Invalid for bad input."""
    _requestable(actor, student_id)
    details, record_part = (details or "").strip(), (record_part or "").strip()
    errors = {}
    if kind not in KINDS:
        errors["kind"] = _("Choose what you are asking for.")
    if kind == "amend":
        if not record_part:
            errors["record_part"] = _("Say which part of the record is inaccurate or misleading.")
        if not details:
            errors["details"] = _("Say what is wrong and what it should say.")
    if len(details) > MAX_TEXT:
        errors["details"] = _("Keep it under %(num)d characters.", num=MAX_TEXT)
    if len(record_part) > 200:
        errors["record_part"] = _("Keep it under %(num)d characters.", num=200)
    if errors:
        raise Invalid(errors)
    request = RecordsRequest(
        district_id=actor.district_id,
        student_id=student_id,
        requester_id=actor.id,
        kind=kind,
        details=details,
        record_part=record_part,
        due_on=_today() + timedelta(days=DUE_DAYS),
        locale=(locale or getattr(actor, "locale", None) or getattr(actor, "district_locale", "en") or "en")[:10],
    )
    db.session.add(request)
    db.session.flush()
    record_event(
        actor, "records_request.submitted", "records_request", request.id, kind=kind, due_on=str(request.due_on)
    )
    return request


def my_requests(actor) -> list[tuple[RecordsRequest, str]]:
    """The requester's own requests, newest first, with the student's name."""
    rows = list(
        db.session.scalars(
            select(RecordsRequest)
            .where(RecordsRequest.requester_id == actor.id)
            .order_by(RecordsRequest.created_at.desc(), RecordsRequest.id.desc())
        )
    )
    names = accounts.names_by_id([r.student_id for r in rows])
    return [(r, names.get(r.student_id, "")) for r in rows]


def get_own_request(actor, request_id: int) -> RecordsRequest:
    """The requester's own request; NotFound for anyone else's (staff use get_request)."""
    request = db.scoped_get(actor, RecordsRequest, request_id)
    if request is None or request.requester_id != actor.id:
        raise NotFound()
    return request


def get_request(actor, request_id: int) -> RecordsRequest:
    """Records staff (records.manage); NotFound otherwise."""
    if not policy.can_manage_records(actor):
        raise NotFound()
    request = db.scoped_get(actor, RecordsRequest, request_id)
    if request is None:
        raise NotFound()
    return request


@dataclass(frozen=True)
class QueueRow:
    request: RecordsRequest
    student: str
    requester: str
    assignee: str
    days_left: int


def request_queue(actor, status: str | None = None, open_only: bool = True) -> list[QueueRow]:
    """Records staff: requests by due date (open ones unless open_only is False); NotFound for others."""
    if not policy.can_manage_records(actor):
        raise NotFound()
    query = select(RecordsRequest)
    if status in STATUSES:
        query = query.where(RecordsRequest.status == status)
    elif open_only:
        query = query.where(RecordsRequest.status.in_(OPEN))
    rows = list(db.session.scalars(query.order_by(RecordsRequest.due_on, RecordsRequest.id).limit(500)))
    names = accounts.names_by_id(
        [r.student_id for r in rows] + [r.requester_id for r in rows] + [r.assignee_id for r in rows if r.assignee_id]
    )
    today = _today()
    return [
        QueueRow(
            r,
            names.get(r.student_id, ""),
            names.get(r.requester_id, ""),
            names.get(r.assignee_id, "") if r.assignee_id else "",
            (r.due_on - today).days,
        )
        for r in rows
    ]


def _touch(actor, request: RecordsRequest) -> None:
    request.updated_at = datetime.now(UTC)
    record_event(
        actor,
        "records_request.updated",
        "records_request",
        request.id,
        status=request.status,
        assignee_id=request.assignee_id,
    )


def update_request(
    actor, request_id: int, status: str, assignee_id: int | None = None, reply: str = "", refusal_reason: str = ""
) -> RecordsRequest:
    """Records staff: move a request on. Refusing needs the reason the requester will read. Raises Invalid."""
    request = get_request(actor, request_id)
    reply, refusal_reason = (reply or "").strip(), (refusal_reason or "").strip()
    errors = {}
    if status not in STATUSES:
        errors["status"] = _("Choose a status.")
    if status == "refused" and not refusal_reason:
        errors["refusal_reason"] = _("Give the reason the requester will read.")
    if status == "ready" and request.kind == "copy" and not request.export_key:
        errors["status"] = _("The copy is not ready yet: prepare it first.")
    if assignee_id is not None and not policy.can_manage_records(
        accounts.actor_for_user(actor.district_id, assignee_id)
    ):
        errors["assignee_id"] = _("Assign the request to someone who works records requests.")
    if len(reply) > MAX_TEXT or len(refusal_reason) > MAX_TEXT:
        errors["reply"] = _("Keep it under %(num)d characters.", num=MAX_TEXT)
    if errors:
        raise Invalid(errors)
    request.status, request.assignee_id = status, assignee_id
    request.reply, request.refusal_reason = reply, refusal_reason if status == "refused" else ""
    request.closed_at = datetime.now(UTC) if status in ("refused", "closed", "expired") else None
    _touch(actor, request)
    notify_requester(request)
    db.session.commit()
    return request


def add_note(actor, request_id: int, body: str) -> RecordsRequestNote:
    """Records staff: a working note (never shown to the requester)."""
    request = get_request(actor, request_id)
    body = (body or "").strip()
    if not body:
        raise Invalid({"body": _("Write the note first.")})
    note = RecordsRequestNote(
        district_id=actor.district_id, request_id=request.id, author_id=actor.id, body=body[:MAX_TEXT]
    )
    db.session.add(note)
    record_event(actor, "records_request.noted", "records_request", request.id)
    db.session.commit()
    return note


def notes_of(request_id: int) -> list[tuple[RecordsRequestNote, str]]:
    notes = list(
        db.session.scalars(
            select(RecordsRequestNote)
            .where(RecordsRequestNote.request_id == request_id)
            .order_by(RecordsRequestNote.id)
        )
    )
    names = accounts.names_by_id([n.author_id for n in notes if n.author_id])
    return [(n, names.get(n.author_id, "")) for n in notes]


def districts_with_requests() -> list[int]:
    """Districts with open requests, live copies or retention rules (the periodic upkeep visits them)."""
    return list(db.session.scalars(text("select records_pending_districts()")))


def send_reminders(actor, today: date | None = None) -> int:
    """Periodic: mail the assignee (or every records staff member) once when an open request is due within
    REMIND_DAYS days, and record the reminder. Returns how many requests were reminded."""
    from app.notifications.services import queue_mail

    today = today or _today()
    due = list(
        db.session.scalars(
            select(RecordsRequest).where(
                RecordsRequest.status.in_(OPEN),
                RecordsRequest.reminded_at.is_(None),
                RecordsRequest.due_on <= today + timedelta(days=REMIND_DAYS),
            )
        )
    )
    for request in due:
        recipients = [request.assignee_id] if request.assignee_id else _records_staff_ids()
        for person in accounts.users_by_id(recipients).values():
            if person.email:
                queue_mail(
                    request.district_id,
                    person.email,
                    "records_reminder",
                    person.locale,
                    request_id=request.id,
                    due_on=request.due_on,
                    days=(request.due_on - today).days,
                )
        request.reminded_at = datetime.now(UTC)
        record_event(actor, "records_request.reminded", "records_request", request.id, due_on=str(request.due_on))
    db.session.commit()
    return len(due)


def _records_staff_ids() -> list[int]:
    return list(db.session.scalars(text("select distinct user_id from memberships where role = 'district_admin'")))


def records_staff() -> list[tuple[int, str]]:
    """The district's people who work records requests (district admins), by name."""
    return [
        (row.id, row.display_name)
        for row in db.session.execute(
            text(
                "select distinct u.id, u.display_name from users u join memberships m on m.user_id = u.id"
                " where m.role = 'district_admin' and u.is_active order by u.display_name"
            )
        )
    ]


def notify_requester(request: RecordsRequest) -> None:
    """Mail the requester that their request moved on (the page has the details; the mail names no student)."""
    from app.notifications.services import queue_mail

    requester = accounts.get_user(request.requester_id)
    if requester is not None and requester.email:
        queue_mail(
            request.district_id,
            requester.email,
            "records_status",
            requester.locale or request.locale,
            request_id=request.id,
            status=request.status,
        )
