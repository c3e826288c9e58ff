from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKeyConstraint, SmallInteger, String, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class District(Base):
    __tablename__ = "districts"

    # RLS on this table compares id itself with app.district_id.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    default_locale: Mapped[str] = mapped_column(String(10), default="en")
    time_zone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class School(TenantMixin, Base):
    __tablename__ = "schools"
    __table_args__ = (ForeignKeyConstraint(["district_id"], ["districts.id"]),)

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(40))
    grade_low: Mapped[int] = mapped_column(SmallInteger, default=0)
    grade_high: Mapped[int] = mapped_column(SmallInteger, default=12)
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    # The school calendar (docs/decisions/0012-school-calendar.md): ISO weekdays with classes, and the day
    # rotation ("none", "ab", or "blocks" of rotation_days numbered days).
    instructional_weekdays: Mapped[list[int]] = mapped_column(ARRAY(SmallInteger), default=lambda: [1, 2, 3, 4, 5])
    rotation: Mapped[str] = mapped_column(String(10), default="none")
    rotation_days: Mapped[int | None] = mapped_column(SmallInteger)


class AcademicYear(TenantMixin, Base):
    """A school year; its terms are the grading periods. Years of a district never overlap."""

    __tablename__ = "academic_years"

    name: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    sourced_id: Mapped[str | None] = mapped_column(String(255))


class Term(TenantMixin, Base):
    """A grading period inside an academic year; terms of one year never overlap."""

    __tablename__ = "terms"

    academic_year_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    sourced_id: Mapped[str | None] = mapped_column(String(255))


class Course(TenantMixin, Base):
    """A school's catalog entry for one year (rollover copies it, with its units, into the next)."""

    __tablename__ = "courses"

    school_id: Mapped[int | None] = mapped_column(BigInteger)
    academic_year_id: Mapped[int | None] = mapped_column(BigInteger)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(80))
    grade_low: Mapped[int | None] = mapped_column(SmallInteger)
    grade_high: Mapped[int | None] = mapped_column(SmallInteger)
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class DayOff(TenantMixin, Base):
    """A day or a range of days without classes (holiday, break, PD day, closure). No school: the whole district."""

    __tablename__ = "days_off"

    school_id: Mapped[int | None] = mapped_column(BigInteger)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(120))
