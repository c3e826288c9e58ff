"""The two logs FERPA asks for, kept apart: the access audit and the disclosure record (34 CFR 99.32); and the rules
on what may leave the classroom (COPPA authorisation, parents' consents, the directory-information opt-out).

Both are append-only at the database: the app role holds INSERT and SELECT on them and nothing else (the migration
grants it). The registry annotations (`info["student_data"]`, docs/decisions/0021-records-and-privacy.md) say how
each travels with a student's export and what a deletion does to it.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Date, DateTime, String, Text
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


def _annotate(**spec) -> dict:
    return {"info": {"student_data": spec}}


# Disclosure rules: what may leave the classroom. In this package (the platform layer) so that any domain that
# shares beyond the class (a portfolio link, an integration, a directory) can ask before it does.


class CoppaAuthorisation(TenantMixin, Base):
    """COPPA: the district consents for the platform's educational use on behalf of parents."""

    __tablename__ = "coppa_authorisations"
    __table_args__ = {
        "info": {"student_data": {"link": None, "reason": _l("The district's own decision; names only the admin.")}}
    }

    authorised_by: Mapped[int | None] = mapped_column(BigInteger)
    statement: Mapped[str] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Consent(TenantMixin, Base):
    """A parent's yes or no to a use beyond the district's educational authorisation (the newest row counts)."""

    __tablename__ = "consents"
    __table_args__ = _annotate(
        link="student_id",
        category="consent",
        purpose=_l("Parents' decisions on uses beyond the district's educational consent (COPPA)."),
        retention=_l("Kept with the record."),
        export="rows",
        delete="rows",
        people=("decided_by",),
    )

    student_id: Mapped[int] = mapped_column(BigInteger)
    use: Mapped[str] = mapped_column(String(40))
    is_granted: Mapped[bool] = mapped_column(Boolean)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)


class DirectoryOptOut(TenantMixin, Base):
    """99.37: the student's directory information is not disclosed beyond the classroom."""

    __tablename__ = "directory_opt_outs"
    __table_args__ = _annotate(
        link="student_id",
        category="consent",
        purpose=_l("The directory-information opt-out (99.37)."),
        retention=_l("Kept with the record."),
        export="rows",
        delete="rows",
        people=("decided_by",),
    )

    student_id: Mapped[int] = mapped_column(BigInteger)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
