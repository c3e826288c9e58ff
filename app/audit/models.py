"""The two logs FERPA asks for, kept apart: the access audit and the disclosure record (34 CFR 99.32).

Both are append-only at the database: the app role holds INSERT and SELECT on them and nothing else (the migration
grants it). The registry annotations (`info["student_data"]`, docs/decisions/0021-records-and-privacy.md) say how
each travels with a student's export and what a deletion does to it.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Date, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class AccessAudit(TenantMixin, Base):
    """A staff member viewed or exported a student's records."""

    __tablename__ = "access_audit"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "student_id",
                "category": "audit",
                "purpose": _l("Shows who viewed or exported the student's records, when, from where and why."),
                "retention": _l("Kept while the record is kept; the student link is removed when it is deleted."),
                "export": "rows",
                "delete": "forget",
                "people": ("actor_id",),
            }
        }
    }

    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_role: Mapped[str] = mapped_column(String(20), default="")
    student_id: Mapped[int | None] = mapped_column(BigInteger)
    what: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(120), default="")


class Disclosure(TenantMixin, Base):
    """A disclosure of a student's records to a party outside the school's officials (99.32(a))."""

    __tablename__ = "disclosures"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "student_id",
                "category": "disclosure",
                "purpose": _l("The record of disclosures that parents and eligible students may read (99.32(c))."),
                "retention": _l("Kept as long as the education record (99.32(a)(2))."),
                "export": "rows",
                "delete": "forget",
                "people": ("recorded_by",),
            }
        }
    }

    student_id: Mapped[int | None] = mapped_column(BigInteger)
    party: Mapped[str] = mapped_column(String(200))
    party_kind: Mapped[str] = mapped_column(String(20))
    legitimate_interest: Mapped[str] = mapped_column(Text)
    what_disclosed: Mapped[str] = mapped_column(Text)
    statement_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    disclosed_on: Mapped[date] = mapped_column(Date, default=date.today)
