"""Question banks: who sees and edits which (one answer per bank, and the same rule in SQL for lists), creating,
renaming, sharing and copying them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from app import db
from app.errors import Invalid, NotFound
from app.questions import policy
from app.questions.models import Question, QuestionBank

VISIBILITIES = ("private", "school", "district")


@dataclass(frozen=True)
class Access:
    can_view: bool
    can_edit: bool


def access_to(actor, bank: QuestionBank) -> Access:
    edit = policy.can_edit_bank(actor, bank)
    return Access(edit or policy.can_view_bank(actor, bank), edit)


def load_bank(actor, bank_id: int) -> tuple[QuestionBank, Access]:
    """The one scoped getter for banks: the row and what the actor may do; NotFound when they may not see it."""
    bank = db.scoped_get(actor, QuestionBank, bank_id)
    if bank is None:
        raise NotFound()
    access = access_to(actor, bank)
    if not access.can_view:
        raise NotFound()
    return bank, access


def get_bank(actor, bank_id: int) -> tuple[QuestionBank, Access]:
    return load_bank(actor, bank_id)


def editable_bank(actor, bank_id: int) -> QuestionBank:
    bank, access = load_bank(actor, bank_id)
    if not access.can_edit:
        raise NotFound()
    return bank


def visible_condition(actor, model=QuestionBank):
    """SQL: the banks the actor may read (their own, and shared ones that reach them)."""
    own = model.owner_id == getattr(actor, "id", None)
    if not policy.is_staff(actor):
        return own
    schools = policy.staff_school_ids(actor)
    shared = model.visibility == "district"
    if schools is None:
        shared = or_(shared, model.visibility == "school")
    else:
        shared = or_(
            shared,
            and_(model.visibility == "school", or_(model.school_id.is_(None), model.school_id.in_(schools or [-1]))),
        )
    return or_(own, shared)


@dataclass(frozen=True)
class BankRow:
    bank: QuestionBank
    count: int
    is_mine: bool


def visible_banks(actor) -> list[BankRow]:
    """Every bank the actor may read, theirs first, with its number of questions."""
    counts = (
        select(Question.bank_id, func.count().label("n"))
        .where(~Question.is_archived)
        .group_by(Question.bank_id)
        .subquery()
    )
    rows = db.session.execute(
        select(QuestionBank, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.bank_id == QuestionBank.id)
        .where(visible_condition(actor))
        .order_by((QuestionBank.owner_id == actor.id).desc(), QuestionBank.name, QuestionBank.id)
    ).all()
    return [BankRow(bank, count, bank.owner_id == actor.id) for bank, count in rows]


def editable_banks(actor) -> list[QuestionBank]:
    return list(
        db.session.scalars(
            select(QuestionBank).where(QuestionBank.owner_id == actor.id).order_by(QuestionBank.name, QuestionBank.id)
        )
    )


def _school_of(actor) -> int | None:
    schools = policy.staff_school_ids(actor)
    return min(schools) if schools else None


def _check(name: str, visibility: str) -> dict[str, str]:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the bank a name.")
    if visibility not in VISIBILITIES:
        errors["visibility"] = _("Choose who may see the bank.")
    return errors


def create_bank(
    actor, name: str, description: str = "", visibility: str = "private", *, commit: bool = True
) -> QuestionBank:
    """Staff. A bank of their own, shared as far as `visibility` says (school: their school). Invalid per field.
    `commit=False` leaves it in the caller's transaction (an import's new bank)."""
    if not policy.can_keep_banks(actor):
        raise NotFound()
    errors = _check(name, visibility)
    if errors:
        raise Invalid(errors)
    bank = QuestionBank(
        district_id=actor.district_id,
        owner_id=actor.id,
        school_id=_school_of(actor),
        name=" ".join(name.split())[:200],
        description=(description or "").strip()[:500],
        visibility=visibility,
    )
    db.session.add(bank)
    db.session.flush()
    if commit:
        db.session.commit()
    return bank


def update_bank(actor, bank_id: int, name: str, description: str, visibility: str) -> QuestionBank:
    """The bank's owner. Invalid per field; NotFound for anyone else."""
    bank = editable_bank(actor, bank_id)
    errors = _check(name, visibility)
    if errors:
        raise Invalid(errors)
    bank.name, bank.description, bank.visibility = " ".join(name.split())[:200], description.strip()[:500], visibility
    bank.updated_at = datetime.now(UTC)
    db.session.commit()
    return bank
