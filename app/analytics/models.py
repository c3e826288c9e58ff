"""The activity record, the rollups (cells and the facts behind them), rebuilds and the district's settings.
The migration owns constraints, indexes and policies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, Numeric, SmallInteger, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class ActivityDay(TenantMixin, Base):
    """A day on which a person used Chalkline signed in."""

    __tablename__ = "user_activity_days"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "user_id",
                "category": "activity",
                "purpose": _l("The days the person used Chalkline (one row a day), for adoption figures."),
                "retention": _l("By the district's retention rules for activity."),
                "group": "activity",
                "export": "rows",
                "delete": "rows",
            }
        }
    }

    user_id: Mapped[int] = mapped_column(BigInteger)
    day: Mapped[date] = mapped_column(Date)


class Rebuild(TenantMixin, Base):
    __tablename__ = "analytics_rebuilds"

    status: Mapped[str] = mapped_column(String(10), default="running")
    as_of: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_week: Mapped[date | None] = mapped_column(Date)
    last_week: Mapped[date | None] = mapped_column(Date)
    cells: Mapped[int] = mapped_column(Integer, default=0)
    facts: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    error: Mapped[str | None] = mapped_column(String(1000))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


COUNT_COLUMNS = (
    "students",
    "active_students",
    "reached_students",
    "teachers",
    "active_teachers",
    "guardians",
    "active_guardians",
    "class_days",
    "planned_days",
    "taught_days",
    "lessons_planned",
    "lessons_taught",
    "units_planned",
    "units_taught",
)


class Cell(TenantMixin, Base):
    """One week of one group (its `level` says which dimensions are set); every metric's counts."""

    __tablename__ = "analytics_cells"

    level: Mapped[str] = mapped_column(String(20))
    week_start: Mapped[date] = mapped_column(Date)
    school_id: Mapped[int | None] = mapped_column(BigInteger)
    grade_level: Mapped[int | None] = mapped_column(SmallInteger)
    subject: Mapped[str | None] = mapped_column(String(80))
    course_id: Mapped[int | None] = mapped_column(BigInteger)
    section_id: Mapped[int | None] = mapped_column(BigInteger)
    students: Mapped[int] = mapped_column(Integer, default=0)
    active_students: Mapped[int] = mapped_column(Integer, default=0)
    reached_students: Mapped[int] = mapped_column(Integer, default=0)
    teachers: Mapped[int] = mapped_column(Integer, default=0)
    active_teachers: Mapped[int] = mapped_column(Integer, default=0)
    guardians: Mapped[int] = mapped_column(Integer, default=0)
    active_guardians: Mapped[int] = mapped_column(Integer, default=0)
    class_days: Mapped[int] = mapped_column(Integer, default=0)
    planned_days: Mapped[int] = mapped_column(Integer, default=0)
    taught_days: Mapped[int] = mapped_column(Integer, default=0)
    lessons_planned: Mapped[int] = mapped_column(Integer, default=0)
    lessons_taught: Mapped[int] = mapped_column(Integer, default=0)
    units_planned: Mapped[int] = mapped_column(Integer, default=0)
    units_taught: Mapped[int] = mapped_column(Integer, default=0)


class Fact(TenantMixin, Base):
    """A person rostered in an instructional week (at a school, in a section for students and teachers)."""

    __tablename__ = "analytics_facts"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "user_id",
                "category": "aggregate",
                "purpose": _l("Weekly facts per person that the dashboard rollups count."),
                "retention": _l("Rebuilt from the records every 15 minutes; deleted with the person."),
                "group": "activity",
                "export": "none",
                "delete": "rows",
            }
        }
    }

    week_start: Mapped[date] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(BigInteger)
    school_id: Mapped[int] = mapped_column(BigInteger)
    section_id: Mapped[int | None] = mapped_column(BigInteger)
    course_id: Mapped[int | None] = mapped_column(BigInteger)
    subject: Mapped[str | None] = mapped_column(String(80))
    grade_level: Mapped[int | None] = mapped_column(SmallInteger)
    is_active: Mapped[bool] = mapped_column(Boolean)
    is_reached: Mapped[bool] = mapped_column(Boolean, default=False)


class Settings(TenantMixin, Base):
    __tablename__ = "analytics_settings"

    show_teacher_figures: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
