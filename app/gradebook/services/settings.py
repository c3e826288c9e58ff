"""The rules a gradebook computes with: the district's policy, letter scales, categories and grading periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app import db
from app.errors import Invalid, NotFound
from app.gradebook import math as gm
from app.gradebook import policy
from app.gradebook.data import DEFAULT_BANDS, MASTERY_METHODS, MISSING_POLICIES
from app.gradebook.models import GradingCategory, GradingPeriod, GradingPolicy, GradingScale


@dataclass(frozen=True)
class Rules:
    """What one section's grades are computed with."""

    policy: gm.Policy
    bands: list[gm.Band]
    categories: list[GradingCategory]
    lock_days_after_term: int
    mastery_method: str
    mastery_decay: Decimal
    mastery_scale_max: int

    @property
    def math_categories(self) -> list[gm.Category]:
        return [gm.Category(c.id, c.weight, c.drop_lowest) for c in self.categories]


def policy_row() -> GradingPolicy | None:
    return db.session.scalar(select(GradingPolicy))


def _math_policy(row: GradingPolicy | None, weighted: bool) -> gm.Policy:
    weighting = "weighted" if weighted else "points"
    if row is None:
        return gm.Policy(weighting=weighting)
    return gm.Policy(
        weighting=weighting,
        missing_counts_as=row.missing_counts_as,
        late_penalty_per_day=Decimal(row.late_penalty_per_day),
        late_floor=Decimal(row.late_floor),
        decimals=row.decimals,
    )


def bands_for(course_id: int | None, school_id: int | None) -> list[gm.Band]:
    """The narrowest scale that applies: the course's, else the school's, else the district's, else the default."""
    scales = db.session.scalars(
        select(GradingScale).where(
            or_(GradingScale.course_id == course_id, GradingScale.course_id.is_(None)),
            or_(GradingScale.school_id == school_id, GradingScale.school_id.is_(None)),
        )
    ).all()
    best = None
    for scale in scales:
        rank = (scale.course_id is not None, scale.school_id is not None)
        if best is None or rank > best[0]:
            best = (rank, scale)
    pairs = [(band["min"], band["letter"]) for band in best[1].bands] if best else DEFAULT_BANDS
    return sorted((gm.Band(Decimal(str(low)), letter) for low, letter in pairs), key=lambda b: -b.min_percent)


def categories_for(course_id: int, section_id: int) -> list[GradingCategory]:
    """The section's own categories when it has any, else its course's."""
    rows = db.session.scalars(
        select(GradingCategory)
        .where(
            GradingCategory.course_id == course_id,
            or_(GradingCategory.section_id == section_id, GradingCategory.section_id.is_(None)),
        )
        .order_by(GradingCategory.position, GradingCategory.id)
    ).all()
    own = [c for c in rows if c.section_id == section_id]
    return own or [c for c in rows if c.section_id is None]


def rules_for(section) -> Rules:
    row = policy_row()
    categories = categories_for(section.course_id, section.id)
    weighted = any(c.weight is not None for c in categories)
    return Rules(
        _math_policy(row, weighted),
        bands_for(section.course_id, section.school_id),
        categories,
        row.lock_days_after_term if row else 7,
        row.mastery_method if row else "most_recent",
        Decimal(row.mastery_decay) if row else Decimal("0.65"),
        row.mastery_scale_max if row else 4,
    )


@dataclass(frozen=True)
class Period:
    """A grading period of a term (or the whole term when it has none)."""

    id: int | None
    name: str
    starts_on: date
    ends_on: date
    weight: Decimal
    locks_on: date

    def holds(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on


def periods_of(term, lock_days_after_term: int) -> list[Period]:
    """The term's grading periods in order; a term without any is a single period of weight 100."""
    rows = db.session.scalars(
        select(GradingPeriod)
        .where(GradingPeriod.term_id == term.id)
        .order_by(GradingPeriod.starts_on, GradingPeriod.position)
    ).all()
    default_lock = term.ends_on + timedelta(days=lock_days_after_term)
    if not rows:
        return [Period(None, term.name, term.starts_on, term.ends_on, Decimal(100), default_lock)]
    return [
        Period(
            p.id,
            p.name,
            p.starts_on,
            p.ends_on,
            Decimal(p.weight),
            p.locks_on or (p.ends_on + timedelta(days=lock_days_after_term)),
        )
        for p in rows
    ]


def period_for(periods: list[Period], on: date | None) -> Period:
    """The period a due date falls in: before the first, the first; after the last (or undated), the last."""
    if on is None:
        return periods[-1]
    for period in periods:
        if period.holds(on):
            return period
    return periods[0] if on < periods[0].starts_on else periods[-1]


def _decimal(raw, field: str, errors: dict, low: Decimal, high: Decimal) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors[field] = _("Enter a number.")
        return None
    if not value.is_finite() or value < low or value > high:
        errors[field] = _("Enter a number from %(low)s to %(high)s.", low=low, high=high)
        return None
    return value


def update_policy(actor, **values) -> GradingPolicy:
    """District admins with grades.policy: the missing rule, late penalty and floor, rounding, lock days,
    mastery method. Raises NotFound for anyone else, Invalid with per-field messages."""
    if not policy.can_set_policy(actor):
        raise NotFound()
    errors: dict[str, str] = {}
    if values.get("missing_counts_as") not in dict(MISSING_POLICIES):
        errors["missing_counts_as"] = _("Choose what missing work counts as.")
    if values.get("mastery_method") not in dict(MASTERY_METHODS):
        errors["mastery_method"] = _("Choose how mastery is computed.")
    penalty = _decimal(values.get("late_penalty_per_day", 0), "late_penalty_per_day", errors, Decimal(0), Decimal(100))
    floor = _decimal(values.get("late_floor", 0), "late_floor", errors, Decimal(0), Decimal(100))
    decimals = _decimal(values.get("decimals", 2), "decimals", errors, Decimal(0), Decimal(4))
    lock_days = _decimal(
        values.get("lock_days_after_term", 7), "lock_days_after_term", errors, Decimal(0), Decimal(120)
    )
    if errors:
        raise Invalid(errors)
    row = policy_row() or GradingPolicy(district_id=actor.district_id)
    row.missing_counts_as = values["missing_counts_as"]
    row.mastery_method = values["mastery_method"]
    row.late_penalty_per_day, row.late_floor = penalty, floor
    row.decimals, row.lock_days_after_term = int(decimals), int(lock_days)
    db.session.add(row)
    db.session.commit()
    return row


def set_categories(actor, course_id: int, section_id: int | None, rows: list[dict]) -> list[GradingCategory]:
    """For whoever grades a section of the course (section_id given: that section's own set). Replaces the
    set: [{"name", "weight" (or None), "drop_lowest"}]. Raises Invalid for a bad weight or name."""
    errors: dict[str, str] = {}
    clean = []
    for index, row in enumerate(rows):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        weight = row.get("weight")
        weight = None if weight in (None, "") else _decimal(weight, f"weight-{index}", errors, Decimal(0), Decimal(100))
        drop = _decimal(row.get("drop_lowest") or 0, f"drop-{index}", errors, Decimal(0), Decimal(20))
        clean.append((name[:80], weight, int(drop or 0)))
    if errors:
        raise Invalid(errors)
    existing = {
        c.name: c
        for c in db.session.scalars(
            select(GradingCategory).where(
                GradingCategory.course_id == course_id,
                GradingCategory.section_id == section_id
                if section_id is not None
                else GradingCategory.section_id.is_(None),
            )
        )
    }
    kept = []
    for position, (name, weight, drop) in enumerate(clean):
        category = existing.pop(name, None) or GradingCategory(
            district_id=actor.district_id, course_id=course_id, section_id=section_id, name=name
        )
        category.weight, category.drop_lowest, category.position = weight, drop, position
        db.session.add(category)
        kept.append(category)
    for gone in existing.values():
        db.session.delete(gone)
    db.session.flush()
    return kept


def get_category(actor, category_id: int | None) -> GradingCategory | None:
    if category_id is None:
        return None
    category = db.scoped_get(actor, GradingCategory, category_id)
    if category is None:
        raise NotFound()
    return category
