from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Date, DateTime, SmallInteger, String, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class Section(TenantMixin, Base):
    """A class: one course in one term, taught by one or more teachers (OneRoster "class")."""

    __tablename__ = "sections"

    course_id: Mapped[int] = mapped_column(BigInteger)
    term_id: Mapped[int] = mapped_column(BigInteger)
    school_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    period: Mapped[str | None] = mapped_column(String(40))
    room: Mapped[str | None] = mapped_column(String(40))
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    # Archived by year rollover: still viewable, no longer editable.
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # When it meets (docs/decisions/0012-school-calendar.md): "daily" (every instructional day of its school),
    # "rotation" (the rotation days in meeting_days: 1 = A, 2 = B, or block numbers) or "weekdays" (ISO weekdays).
    meeting_pattern: Mapped[str] = mapped_column(String(10), default="daily")
    meeting_days: Mapped[list[int] | None] = mapped_column(ARRAY(SmallInteger))


class SectionTeacher(Base):
    __tablename__ = "section_teachers"
    __table_args__ = {"info": {"student_data": {"reason": _l("Teachers of sections; no student data.")}}}

    district_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    section_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    teacher_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Enrollment(TenantMixin, Base):
    """A student in a section from `added_on`; a drop sets `dropped_on` and keeps the row as history."""

    __tablename__ = "enrollments"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "student_id",
                "category": "enrollment",
                "purpose": _l("The classes the student is and was in."),
                "retention": _l("While the student is enrolled, then by the district's retention rules."),
                "export": "rows",
                "delete": "rows",
            }
        }
    }

    section_id: Mapped[int] = mapped_column(BigInteger)
    student_id: Mapped[int] = mapped_column(BigInteger)
    added_on: Mapped[date] = mapped_column(Date, default=date.today)
    dropped_on: Mapped[date | None] = mapped_column(Date)
    sourced_id: Mapped[str | None] = mapped_column(String(255))
