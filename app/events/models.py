from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class Event(TenantMixin, Base):
    """Transactional outbox: written with the change it describes, fanned out after commit."""

    __tablename__ = "events"
    __table_args__ = {
        "info": {
            "student_data": {
                "where": "actor_id = :student_id or (subject_type = 'user' and subject_id = :student_id)",
                "category": "activity",
                "purpose": _l("What happened to and by the student's account (sign-ins, links, enrollments)."),
                "retention": _l("By the district's retention rules for activity."),
                "export": "rows",
                "delete": "rows",
                "group": "activity",
                "people": ("actor_id",),
            }
        }
    }

    type: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict] = mapped_column(JSONB, default=dict)
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
