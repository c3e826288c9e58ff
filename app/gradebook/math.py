"""Grade math that schools expect, in exact Decimal arithmetic: pure functions over plain dataclasses.

The rules, with worked examples, are in docs/grading.md. Nothing here reads the database or Flask: the gradebook
builds `Score`s (it knows due dates, enrollment and submissions) and calls these functions. Every ratio is carried
as an exact numerator/denominator pair and rounded once, half up, to the district's decimals, so a value that sits
exactly on a cut-off (89.995 with two decimals) always rounds the same way.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import combinations
from math import comb

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# Beyond this many subsets drop-lowest switches from trying every subset to the exact ratio iteration.
EXHAUSTIVE_LIMIT = 300
MASTERY_DECIMALS = 2
MASTERY_METHODS = ("most_recent", "highest", "mean", "decaying_average")


@dataclass(frozen=True)
class Score:
    assignment_id: int
    category_id: int | None
    points_possible: Decimal  # 0 allowed only with extra credit
    earned: Decimal | None  # None = not graded
    excused: bool = False
    missing: bool = False  # computed by the caller (due passed, nothing submitted, within enrollment)
    lock_passed: bool = False  # the lock date is past (for the "not counted until lock" missing policy)
    late_days: int = 0  # whole school days late (0 = on time); the caller computes it
    extra_credit: bool = False  # the assignment allows earned > points_possible / is all extra credit
    counts: bool = True  # False for ungraded types (complete/incomplete without points, mastery)


@dataclass(frozen=True)
class Category:
    id: int
    weight: Decimal | None  # percent weight, e.g. Decimal("40"); None when the course uses total points
    drop_lowest: int = 0


@dataclass(frozen=True)
class Policy:
    weighting: str = "weighted"  # "weighted" (category weights) or "points" (total points)
    missing_counts_as: str = "zero"  # "zero" or "not_counted_until_lock"
    late_penalty_per_day: Decimal = Decimal(0)  # percent of the score per late day
    late_floor: Decimal = Decimal(0)  # the penalty never takes the score below this percent of earned
    decimals: int = 2  # the district's rounding, applied before the cut-offs (ROUND_HALF_UP)


@dataclass(frozen=True)
class Band:
    min_percent: Decimal  # inclusive lower cut-off
    letter: str


@dataclass(frozen=True)
class CourseGrade:
    percent: Decimal | None  # None: nothing graded yet
    points_earned: Decimal
    points_possible: Decimal
    by_category: dict[int | None, Decimal | None] = field(default_factory=dict)
    dropped: frozenset[int] = frozenset()  # assignment ids dropped by drop-lowest


def _exact():
    """A context in which any inexact operation raises: every step below is exact or rounds explicitly."""
    context = decimal.Context(prec=1000, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero])
    return decimal.localcontext(context)


def round_ratio(numerator: Decimal, denominator: Decimal, decimals: int) -> Decimal:
    """numerator / denominator rounded half up (away from zero) to `decimals` places, exactly; denominator > 0."""
    with _exact():
        scaled = abs(numerator).scaleb(decimals)
        quotient = scaled // denominator
        if (scaled - quotient * denominator) * 2 >= denominator:
            quotient += 1
        result = quotient.scaleb(-decimals)
        return -result if numerator < 0 else result


def _check(policy: Policy) -> None:
    if policy.weighting not in ("weighted", "points"):
        raise ValueError(f"unknown weighting {policy.weighting!r}")
    if policy.missing_counts_as not in ("zero", "not_counted_until_lock"):
        raise ValueError(f"unknown missing policy {policy.missing_counts_as!r}")
    if policy.decimals < 0:
        raise ValueError("decimals must not be negative")


def effective_points(score: Score, policy: Policy) -> Decimal | None:
    """The points this score contributes, or None when it leaves numerator and denominator alike.

    Excused and ungraded types never count; a grade entered always wins over "missing"; missing work counts as
    zero, or (policy "not_counted_until_lock") only once the lock date has passed; earned points are capped at
    the points possible unless the assignment allows extra credit; the late penalty is per day with a floor.
    """
    _check(policy)
    if score.excused or not score.counts:
        return None
    if score.earned is None:
        if not score.missing:
            return None
        if policy.missing_counts_as == "zero" or score.lock_passed:
            return ZERO
        return None
    with _exact():
        earned = max(score.earned, ZERO)
        if not score.extra_credit:
            earned = min(earned, max(score.points_possible, ZERO))
        if score.late_days > 0 and policy.late_penalty_per_day > 0:
            kept = HUNDRED - policy.late_penalty_per_day * score.late_days
            kept = max(kept, min(max(policy.late_floor, ZERO), HUNDRED), ZERO)
            earned = earned * kept / HUNDRED
        return earned


@dataclass(frozen=True)
class _Item:
    assignment_id: int
    earned: Decimal
    possible: Decimal


def _counted(scores: list[Score], policy: Policy) -> dict[int | None, list[_Item]]:
    groups: dict[int | None, list[_Item]] = {}
    for score in scores:
        points = effective_points(score, policy)
        if points is None:
            continue
        possible = max(score.points_possible, ZERO)
        groups.setdefault(score.category_id, []).append(_Item(score.assignment_id, points, possible))
    return groups


def _better(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    """Whether ratio a = (num, den) is strictly greater than b (both denominators > 0)."""
    with _exact():
        return a[0] * b[1] > b[0] * a[1]


def drop_exhaustive(items: list[_Item], extra: Decimal, n: int) -> frozenset[int]:
    """The ids of the n items whose removal maximises (extra + earned) / possible, trying every subset."""
    with _exact():
        total_e = extra + sum((i.earned for i in items), ZERO)
        total_p = sum((i.possible for i in items), ZERO)
        best: tuple[Decimal, Decimal] | None = None
        best_ids: frozenset[int] = frozenset()
        for dropped in combinations(items, n):
            ratio = (
                total_e - sum((i.earned for i in dropped), ZERO),
                total_p - sum((i.possible for i in dropped), ZERO),
            )
            if best is None or _better(ratio, best):
                best, best_ids = ratio, frozenset(i.assignment_id for i in dropped)
        return best_ids


def drop_optimal(items: list[_Item], extra: Decimal, n: int) -> frozenset[int]:
    """The same answer as `drop_exhaustive` by Dinkelbach's iteration (Kane & Kane, "Dropping Lowest Grades").

    For a candidate ratio q = E/P the best k = len(items) - n items to keep are the k largest values of
    earned - q * possible (compared as earned * P - E * possible, exactly); their ratio is at least q, and
    strictly greater unless q is already optimal, so the loop ends after finitely many steps.
    """
    keep = len(items) - n
    with _exact():
        # Start from the ratio of everything (any start works), then keep the best k for the current ratio.
        num = extra + sum((i.earned for i in items), ZERO)
        den = sum((i.possible for i in items), ZERO)
        kept: list[_Item] = []
        while True:
            ranked = sorted(items, key=lambda i, e=num, p=den: (e * i.possible - i.earned * p, i.assignment_id))
            candidate = ranked[:keep]
            ratio = (
                extra + sum((i.earned for i in candidate), ZERO),
                sum((i.possible for i in candidate), ZERO),
            )
            if kept and not _better(ratio, (num, den)):
                break
            kept, (num, den) = candidate, ratio
        kept_ids = {i.assignment_id for i in kept}
        return frozenset(i.assignment_id for i in items if i.assignment_id not in kept_ids)


def _drop(items: list[_Item], n: int) -> frozenset[int]:
    """Drop-lowest for one category: never drops work without points possible, always keeps one graded item."""
    droppable = [i for i in items if i.possible > 0]
    n = min(n, len(droppable) - 1)
    if n <= 0:
        return frozenset()
    with _exact():
        extra = sum((i.earned for i in items if i.possible <= 0), ZERO)
    if comb(len(droppable), n) <= EXHAUSTIVE_LIMIT:
        return drop_exhaustive(droppable, extra, n)
    return drop_optimal(droppable, extra, n)


def course_grade(scores: list[Score], categories: list[Category], policy: Policy) -> CourseGrade:
    """The course percent (rounded to the policy's decimals), totals, per-category percents and dropped work.

    Weighted: the weighted mean of the categories that have graded work, weights rescaled over those; work in
    no category (or a category without a weight) is shown per category but left out of the percent. Points:
    everything counted, over everything possible. Drop-lowest applies per category in both.
    """
    _check(policy)
    by_id = {c.id: c for c in categories}
    groups = _counted(scores, policy)
    dropped: set[int] = set()
    totals: dict[int | None, tuple[Decimal, Decimal]] = {}
    with _exact():
        for category_id, items in groups.items():
            category = by_id.get(category_id) if category_id is not None else None
            drop = _drop(items, category.drop_lowest) if category and category.drop_lowest > 0 else frozenset()
            dropped |= drop
            kept = [i for i in items if i.assignment_id not in drop]
            totals[category_id] = (sum((i.earned for i in kept), ZERO), sum((i.possible for i in kept), ZERO))
        earned = sum((e for e, _ in totals.values()), ZERO)
        possible = sum((p for _, p in totals.values()), ZERO)

        by_category: dict[int | None, Decimal | None] = {c.id: None for c in categories}
        for category_id, (e, p) in totals.items():
            by_category[category_id] = round_ratio(e * HUNDRED, p, policy.decimals) if p > 0 else None

        if policy.weighting == "points":
            percent = round_ratio(earned * HUNDRED, possible, policy.decimals) if possible > 0 else None
        else:
            percent = _weighted(totals, by_id, policy.decimals)
    return CourseGrade(percent, earned, possible, by_category, frozenset(dropped))


def _weighted(
    totals: dict[int | None, tuple[Decimal, Decimal]], by_id: dict[int, Category], decimals: int
) -> Decimal | None:
    # Sum of weight * earned / possible over the categories with graded work, over the sum of their weights,
    # kept as one exact fraction num / den.
    num, den = ZERO, Decimal(1)
    weight_total = ZERO
    for category_id, (e, p) in totals.items():
        category = by_id.get(category_id) if category_id is not None else None
        if category is None or not category.weight or category.weight <= 0 or p <= 0:
            continue
        num, den = num * p + category.weight * e * HUNDRED * den, den * p
        weight_total += category.weight
    if weight_total <= 0:
        return None
    return round_ratio(num, den * weight_total, decimals)


def letter_for(percent: Decimal | None, bands: list[Band], policy: Policy) -> str | None:
    """The letter of the band the percent falls in, after rounding to the district's decimals.

    Bands are inclusive lower cut-offs in any order; a percent below every band gets the lowest band's letter.
    """
    if percent is None or not bands:
        return None
    rounded = round_ratio(percent, Decimal(1), policy.decimals)
    ordered = sorted(bands, key=lambda b: b.min_percent, reverse=True)
    for band in ordered:
        if rounded >= band.min_percent:
            return band.letter
    return ordered[-1].letter


def combine_periods(parts: list[tuple[Decimal | None, Decimal]], policy: Policy) -> Decimal | None:
    """A semester (or year) percent from its parts' percents at their weights, e.g. Q1 40, Q2 40, final 20.

    A part without a percent drops out and the remaining weights are rescaled; an override is simply the
    percent the caller passes for that part. None when no part has a percent.
    """
    present = [(p, w) for p, w in parts if p is not None and w > 0]
    if not present:
        return None
    with _exact():
        num = sum((p * w for p, w in present), ZERO)
        den = sum((w for _, w in present), ZERO)
    return round_ratio(num, den, policy.decimals)


def mastery(levels: list[tuple[date, Decimal]], method: str, decay: Decimal = Decimal("0.65")) -> Decimal | None:
    """A student's mastery of one standard from the levels scored over time, rounded to two decimals.

    most_recent: the latest level (the later entry on a tie of dates); highest; mean; decaying_average: each
    later level weighted `decay` against the running average of the earlier ones (the first level starts it).
    Mastery is never averaged into the course percent.
    """
    if method not in MASTERY_METHODS:
        raise ValueError(f"unknown mastery method {method!r}")
    if not levels:
        return None
    if not ZERO <= decay <= 1:
        raise ValueError("decay must be between 0 and 1")
    ordered = [level for _, level in sorted(enumerate(levels), key=lambda p: (p[1][0], p[0]))]
    values = [level for _, level in ordered]
    with _exact():
        if method == "most_recent":
            return round_ratio(values[-1], Decimal(1), MASTERY_DECIMALS)
        if method == "highest":
            return round_ratio(max(values), Decimal(1), MASTERY_DECIMALS)
        if method == "mean":
            return round_ratio(sum(values, ZERO), Decimal(len(values)), MASTERY_DECIMALS)
    # Each step adds digits, so the running average is carried at 60 significant digits, then rounded once.
    with decimal.localcontext(decimal.Context(prec=60)):
        average = values[0]
        for value in values[1:]:
            average = average * (1 - decay) + value * decay
    return round_ratio(average, Decimal(1), MASTERY_DECIMALS)
