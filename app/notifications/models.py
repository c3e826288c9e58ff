from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, DateTime, Integer, String, Text, func
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


class Notification(TenantMixin, Base):
    """One notification to one person; shown in the inbox when `in_inbox`, mailed when `mail_message_id` is set."""

    __tablename__ = "notifications"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "user_id",
                "category": "contact",
                "purpose": _l("Notifications shown to the student in the inbox or mailed."),
                "retention": _l("By the district's retention rules for activity."),
                "group": "activity",
                "export": "rows",
                "delete": "rows",
                "people": ("created_by",),
            }
        }
    }

    user_id: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    in_inbox: Mapped[bool] = mapped_column(Boolean, default=True)
    mail_message_id: Mapped[int | None] = mapped_column(BigInteger)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationPreference(TenantMixin, Base):
    """A person's channels for one kind of notification; without a row the kind's defaults apply."""

    __tablename__ = "notification_preferences"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "user_id",
                "category": "consent",
                "purpose": _l("The channels the person chose for each kind of notification."),
                "retention": _l("While the account exists."),
                "export": "rows",
                "delete": "rows",
            }
        }
    }

    user_id: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(40))
    in_app: Mapped[bool] = mapped_column(Boolean)
    email: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
