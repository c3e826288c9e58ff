from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, SmallInteger, String, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class GradingPolicy(TenantMixin, Base):
    """The district's grading rules (one row; absent means the defaults in data.DEFAULT_POLICY)."""

    __tablename__ = "grading_policies"

    missing_counts_as: Mapped[str] = mapped_column(String(30), default="zero")
    late_penalty_per_day: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    late_floor: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    decimals: Mapped[int] = mapped_column(SmallInteger, default=2)
    lock_days_after_term: Mapped[int] = mapped_column(SmallInteger, default=7)
    mastery_method: Mapped[str] = mapped_column(String(20), default="most_recent")
    mastery_decay: Mapped[Decimal] = mapped_column(Numeric(4, 3), default=Decimal("0.65"))
    mastery_scale_max: Mapped[int] = mapped_column(SmallInteger, default=4)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class GradingScale(TenantMixin, Base):
    """Letter bands [{"min": "93", "letter": "A"}, ...] of the district, a school or a course."""

    __tablename__ = "grading_scales"

    school_id: Mapped[int | None] = mapped_column(BigInteger)
    course_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(80))
    bands: Mapped[list] = mapped_column(JSONB)


class GradingPeriod(TenantMixin, Base):
    __tablename__ = "grading_periods"

    term_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    locks_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)


class GradingCategory(TenantMixin, Base):
    __tablename__ = "grading_categories"

    course_id: Mapped[int] = mapped_column(BigInteger)
    section_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(80))
    weight: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    drop_lowest: Mapped[int] = mapped_column(SmallInteger, default=0)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)


class Assignment(TenantMixin, Base):
    __tablename__ = "assignments"
    __table_args__ = {
        "info": {
            "student_data": {"reason": _l("Assignments teachers set; student work and marks are in other tables.")}
        }
    }

    course_id: Mapped[int] = mapped_column(BigInteger)
    lesson_id: Mapped[int | None] = mapped_column(BigInteger)
    owner_id: Mapped[int] = mapped_column(BigInteger)
    category_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("grading_categories.id"))
    title: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[dict] = mapped_column(JSONB, default=lambda: {"version": 1, "blocks": []})
    points_possible: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(10))
    grading_type: Mapped[str] = mapped_column(String(20), default="points")
    submission_type: Mapped[str] = mapped_column(String(10), default="none")
    allows_extra_credit: Mapped[bool] = mapped_column(Boolean, default=False)
    publish_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_held: Mapped[bool] = mapped_column(Boolean, default=False)
    question_version_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)
    standard_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AssignmentSection(TenantMixin, Base):
    """An assignment given to one section, with that section's due and lock times."""

    __tablename__ = "assignment_sections"

    assignment_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("assignments.id"))
    section_id: Mapped[int] = mapped_column(BigInteger)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lock_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AssignmentOverride(TenantMixin, Base):
    """One student's extension (own due and lock) or exemption."""

    __tablename__ = "assignment_overrides"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "student_id",
                "category": "education_record",
                "purpose": _l("Extensions and exemptions a teacher gave the student."),
                "retention": _l("While enrolled, then by the district's rules for grades."),
                "group": "grades",
                "export": "rows",
                "delete": "rows",
                "people": ("created_by",),
            }
        }
    }

    assignment_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("assignments.id"))
    student_id: Mapped[int] = mapped_column(BigInteger)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lock_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[int | None] = mapped_column(BigInteger)


class Submission(TenantMixin, Base):
    __tablename__ = "submissions"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "student_id",
                "category": "work",
                "purpose": _l("Work the student handed in, with its files."),
                "retention": _l("While enrolled, then by the district's rules for student work."),
                "group": "work",
                "export": "rows",
                "delete": "rows",
                "files": ("file_key",),
            }
        }
    }

    assignment_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("assignments.id"))
    section_id: Mapped[int] = mapped_column(BigInteger)
    student_id: Mapped[int] = mapped_column(BigInteger)
    attempt: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict | None] = mapped_column(JSONB)
    file_key: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Grade(TenantMixin, Base):
    __tablename__ = "grades"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "student_id",
                "category": "grades",
                "purpose": _l("Marks and comments teachers gave on assignments."),
                "retention": _l("While enrolled, then by the district's rules for grades."),
                "group": "grades",
                "export": "rows",
                "delete": "rows",
                "people": ("graded_by",),
            }
        }
    }

    assignment_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("assignments.id"))
    section_id: Mapped[int] = mapped_column(BigInteger)
    student_id: Mapped[int] = mapped_column(BigInteger)
    score: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    letter: Mapped[str | None] = mapped_column(String(10))
    is_excused: Mapped[bool] = mapped_column(Boolean, default=False)
    is_marked_missing: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(String(2000), default="")
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    graded_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class GradeHistory(TenantMixin, Base):
    __tablename__ = "grade_history"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "student_id",
                "category": "grades",
                "purpose": _l("Every change to a grade: who, when, old and new."),
                "retention": _l("With the grades they belong to."),
                "group": "grades",
                "export": "rows",
                "delete": "rows",
                "people": (
                    "changed_by",
                    "approved_by",
                ),
            }
        }
    }

    grade_id: Mapped[int] = mapped_column(BigInteger)
    assignment_id: Mapped[int] = mapped_column(BigInteger)
    student_id: Mapped[int] = mapped_column(BigInteger)
    changed_by: Mapped[int | None] = mapped_column(BigInteger)
    old: Mapped[dict | None] = mapped_column(JSONB)
    new: Mapped[dict] = mapped_column(JSONB)
    reason: Mapped[str] = mapped_column(String(500), default="")
    approved_by: Mapped[int | None] = mapped_column(BigInteger)


class GradeChangeRequest(TenantMixin, Base):
    """A grade (or term grade) change asked for after grades locked, waiting for an admin."""

    __tablename__ = "grade_change_requests"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "student_id",
                "category": "grades",
                "purpose": _l("Grade changes asked for after grades locked, and the admin's decision."),
                "retention": _l("With the grades they belong to."),
                "group": "grades",
                "export": "rows",
                "delete": "rows",
                "people": (
                    "requested_by",
                    "decided_by",
                ),
            }
        }
    }

    section_id: Mapped[int] = mapped_column(BigInteger)
    assignment_id: Mapped[int | None] = mapped_column(BigInteger)
    student_id: Mapped[int] = mapped_column(BigInteger)
    term_grade: Mapped[bool] = mapped_column(Boolean, default=False)
    change: Mapped[dict] = mapped_column(JSONB)
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    requested_by: Mapped[int] = mapped_column(BigInteger)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TermGrade(TenantMixin, Base):
    __tablename__ = "term_grades"
    __table_args__ = {
        "info": {
            "student_data": {
                "link": "student_id",
                "category": "grades",
                "purpose": _l("Term and semester grades, overrides and their close."),
                "retention": _l("While enrolled, then by the district's rules for grades."),
                "group": "grades",
                "export": "rows",
                "delete": "rows",
                "people": (
                    "override_by",
                    "closed_by",
                ),
            }
        }
    }

    section_id: Mapped[int] = mapped_column(BigInteger)
    student_id: Mapped[int] = mapped_column(BigInteger)
    grading_period_id: Mapped[int | None] = mapped_column(BigInteger)
    computed_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 3))
    computed_letter: Mapped[str | None] = mapped_column(String(10))
    override_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 3))
    override_letter: Mapped[str | None] = mapped_column(String(10))
    override_comment: Mapped[str] = mapped_column(String(500), default="")
    override_by: Mapped[int | None] = mapped_column(BigInteger)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class GradebookImport(TenantMixin, Base):
    """A gradebook CSV brought into a section: previewed, then applied by a job, with its report."""

    __tablename__ = "gradebook_imports"
    __table_args__ = {"info": {"student_data": {"reason": _l("Teachers' gradebook uploads; grades are elsewhere.")}}}

    section_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    file_key: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    layout: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="ready")
    preview: Mapped[dict] = mapped_column(JSONB, default=dict)
    report: Mapped[dict | None] = mapped_column(JSONB)
    job_run_id: Mapped[int | None] = mapped_column(BigInteger)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
