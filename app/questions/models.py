from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, DateTime, Integer, Numeric, SmallInteger, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin


class QuestionBank(TenantMixin, Base):
    __tablename__ = "question_banks"
    __table_args__ = {"info": {"student_data": {"reason": _l("Teachers' question banks; no student data.")}}}

    school_id: Mapped[int | None] = mapped_column(BigInteger)
    owner_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    copied_from_id: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Question(TenantMixin, Base):
    """The live state of a question (what the bank lists and searches); its versions are in content_versions."""

    __tablename__ = "questions"
    __table_args__ = {"info": {"student_data": {"reason": _l("Teachers' questions; no student data.")}}}

    bank_id: Mapped[int] = mapped_column(BigInteger)
    owner_id: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200), default="")
    stem: Mapped[dict] = mapped_column(JSONB, default=lambda: {"version": 1, "blocks": []})
    # Everything else of the question, in the shape of data.QuestionData (see codec.py).
    body: Mapped[dict] = mapped_column(JSONB, default=dict)
    points: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(1))
    difficulty: Mapped[int | None] = mapped_column(SmallInteger)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    standard_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), default=list)
    source_id: Mapped[str] = mapped_column(String(200), default="")
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    copied_from_id: Mapped[int | None] = mapped_column(BigInteger)
    copied_from_version: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(20), default="english")
    plain_text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    # Kept by a database trigger from title and plain_text; never written here.
    search_vector: Mapped[str | None] = mapped_column(TSVECTOR, deferred=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class QuestionImport(TenantMixin, Base):
    """An uploaded question file: checked into a preview, then applied into a bank all or nothing."""

    __tablename__ = "question_imports"
    __table_args__ = {"info": {"student_data": {"reason": _l("Teachers' question imports; no student data.")}}}

    user_id: Mapped[int | None] = mapped_column(BigInteger)
    bank_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="checking")
    format: Mapped[str | None] = mapped_column(String(20))
    file_key: Mapped[str] = mapped_column(String(128))
    file_name: Mapped[str] = mapped_column(String(255))
    preview: Mapped[dict | None] = mapped_column(JSONB)
    problems: Mapped[list] = mapped_column(JSONB, default=list)
    check_run_id: Mapped[int | None] = mapped_column(BigInteger)
    apply_run_id: Mapped[int | None] = mapped_column(BigInteger)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
