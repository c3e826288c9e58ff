from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, DateTime, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class ContentVersion(TenantMixin, Base):
    """One snapshot of an item. Immutable once sealed; an open autosave is overwritten by the same author's later
    autosaves of the same editing session for a few minutes (autosave_count edits in one row)."""

    __tablename__ = "content_versions"
    __table_args__ = {"info": {"student_data": {"reason": _l("Snapshots of teachers' content; no student data.")}}}

    item_type: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSONB)
    author_id: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(String(300))
    is_autosave: Mapped[bool] = mapped_column(Boolean, default=False)
    autosave_count: Mapped[int] = mapped_column(Integer, default=0)
    editing_session: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # When it was published (readers who are not editors compare published versions only); None for drafts.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
