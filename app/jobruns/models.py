from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, DateTime, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin

ACTIVE = ("queued", "running")


class JobRun(TenantMixin, Base):
    """A user-visible background job: status and progress survive page reloads."""

    __tablename__ = "job_runs"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "user_id",
                "category": "activity",
                "purpose": _l("Background work the student started, and its results."),
                "retention": _l("By the district's retention rules for activity."),
                "export": "none",
                "delete": "rows",
                "group": "activity",
            }
        }
    }

    user_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == "done" else 0
        return min(100, round(100 * self.progress / self.total))
