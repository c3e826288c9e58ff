"""Holds on a student's record: legal holds, open inspection requests (99.10(e)), and court orders (99.4)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.compliance import policy
from app.compliance.models import CourtOrder, LegalHold, RecordsRequest
from app.compliance.services.requests import OPEN
from app.errors import Invalid, NotFound
from app.events.services import record_event

# 99.10(e) speaks of a request to inspect; a copy request is one too (the copy is how the parent inspects).
HOLDING_KINDS = ("inspect", "copy")
MAX_TEXT = 4000


def holds_on(student_id: int) -> list[str]:
    """Why nothing of this student's record may be destroyed now (empty: nothing holds it)."""
    reasons = [
        _("Legal hold: %(reason)s", reason=hold.reason)
        for hold in db.session.scalars(
            select(LegalHold).where(LegalHold.student_id == student_id, LegalHold.released_at.is_(None))
        )
    ]
    open_requests = db.session.scalars(
        select(RecordsRequest.id).where(
            RecordsRequest.student_id == student_id,
            RecordsRequest.kind.in_(HOLDING_KINDS),
            RecordsRequest.status.in_(OPEN),
        )
    ).all()
    reasons += [_("Open records request #%(id)s (34 CFR 99.10(e))", id=request_id) for request_id in open_requests]
    return reasons


def held_students(student_ids) -> set[int]:
    """Which of these students are held (a legal hold, or an open inspection request): one query each kind."""
    ids = list(student_ids)
    if not ids:
        return set()
    held = set(
        db.session.scalars(
            select(LegalHold.student_id).where(LegalHold.student_id.in_(ids), LegalHold.released_at.is_(None))
        )
    )
    held |= set(
        db.session.scalars(
            select(RecordsRequest.student_id).where(
                RecordsRequest.student_id.in_(ids),
                RecordsRequest.kind.in_(HOLDING_KINDS),
                RecordsRequest.status.in_(OPEN),
            )
        )
    )
    return held


def place_hold(actor, student_id: int, reason: str) -> LegalHold:
    """Records staff: stop every deletion and sweep of this student's record until released."""
    if not policy.can_manage_records(actor):
        raise NotFound()
    if accounts.get_user(student_id) is None or not accounts.is_student(student_id):
        raise NotFound()
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": _("Say why the record is held (a case, a subpoena).")})
    hold = LegalHold(district_id=actor.district_id, student_id=student_id, reason=reason[:MAX_TEXT], placed_by=actor.id)
    db.session.add(hold)
    db.session.flush()
    record_event(actor, "legal_hold.placed", "legal_hold", hold.id)
    db.session.commit()
    return hold


def release_hold(actor, hold_id: int) -> LegalHold:
    if not policy.can_manage_records(actor):
        raise NotFound()
    hold = db.scoped_get(actor, LegalHold, hold_id)
    if hold is None or hold.released_at is not None:
        raise NotFound()
    hold.released_at, hold.released_by = datetime.now(UTC), actor.id
    record_event(actor, "legal_hold.released", "legal_hold", hold.id)
    db.session.commit()
    return hold


def record_court_order(actor, student_id: int, guardian_id: int, note: str = "", ends_on: date | None = None):
    """Records staff: a court order removes this parent's right to the student's records (99.4)."""
    if not policy.can_manage_records(actor):
        raise NotFound()
    if accounts.guardian_link(guardian_id, student_id) is None:
        raise NotFound()
    order = CourtOrder(
        district_id=actor.district_id,
        student_id=student_id,
        guardian_id=guardian_id,
        note=(note or "").strip()[:MAX_TEXT],
        recorded_by=actor.id,
        ends_on=ends_on,
    )
    db.session.add(order)
    db.session.commit()
    return order
