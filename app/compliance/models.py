"""Records requests, statements, court orders, holds, deletions (receipts), consents, directory opt-outs, retention.

Each table says in `info["student_data"]` what it holds of a student and how it travels with the export and the
deletion (the data registry, docs/decisions/0021-records-and-privacy.md)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Date, DateTime, SmallInteger, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


def _annotate(**spec) -> dict:
    return {"info": {"student_data": spec}}


class RecordsRequest(TenantMixin, Base):
    """A parent's or eligible student's request to inspect, receive a copy of, or amend the record."""

    __tablename__ = "records_requests"
    __table_args__ = _annotate(
        link="student_id",
        category="records_request",
        purpose=_l("Requests to inspect, copy or amend the record, and the district's answers."),
        retention=_l("Kept with the record."),
        export="rows",
        delete="rows",
        people=("requester_id", "assignee_id"),
        copies=("export_key",),
    )

    student_id: Mapped[int] = mapped_column(BigInteger)
    requester_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="submitted")
    details: Mapped[str] = mapped_column(Text, default="")
    record_part: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(BigInteger)
    reply: Mapped[str] = mapped_column(Text, default="")
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(10), default="en")
    decision: Mapped[str | None] = mapped_column(String(10))
    hearing_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hearing_outcome: Mapped[str | None] = mapped_column(String(10))
    hearing_notes: Mapped[str] = mapped_column(Text, default="")
    export_run_id: Mapped[int | None] = mapped_column(BigInteger)
    export_key: Mapped[str | None] = mapped_column(String(64))
    export_size: Mapped[int | None] = mapped_column(BigInteger)
    export_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RecordsRequestNote(TenantMixin, Base):
    """Staff's working notes on a request (not shown to the requester)."""

    __tablename__ = "records_request_notes"
    __table_args__ = _annotate(
        where="request_id in (select id from records_requests where student_id = :student_id)",
        category="records_request",
        purpose=_l("Staff's working notes on a records request."),
        retention=_l("Kept with the request."),
        export="rows",
        delete="rows",
        people=("author_id",),
    )

    request_id: Mapped[int] = mapped_column(BigInteger)
    author_id: Mapped[int | None] = mapped_column(BigInteger)
    body: Mapped[str] = mapped_column(Text)


class RecordsStatement(TenantMixin, Base):
    """99.21(b): a parent's statement after a refused amendment, kept and disclosed with that part of the record."""

    __tablename__ = "records_statements"
    __table_args__ = _annotate(
        link="student_id",
        category="education_record",
        purpose=_l("Statements a parent placed in the record after a refused amendment (99.21(b))."),
        retention=_l("Kept as long as the part of the record it is about."),
        export="rows",
        delete="rows",
        people=("author_id",),
    )

    student_id: Mapped[int] = mapped_column(BigInteger)
    request_id: Mapped[int | None] = mapped_column(BigInteger)
    author_id: Mapped[int] = mapped_column(BigInteger)
    record_part: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class CourtOrder(TenantMixin, Base):
    """99.4: the order that removes a parent's right to the records (until ends_on, if it ends)."""

    __tablename__ = "court_orders"
    __table_args__ = _annotate(
        link="student_id",
        category="rights",
        purpose=_l("Court orders that remove a parent's right to the records (99.4)."),
        retention=_l("Kept with the record."),
        export="none",
        delete="rows",
        people=("guardian_id", "recorded_by"),
    )

    student_id: Mapped[int] = mapped_column(BigInteger)
    guardian_id: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    ends_on: Mapped[date | None] = mapped_column(Date)


class LegalHold(TenantMixin, Base):
    """Nothing of the student's record may be destroyed while a hold is not released."""

    __tablename__ = "legal_holds"
    __table_args__ = _annotate(
        link="student_id",
        category="rights",
        purpose=_l("Legal holds that stop deletion and retention sweeps."),
        retention=_l("Kept with the record."),
        export="none",
        delete="rows",
        people=("placed_by", "released_by"),
    )

    student_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[int | None] = mapped_column(BigInteger)
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[int | None] = mapped_column(BigInteger)


class Deletion(TenantMixin, Base):
    """A deletion by policy or contract; once done it is the receipt and names no one (student_id cleared)."""

    __tablename__ = "deletions"
    __table_args__ = _annotate(
        link="student_id",
        category="rights",
        purpose=_l("Deletions by district policy; once done, a receipt without personal data."),
        retention=_l("Receipts are kept; they hold no personal data."),
        export="none",
        delete="receipt",
        people=("requested_by", "approved_by"),
    )

    scope: Mapped[str] = mapped_column(String(10), default="student")
    student_id: Mapped[int | None] = mapped_column(BigInteger)
    student_label: Mapped[str | None] = mapped_column(String(200))
    basis: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    requested_by: Mapped[int | None] = mapped_column(BigInteger)
    approved_by: Mapped[int | None] = mapped_column(BigInteger)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    job_run_id: Mapped[int | None] = mapped_column(BigInteger)
    receipt: Mapped[dict] = mapped_column(JSONB, default=dict)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RetentionRule(TenantMixin, Base):
    """A district's rule: delete a group of student data `years_after_leaving` years after the student left."""

    __tablename__ = "retention_rules"
    __table_args__ = _annotate(link=None, reason=_l("District settings; names only the admin."))

    data_group: Mapped[str] = mapped_column(String(40))
    years_after_leaving: Mapped[int] = mapped_column(SmallInteger)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger)


class RetentionRun(TenantMixin, Base):
    """One sweep (a dry run or the real one) and its report: counts by rule and table, no names."""

    __tablename__ = "retention_runs"
    __table_args__ = _annotate(link=None, reason=_l("Counts by table; holds no personal data."))

    is_dry_run: Mapped[bool] = mapped_column(Boolean)
    started_by: Mapped[int | None] = mapped_column(BigInteger)
    job_run_id: Mapped[int | None] = mapped_column(BigInteger)
    report: Mapped[dict] = mapped_column(JSONB, default=dict)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
