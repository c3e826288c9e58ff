"""Small cells, complements and coding, on the pure rules and on the tables the pages and CSV are built from."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.analytics.data import MIN_CELL
from app.analytics.services import suppression
from app.analytics.services.dashboard import Totals, _table

sizes = st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8)


def _group(key, size, active):
    group = Totals(key, f"Group {key}")
    group.counts["students"], group.counts["active_students"], group.size = size, active, size
    return group


def recover(parts: list[str], total: str) -> int | None:
    """What an attacker does: the total less every part shown is the one part hidden, if exactly one is."""
    hidden = [p for p in parts if p == "Suppressed"]
    if total in ("Suppressed", "No data") or len(hidden) != 1:
        return None
    shown = [int(p.replace(",", "")) for p in parts if p not in ("Suppressed", "No data")]
    return int(total.replace(",", "")) - sum(shown)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(sizes)
def test_no_suppressed_group_can_be_recovered_from_the_total(app, parts):
    groups = [_group(i, size, size // 2) for i, size in enumerate(parts)]
    total = _group("all", sum(parts), sum(p // 2 for p in parts))
    table = _table("Groups", groups, total, "name")
    shown = [row.size.label for row in table.rows]
    assert recover(shown, table.total.size.label) is None
    for row, size in zip(sorted(table.rows, key=lambda r: r.key), parts, strict=True):
        if 0 < size < MIN_CELL:
            assert row.hidden and all(f.shown.value is None for f in row.figures)


def test_one_small_group_takes_the_smallest_other_with_it():
    assert suppression.suppressed_parts([40, 3, 25, 12], with_total=True) == [False, True, False, True]
    assert suppression.suppressed_parts([40, 3, 25, 12], with_total=False) == [False, True, False, False]
    assert suppression.suppressed_parts([40, 3, 4], with_total=True) == [False, True, True]
    assert suppression.suppressed_parts([0, 3, 30], with_total=True) == [False, True, True]


def test_without_the_complement_the_attack_works():
    # The rule the tables apply is what stops it: primary suppression alone leaves the small group recoverable.
    parts, total = [40, 3, 25], 68
    primary_only = ["Suppressed" if suppression.primary(p) else str(p) for p in parts]
    assert recover(primary_only, str(total)) == 3
    hidden = suppression.suppressed_parts(parts, True)
    both = ["Suppressed" if h else str(p) for p, h in zip(parts, hidden, strict=True)]
    assert recover(both, str(total)) is None


def test_shares_near_the_ends_are_coded(app):
    assert suppression.share(0, 40).label == "<5%"
    assert suppression.share(1, 40).label == "<5%"
    assert suppression.share(40, 40).label == ">95%"
    assert suppression.share(39, 40).label == ">95%"
    assert suppression.share(20, 40).label == "50%"
    assert suppression.share(3, 0).label == "No data"
    assert suppression.share(3, 5, hidden=True).value is None


def test_a_coded_share_is_charted_at_the_edge_of_its_band(app):
    import json

    from app.analytics.services.charts import comparison_figure

    groups = [_group(1, 40, 0), _group(2, 30, 15)]
    table = _table("Groups", groups, None, "name")

    figure = json.loads(comparison_figure("active_students", table, "Groups"))
    bars = figure["data"][0]
    assert bars["x"] == [5.0, 50.0] and bars["text"] == ["<5%", "50%"]


def test_the_figures_are_valid_plotly_figures(app):
    import json

    import plotly.graph_objects as go

    from app.analytics.services.charts import comparison_figure, trend_figure

    groups = [_group(1, 40, 0), _group(2, 30, 15)]
    table = _table("Groups", groups, None, "name")
    from datetime import date

    series = [(date(2026, 8, 3), suppression.share(4, 12)), (date(2026, 8, 17), suppression.share(2, 12))]
    for text in (comparison_figure("active_students", table, "Groups"), trend_figure("active_students", series, "W")):
        go.Figure(json.loads(text))  # raises for any property outside plotly's schema
