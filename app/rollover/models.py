from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class Rollover(TenantMixin, Base):
    """One year-to-year rollover: previewed, applied (reversible), then confirmed."""

    __tablename__ = "rollovers"
    __table_args__ = {"info": {"student_data": {"reason": _l("Year rollovers run by admins; counts only.")}}}

    user_id: Mapped[int | None] = mapped_column(BigInteger)
    from_year_id: Mapped[int] = mapped_column(BigInteger)
    to_year_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="previewed")
    preview: Mapped[dict | None] = mapped_column(JSONB)
    undo: Mapped[dict | None] = mapped_column(JSONB)
    job_run_id: Mapped[int | None] = mapped_column(BigInteger)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
