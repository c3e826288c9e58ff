from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class OneRosterImport(TenantMixin, Base):
    """An uploaded OneRoster 1.1 or 1.2 CSV set: validated into a preview, then applied all or nothing."""

    __tablename__ = "oneroster_imports"
    __table_args__ = {
        "info": {
            "student_data": {
                "reason": _l("The district's SIS files, kept by district policy; removed by a whole-district deletion.")
            }
        }
    }

    user_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="validating")
    file_key: Mapped[str] = mapped_column(String(128))
    file_name: Mapped[str] = mapped_column(String(255))
    errors: Mapped[list] = mapped_column(JSONB, default=list)
    warnings: Mapped[list] = mapped_column(JSONB, default=list)
    preview: Mapped[dict | None] = mapped_column(JSONB)
    validate_run_id: Mapped[int | None] = mapped_column(BigInteger)
    apply_run_id: Mapped[int | None] = mapped_column(BigInteger)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The import report (CSV) in file storage, written when the import is applied.
    report_key: Mapped[str | None] = mapped_column(String(128))
