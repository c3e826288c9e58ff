"""Grade math against hand-computed fixtures (the worked examples of docs/grading.md) and generated properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from itertools import combinations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.gradebook.math import (
    Band,
    Category,
    Policy,
    Score,
    _Item,
    combine_periods,
    course_grade,
    drop_exhaustive,
    drop_optimal,
    effective_points,
    letter_for,
    mastery,
    round_ratio,
)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
BANDS = [Band(D(90), "A"), Band(D(80), "B"), Band(D(70), "C"), Band(D(60), "D"), Band(D(0), "F")]
POINTS = Policy(weighting="points")


def s(aid, cat, possible, earned, **kw):
    return Score(aid, cat, D(possible), None if earned is None else D(earned), **kw)


# Hand-computed fixtures: the worked examples in docs/grading.md.


def test_weighted_categories_give_the_weighted_mean_of_category_percents():
    # Homework 40%: 18/20 = 90%; tests 60%: 75/100 = 75%; 0.4 * 90 + 0.6 * 75 = 81
    scores = [s(1, 1, 10, 9), s(2, 1, 10, 9), s(3, 2, 100, 75)]
    grade = course_grade(scores, [Category(1, D(40)), Category(2, D(60))], Policy())
    assert grade.percent == D("81.00")
    assert grade.by_category == {1: D("90.00"), 2: D("75.00")}
    assert (grade.points_earned, grade.points_possible) == (D(93), D(120))


def test_a_category_with_no_graded_work_drops_out_and_the_other_weights_are_rescaled():
    # Homework 30% (90%), quizzes 20% (nothing graded), tests 50% (70%): (30*90 + 50*70) / 80 = 77.5
    scores = [s(1, 1, 10, 9), s(2, 2, 10, None), s(3, 3, 50, 35)]
    categories = [Category(1, D(30)), Category(2, D(20)), Category(3, D(50))]
    grade = course_grade(scores, categories, Policy())
    assert grade.percent == D("77.50")
    assert grade.by_category[2] is None


def test_nothing_graded_gives_no_percent_and_no_letter():
    grade = course_grade([s(1, 1, 10, None)], [Category(1, D(100))], Policy())
    assert grade.percent is None
    assert letter_for(grade.percent, BANDS, Policy()) is None


def test_total_points_ignores_weights():
    scores = [s(1, 1, 10, 9), s(2, 2, 100, 75)]
    grade = course_grade(scores, [Category(1, None), Category(2, None)], POINTS)
    assert grade.percent == D("76.36")  # 84 / 110 = 76.3636...


def test_drop_lowest_picks_what_maximises_the_percent_not_the_lowest_raw_points():
    # 80/100, 2/10, 7/10 dropping one: the lowest raw score (2/10) leaves 87/110 = 79.09%, but dropping 80/100
    # leaves 9/20 = 45% and dropping 7/10 leaves 82/110; the best is 2/10 here. Now make the big one weak:
    # 50/100, 2/10, 9/10: dropping 2/10 gives 59/110 = 53.6%, dropping 50/100 gives 11/20 = 55% (better).
    scores = [s(1, 1, 100, 50), s(2, 1, 10, 2), s(3, 1, 10, 9)]
    grade = course_grade(scores, [Category(1, D(100), drop_lowest=1)], Policy())
    assert grade.dropped == {1}
    assert grade.percent == D("55.00")


def test_drop_lowest_always_keeps_one_graded_item_and_ignores_ungraded_ones():
    scores = [s(1, 1, 10, 4), s(2, 1, 10, None), s(3, 1, 10, None, excused=True)]
    grade = course_grade(scores, [Category(1, D(100), drop_lowest=3)], Policy())
    assert grade.dropped == frozenset()
    assert grade.percent == D("40.00")


def test_excused_work_leaves_numerator_and_denominator():
    scores = [s(1, 1, 10, 8), s(2, 1, 100, 0, excused=True), s(3, 1, 10, None, excused=True, missing=True)]
    grade = course_grade(scores, [Category(1, D(100))], Policy())
    assert (grade.percent, grade.points_earned, grade.points_possible) == (D("80.00"), D(8), D(10))


def test_missing_counts_as_zero_or_only_after_the_lock_date_by_policy():
    missing = s(2, 1, 10, None, missing=True)
    scores = [s(1, 1, 10, 10), missing]
    assert course_grade(scores, [Category(1, D(100))], Policy()).percent == D("50.00")
    until_lock = Policy(missing_counts_as="not_counted_until_lock")
    assert course_grade(scores, [Category(1, D(100))], until_lock).percent == D("100.00")
    locked = s(2, 1, 10, None, missing=True, lock_passed=True)
    assert course_grade([scores[0], locked], [Category(1, D(100))], until_lock).percent == D("50.00")


def test_a_grade_entered_wins_over_missing():
    assert effective_points(s(1, 1, 10, 7, missing=True), Policy()) == D(7)


def test_late_penalty_is_per_day_with_a_floor():
    policy = Policy(late_penalty_per_day=D(10), late_floor=D(50))
    assert effective_points(s(1, 1, 20, 18, late_days=2), policy) == D("14.4")  # 18 * 80%
    assert effective_points(s(1, 1, 20, 18, late_days=9), policy) == D(9)  # 90% off, floored at 50% of 18
    assert effective_points(s(1, 1, 20, 18, late_days=0), policy) == D(18)
    assert effective_points(s(1, 1, 20, 18, late_days=20), Policy(late_penalty_per_day=D(10))) == D(0)


def test_extra_credit_only_where_the_assignment_allows_it():
    assert effective_points(s(1, 1, 10, 12), Policy()) == D(10)
    assert effective_points(s(1, 1, 10, 12, extra_credit=True), Policy()) == D(12)
    assert effective_points(s(1, 1, 10, -3), Policy()) == D(0)
    # A 0-point extra-credit assignment adds to the numerator only: 45 + 5 over 50.
    scores = [s(1, 1, 50, 45), s(2, 1, 0, 5, extra_credit=True), s(3, 1, 0, 5)]
    assert course_grade(scores, [Category(1, D(100))], Policy()).percent == D("100.00")


def test_ungraded_types_never_count():
    assert effective_points(s(1, 1, 10, 10, counts=False), Policy()) is None


def test_work_outside_any_weighted_category_is_shown_but_not_in_the_weighted_percent():
    grade = course_grade([s(1, 1, 10, 9), s(2, None, 10, 1)], [Category(1, D(100))], Policy())
    assert grade.percent == D("90.00")
    assert grade.by_category[None] == D("10.00")


@pytest.mark.parametrize(
    ("percent", "decimals", "letter"),
    [
        ("89.995", 2, "A"),  # rounds to 90.00 before the cut-off
        ("89.994", 2, "B"),
        ("89.5", 0, "A"),
        ("89.49", 0, "B"),
        ("89.95", 1, "A"),
        ("89.94", 1, "B"),
        ("90", 2, "A"),
        ("59.99", 2, "F"),
        ("-1", 2, "F"),
        ("104", 2, "A"),
    ],
)
def test_the_districts_rounding_applies_before_the_cut_offs(percent, decimals, letter):
    assert letter_for(D(percent), BANDS, Policy(decimals=decimals)) == letter


def test_a_weighted_percent_exactly_on_a_half_rounds_up_although_its_parts_repeat():
    # Quizzes 10%: 2/3 = 66.666...%; tests 90%: 4999.7/5400 = 92.587037...%; exactly 8999.5 / 100 = 89.995
    scores = [s(1, 1, 3, 2), s(2, 2, 5400, D("4999.7"))]
    grade = course_grade(scores, [Category(1, D(10)), Category(2, D(90))], Policy())
    assert grade.percent == D("90.00")
    assert letter_for(grade.percent, BANDS, Policy()) == "A"
    assert course_grade(scores, [Category(1, D(10)), Category(2, D(90))], Policy(decimals=3)).percent == D("89.995")


def test_semester_combines_quarters_and_final_at_district_weights():
    # Q1 85 x 40, Q2 91 x 40, final 78 x 20 = 86.0
    parts = [(D(85), D(40)), (D(91), D(40)), (D(78), D(20))]
    assert combine_periods(parts, Policy()) == D("86.00")
    # No final yet: (85*40 + 91*40) / 80 = 88
    assert combine_periods([(D(85), D(40)), (D(91), D(40)), (None, D(20))], Policy()) == D("88.00")
    assert combine_periods([(None, D(40))], Policy()) is None


def test_overrides_are_the_callers_percent_for_that_part():
    computed = [(D(85), D(40)), (D(91), D(40)), (D(78), D(20))]
    overridden = [(D(85), D(40)), (D(95), D(40)), (D(78), D(20))]  # the teacher overrode Q2 with 95
    assert combine_periods(overridden, Policy()) == D("87.60")
    assert combine_periods(overridden, Policy()) != combine_periods(computed, Policy())


def test_mastery_methods():
    levels = [(date(2026, 9, 1), D(2)), (date(2026, 10, 1), D(4)), (date(2026, 11, 1), D(3))]
    shuffled = [levels[2], levels[0], levels[1]]
    assert mastery(shuffled, "most_recent") == D("3.00")
    assert mastery(shuffled, "highest") == D("4.00")
    assert mastery(shuffled, "mean") == D("3.00")
    # 2 -> 2*0.35 + 4*0.65 = 3.3 -> 3.3*0.35 + 3*0.65 = 3.105 -> 3.11
    assert mastery(shuffled, "decaying_average") == D("3.11")
    assert mastery([], "mean") is None
    with pytest.raises(ValueError, match="unknown mastery method"):
        mastery(levels, "median")


def test_unknown_policies_are_refused():
    with pytest.raises(ValueError, match="weighting"):
        course_grade([], [], Policy(weighting="curve"))


# Generated properties.

points = st.integers(min_value=1, max_value=200).map(D)
quarter_points = st.integers(min_value=0, max_value=800).map(lambda n: D(n) / 4)


@st.composite
def graded(draw, category_ids=(1, 2, 3), min_size=0):
    n = draw(st.integers(min_value=min_size, max_value=12))
    out = []
    for aid in range(1, n + 1):
        possible = draw(points)
        earned = draw(st.none() | st.integers(min_value=0, max_value=int(possible) * 4).map(lambda n: D(n) / 4))
        out.append(
            Score(
                aid,
                draw(st.sampled_from(category_ids)),
                possible,
                earned,
                excused=draw(st.booleans()) and draw(st.booleans()),
                missing=earned is None and draw(st.booleans()),
                late_days=draw(st.integers(min_value=0, max_value=3)),
            )
        )
    return out


weights = st.integers(min_value=1, max_value=100).map(D)


@SETTINGS
@given(graded(), weights, weights, weights, st.integers(min_value=1, max_value=20).map(D))
def test_rescaling_every_weight_by_a_constant_changes_nothing_and_empty_categories_drop_out(scores, a, b, c, k):
    categories = [Category(1, a), Category(2, b), Category(3, c)]
    grade = course_grade(scores, categories, Policy())
    scaled = course_grade(scores, [Category(x.id, x.weight * k) for x in categories], Policy())
    assert grade.percent == scaled.percent
    empty = [x for x in categories if grade.by_category[x.id] is None]
    without = course_grade(scores, [x for x in categories if x not in empty], Policy())
    assert without.percent == grade.percent


@SETTINGS
@given(graded(min_size=1), weights, weights)
def test_the_weighted_percent_lies_between_the_category_percents(scores, a, b):
    grade = course_grade(scores, [Category(1, a), Category(2, b), Category(3, D(1))], Policy())
    present = [p for p in grade.by_category.values() if p is not None]
    if present:
        assert min(present) - D("0.01") <= grade.percent <= max(present) + D("0.01")
    else:
        assert grade.percent is None


@SETTINGS
@given(graded(), st.integers(min_value=1, max_value=100), st.integers(min_value=1, max_value=200))
def test_excused_work_changes_nothing_whatever_its_points(scores, possible, earned):
    categories = [Category(1, D(50)), Category(2, D(30)), Category(3, D(20), drop_lowest=1)]
    base = course_grade(scores, categories, Policy())
    extra = Score(999, 3, D(possible), D(earned), excused=True, missing=True, late_days=2)
    assert course_grade([*scores, extra], categories, Policy()) == base
    assert course_grade([*scores, extra], categories, POINTS) == course_grade(scores, categories, POINTS)


items = st.lists(st.tuples(points, st.integers(min_value=0, max_value=250)), min_size=2, max_size=9).map(
    lambda xs: [_Item(i, D(e) if e <= int(p) else p, p) for i, (p, e) in enumerate(xs)]
)


def _ratio(kept, extra):
    return (extra + sum(i.earned for i in kept)) / sum(i.possible for i in kept)


@SETTINGS
@given(items, st.integers(min_value=1, max_value=7), st.sampled_from([D(0), D(3)]))
@example([_Item(0, D(50), D(100)), _Item(1, D(2), D(10)), _Item(2, D(9), D(10))], 1, D(0))
def test_optimal_drop_lowest_matches_brute_force(pool, n, extra):
    n = min(n, len(pool) - 1)
    best = max(_ratio([i for i in pool if i not in dropped], extra) for dropped in combinations(pool, n))
    for method in (drop_exhaustive, drop_optimal):
        dropped = method(pool, extra, n)
        assert len(dropped) == n
        assert _ratio([i for i in pool if i.assignment_id not in dropped], extra) == best


@SETTINGS
@given(
    quarter_points,
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=40).map(D),
    st.integers(min_value=0, max_value=100).map(D),
)
def test_late_penalty_never_goes_below_the_floor_nor_above_the_score(earned, days, per_day, floor):
    policy = Policy(late_penalty_per_day=per_day, late_floor=floor)
    late = effective_points(Score(1, 1, D(200), earned, late_days=days), policy)
    assert earned * min(floor, D(100)) / 100 <= late <= earned
    later = effective_points(Score(1, 1, D(200), earned, late_days=days + 1), policy)
    assert later <= late


@SETTINGS
@given(st.integers(min_value=-1000, max_value=11000).map(lambda n: D(n) / 1000 + 89), st.integers(0, 3))
def test_a_letter_depends_only_on_the_rounded_percent(percent, decimals):
    policy = Policy(decimals=decimals)
    rounded = percent.quantize(D(1).scaleb(-decimals), rounding="ROUND_HALF_UP")
    assert letter_for(percent, BANDS, policy) == letter_for(rounded, BANDS, policy)
    assert round_ratio(percent, D(1), decimals) == rounded


@SETTINGS
@given(st.lists(st.tuples(st.none() | st.integers(0, 100).map(D), st.integers(1, 60).map(D)), min_size=1, max_size=5))
def test_a_missing_part_drops_out_and_the_weights_rescale(parts):
    present = [(p, w) for p, w in parts if p is not None]
    combined = combine_periods(parts, Policy(decimals=4))
    if not present:
        assert combined is None
        return
    expected = sum(p * w for p, w in present) / sum(w for _, w in present)
    assert abs(combined - expected) <= D("0.00005")
    assert min(p for p, _ in present) <= combined <= max(p for p, _ in present)


level_lists = st.lists(
    st.tuples(st.dates(date(2026, 8, 1), date(2027, 6, 1)), st.integers(1, 4).map(D)), min_size=1, max_size=10
)


@SETTINGS
@given(level_lists, st.integers(1, 100).map(lambda n: D(n) / 100))
def test_mastery_methods_stay_within_the_levels_scored(levels, decay):
    values = [v for _, v in levels]
    for method in ("most_recent", "highest", "mean", "decaying_average"):
        result = mastery(levels, method, decay)
        assert min(values) <= result <= max(values)
    assert mastery(levels, "highest") == max(values)
    latest = max(d for d, _ in levels)
    assert mastery(levels, "most_recent") == [v for d, v in levels if d == latest][-1]
    assert mastery(levels, "decaying_average", D(1)) == mastery(levels, "most_recent")


def test_a_large_drop_uses_the_ratio_iteration_and_still_finds_the_best_set():
    earned = [7, 10, 3, 9, 0, 8, 6, 10, 5, 4, 9, 2, 7, 8, 1, 10, 6, 3, 9, 5, 7, 8, 2, 10, 6, 4, 9, 7, 5, 8]
    possible = [10, 10, 5, 12, 10, 8, 20, 10, 6, 4, 9, 10, 7, 8, 3, 15, 6, 10, 9, 5, 7, 16, 2, 10, 6, 4, 9, 7, 25, 8]
    scores = [s(i, 1, p, e) for i, (e, p) in enumerate(zip(earned, possible, strict=True))]
    grade = course_grade(scores, [Category(1, D(100), drop_lowest=3)], Policy(decimals=6))
    pool = [(e, p) for e, p in zip(earned, possible, strict=True)]
    best = max(
        D(sum(e for e, _ in pool) - sum(pool[i][0] for i in d)) / (sum(p for _, p in pool) - sum(pool[i][1] for i in d))
        for d in combinations(range(len(pool)), 3)
    )
    assert len(grade.dropped) == 3
    assert grade.percent == round_ratio(best * 100, D(1), 6)
