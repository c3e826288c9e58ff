from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, SmallInteger, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class VersionedMixin:
    """The live row of versioned content: `version` is its newest version's number, `revision` counts every write
    (autosaves included) so a save that started from an older revision is refused, and `published_version` is
    what viewers who are not editors see."""

    version: Mapped[int] = mapped_column(Integer, default=1)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    language: Mapped[str] = mapped_column(String(20), default="english")
    plain_text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    # Kept by a database trigger from title and plain_text, in the item's language; never written here.
    search_vector: Mapped[str | None] = mapped_column(TSVECTOR, deferred=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PublishedMixin:
    """What viewers who are not editors search and see: the published version's title and text."""

    published_version: Mapped[int | None] = mapped_column(Integer)
    published_title: Mapped[str | None] = mapped_column(String(200))
    published_text: Mapped[str | None] = mapped_column(Text, deferred=True)
    published_vector: Mapped[str | None] = mapped_column(TSVECTOR, deferred=True)


class Unit(PublishedMixin, VersionedMixin, TenantMixin, Base):
    __tablename__ = "units"
    __table_args__ = {"info": {"student_data": {"reason": _l("Teachers' units; no student data.")}}}

    course_id: Mapped[int] = mapped_column(BigInteger)
    school_id: Mapped[int | None] = mapped_column(BigInteger)
    owner_id: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[dict] = mapped_column(JSONB, default=lambda: {"version": 1, "blocks": []})
    big_ideas: Mapped[dict] = mapped_column(JSONB, default=lambda: {"version": 1, "blocks": []})
    essential_questions: Mapped[dict] = mapped_column(JSONB, default=lambda: {"version": 1, "blocks": []})
    duration_days: Mapped[int | None] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    copied_from_id: Mapped[int | None] = mapped_column(BigInteger)
    copied_from_version: Mapped[int | None] = mapped_column(Integer)
    template_id: Mapped[int | None] = mapped_column(BigInteger)
    # The standards the unit is aligned to (ids of standard_items, in the order chosen); part of every snapshot.
    standard_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)


class Lesson(PublishedMixin, VersionedMixin, TenantMixin, Base):
    __tablename__ = "lessons"
    __table_args__ = {"info": {"student_data": {"reason": _l("Teachers' lessons; no student data.")}}}

    unit_id: Mapped[int] = mapped_column(BigInteger)
    course_id: Mapped[int] = mapped_column(BigInteger)
    school_id: Mapped[int | None] = mapped_column(BigInteger)
    owner_id: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(200))
    # Section key (objectives, materials, ...) -> rich-text document; see data.LESSON_SECTIONS.
    sections: Mapped[dict] = mapped_column(JSONB, default=dict)
    duration_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    copied_from_id: Mapped[int | None] = mapped_column(BigInteger)
    copied_from_version: Mapped[int | None] = mapped_column(Integer)
    template_id: Mapped[int | None] = mapped_column(BigInteger)
    standard_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)


class ContentTemplate(VersionedMixin, TenantMixin, Base):
    """A unit or lesson template: a school's (school_id set) or the district's (school_id None)."""

    __tablename__ = "content_templates"

    school_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    # For a lesson template: {"sections": {key: document}, "duration_minutes": n}; for a unit template the unit's
    # rich fields and duration.
    body: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)


class PlannerEntry(TenantMixin, Base):
    """A lesson in a section's plan, in order; its dates follow from the order and the section's meeting days."""

    __tablename__ = "planner_entries"

    section_id: Mapped[int] = mapped_column(BigInteger)
    lesson_id: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(SmallInteger, default=1)
    # The earliest day this lesson may fall on (where it was placed); earlier free days stay free.
    not_before: Mapped[date | None] = mapped_column(Date)
    forked_from_id: Mapped[int | None] = mapped_column(BigInteger)
    created_by: Mapped[int | None] = mapped_column(BigInteger)


class PlannerSkip(TenantMixin, Base):
    """A meeting day a section does not use for its plan (a snow day, an assembly); what follows moves on."""

    __tablename__ = "planner_skips"

    section_id: Mapped[int] = mapped_column(BigInteger)
    skipped_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(120), default="")
    created_by: Mapped[int | None] = mapped_column(BigInteger)
