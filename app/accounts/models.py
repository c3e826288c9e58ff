from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKeyConstraint, SmallInteger, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TenantMixin

ROLES = ("district_admin", "school_admin", "teacher", "student", "guardian")


class User(TenantMixin, Base):
    __tablename__ = "users"
    __table_args__ = (ForeignKeyConstraint(["district_id"], ["districts.id"]),)

    email: Mapped[str | None] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(10))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    given_name: Mapped[str | None] = mapped_column(String(120))
    family_name: Mapped[str | None] = mapped_column(String(120))
    identifier: Mapped[str | None] = mapped_column(String(120))
    # -1 is pre-kindergarten, 0 kindergarten, 13 post-graduate (OneRoster's grade codes mapped to numbers).
    grade_level: Mapped[int | None] = mapped_column(SmallInteger)
    pronouns: Mapped[str | None] = mapped_column(String(40))
    # OneRoster 1.2: the names a person goes by, the SIS's own identifier for them, their primary school.
    preferred_given_name: Mapped[str | None] = mapped_column(String(120))
    preferred_family_name: Mapped[str | None] = mapped_column(String(120))
    master_identifier: Mapped[str | None] = mapped_column(String(255))
    primary_school_id: Mapped[int | None] = mapped_column(BigInteger)
    birth_date: Mapped[date | None] = mapped_column(Date)
    holds_own_rights: Mapped[bool] = mapped_column(Boolean, default=False)
    has_iep: Mapped[bool] = mapped_column(Boolean, default=False)
    has_504: Mapped[bool] = mapped_column(Boolean, default=False)
    is_ell: Mapped[bool] = mapped_column(Boolean, default=False)


class Membership(TenantMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (
        ForeignKeyConstraint(["district_id"], ["districts.id"]),
        ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["school_id"], ["schools.id"], ondelete="CASCADE"),
    )

    user_id: Mapped[int] = mapped_column(BigInteger)
    school_id: Mapped[int | None] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(20))


class Permission(Base):
    """Platform-wide catalogue of permission codes (not tenant data)."""

    __tablename__ = "permissions"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    description: Mapped[str] = mapped_column(String(200))


class RolePermission(Base):
    """Default grants per role; districts override them in district_role_permissions."""

    __tablename__ = "role_permissions"

    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    permission_code: Mapped[str] = mapped_column(String(64), primary_key=True)


class DistrictRolePermission(TenantMixin, Base):
    __tablename__ = "district_role_permissions"
    __table_args__ = (ForeignKeyConstraint(["district_id"], ["districts.id"]),)

    role: Mapped[str] = mapped_column(String(20))
    permission_code: Mapped[str] = mapped_column(String(64))
    is_granted: Mapped[bool] = mapped_column(Boolean)


class UserSession(TenantMixin, Base):
    """Server side of a signed session cookie: revoking the row ends every copy of the cookie."""

    __tablename__ = "user_sessions"
    __table_args__ = (ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),)

    user_id: Mapped[int] = mapped_column(BigInteger)
    token_hash: Mapped[str] = mapped_column(String(64))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_agent: Mapped[str | None] = mapped_column(String(300))


class OneTimeToken(TenantMixin, Base):
    """Password reset and invitation links; only the SHA-256 of the token is stored."""

    __tablename__ = "one_time_tokens"
    __table_args__ = (ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),)

    user_id: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class GuardianLink(TenantMixin, Base):
    __tablename__ = "guardian_links"
    __table_args__ = (
        ForeignKeyConstraint(["guardian_id"], ["users.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["student_id"], ["users.id"], ondelete="CASCADE"),
    )

    guardian_id: Mapped[int] = mapped_column(BigInteger)
    student_id: Mapped[int] = mapped_column(BigInteger)
    relationship: Mapped[str] = mapped_column(String(40), default="guardian")
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    has_custody: Mapped[bool] = mapped_column(Boolean, default=True)
    is_emergency_contact: Mapped[bool] = mapped_column(Boolean, default=True)
    can_see_grades: Mapped[bool] = mapped_column(Boolean, default=True)
    lives_with: Mapped[bool] = mapped_column(Boolean, default=True)
