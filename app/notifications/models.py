from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class MailMessage(TenantMixin, Base):
    """Mail outbox: rows are written with the change that causes them and sent by a job."""

    __tablename__ = "mail_messages"
    __table_args__ = {
        "info": {
            "student_data": {
                "where": "lower(to_address) = lower(:email)"
                " or strpos(lower(body_text), lower(:email)) > 0 or strpos(lower(body_text), lower(:name)) > 0",
                "category": "contact",
                "purpose": _l("Mail sent to the student, or about the student to a guardian."),
                "retention": _l("By the district's retention rules for activity."),
                "export": "none",
                "delete": "rows",
                "group": "activity",
            }
        }
    }

    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    # A one-time link's token, substituted for SECRET_MARK in the body when sending and cleared once sent, so
    # no usable link stays at rest in the outbox.
    secret: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    job_run_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
