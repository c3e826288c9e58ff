from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Computed, DateTime, Integer, SmallInteger, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin

SEARCH_TEXT = (
    "to_tsvector('simple', coalesce(human_code, '') || ' ' || coalesce(abbreviated_statement, '') || ' ' "
    "|| full_statement)"
)


class Framework(TenantMixin, Base):
    """A district's framework (a CASE CFDocument, or a CSV a district keeps), keyed by its identifier."""

    __tablename__ = "standard_frameworks"

    identifier: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(500))
    creator: Mapped[str | None] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(100))
    adoption_status: Mapped[str | None] = mapped_column(String(100))
    uri: Mapped[str | None] = mapped_column(String(1000))
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StandardItem(TenantMixin, Base):
    """One CFItem: a standard, or a grouping of them (cluster, domain) when it has children."""

    __tablename__ = "standard_items"

    framework_id: Mapped[int] = mapped_column(BigInteger)
    identifier: Mapped[str] = mapped_column(String(255))
    human_code: Mapped[str | None] = mapped_column(String(100))
    full_statement: Mapped[str] = mapped_column(Text, default="")
    abbreviated_statement: Mapped[str | None] = mapped_column(Text)
    item_type: Mapped[str | None] = mapped_column(String(100))
    education_levels: Mapped[list[str]] = mapped_column(ARRAY(String(4)), default=list)
    subject: Mapped[str | None] = mapped_column(String(200))
    list_enumeration: Mapped[str | None] = mapped_column(String(50))
    sequence_number: Mapped[int | None] = mapped_column(Integer)
    # Tree order within the framework (depth first, siblings by sequence), for browsing and sorting results.
    position: Mapped[int] = mapped_column(Integer, default=0)
    depth: Mapped[int] = mapped_column(SmallInteger, default=0)
    is_leaf: Mapped[bool] = mapped_column(Boolean, default=True)
    uri: Mapped[str | None] = mapped_column(String(1000))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    replaced_by_id: Mapped[int | None] = mapped_column(BigInteger)
    code_key: Mapped[str | None] = mapped_column(String(100), Computed("lower(human_code)", persisted=True))
    search_vector: Mapped[str | None] = mapped_column(TSVECTOR, Computed(SEARCH_TEXT, persisted=True), deferred=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StandardEdge(TenantMixin, Base):
    """isChildOf: `child_id` sits under `parent_id` (None: the framework's top level) at `position`."""

    __tablename__ = "standard_edges"

    framework_id: Mapped[int] = mapped_column(BigInteger)
    parent_id: Mapped[int | None] = mapped_column(BigInteger)
    child_id: Mapped[int] = mapped_column(BigInteger)
    sequence: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class StandardLink(TenantMixin, Base):
    """Another CASE association (exactMatchOf, isRelatedTo, precedes, replacedBy, ...) from an item."""

    __tablename__ = "standard_links"

    framework_id: Mapped[int] = mapped_column(BigInteger)
    origin_id: Mapped[int] = mapped_column(BigInteger)
    link_type: Mapped[str] = mapped_column(String(60))
    target_id: Mapped[int | None] = mapped_column(BigInteger)
    target_identifier: Mapped[str] = mapped_column(String(255))
    target_uri: Mapped[str | None] = mapped_column(String(1000))
    target_title: Mapped[str | None] = mapped_column(String(500))


class StandardImport(TenantMixin, Base):
    """An uploaded CASE package or CSV: checked into a preview, then applied all or nothing."""

    __tablename__ = "standard_imports"
    __table_args__ = {"info": {"student_data": {"reason": _l("Staff imports of standards; no student data.")}}}

    user_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="validating")
    kind: Mapped[str] = mapped_column(String(10))
    file_key: Mapped[str] = mapped_column(String(128))
    file_name: Mapped[str] = mapped_column(String(255))
    framework_name: Mapped[str | None] = mapped_column(String(500))
    framework_id: Mapped[int | None] = mapped_column(BigInteger)
    errors: Mapped[list] = mapped_column(JSONB, default=list)
    warnings: Mapped[list] = mapped_column(JSONB, default=list)
    preview: Mapped[dict | None] = mapped_column(JSONB)
    validate_run_id: Mapped[int | None] = mapped_column(BigInteger)
    apply_run_id: Mapped[int | None] = mapped_column(BigInteger)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
