from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKeyConstraint, SmallInteger, String, func
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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class School(TenantMixin, Base):
    __tablename__ = "schools"
    __table_args__ = (ForeignKeyConstraint(["district_id"], ["districts.id"]),)

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(40))
    grade_low: Mapped[int] = mapped_column(SmallInteger, default=0)
    grade_high: Mapped[int] = mapped_column(SmallInteger, default=12)
