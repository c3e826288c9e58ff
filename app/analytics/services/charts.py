"""Figures in plotly's figure schema, serialised with plotly's JSON encoder and drawn in the page by plotly.js's
strict bundle. Each chart plots exactly the numbers of the table beside it: suppressed cells are left out (and named
in a note), coded shares sit at the edge of their band with the code as their label.

The figures are plain dicts: building `plotly.graph_objects.Figure`s validates every property and cost 100-150 ms a
figure on the shared machine (two or three a page); the tests build each figure as a `go.Figure`, which refuses
anything outside the schema, so the page path can skip that check."""

from __future__ import annotations

import json

from plotly.utils import PlotlyJSONEncoder

from app.analytics.data import METRICS_BY_KEY

FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13, "color": "#1f2937"}
COLOR = "#0f766e"


def _layout(title: str, yaxis: dict, height: int = 320) -> dict:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "font": FONT,
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 48, "b": 48},
        "yaxis": yaxis,
        "hovermode": "closest",
        "paper_bgcolor": "rgba(0,0,0,0)",
        # Against the transparent paper plotly would pick a grey bar with pale icons; the page's own colours instead.
        "modebar": {"bgcolor": "rgba(255,255,255,0.9)", "color": "#64748b", "activecolor": COLOR},
        "plot_bgcolor": "rgba(0,0,0,0)",
    }


def _axis(metric) -> dict:
    if metric.kind == "share":
        return {"range": [0, 100], "ticksuffix": "%", "gridcolor": "#e5e7eb", "zeroline": False}
    return {"rangemode": "tozero", "gridcolor": "#e5e7eb", "zeroline": False}


def _y(metric, shown) -> float:
    return round(shown.value * 100, 1) if metric.kind == "share" else shown.value


def trend_figure(metric_key: str, series, title: str) -> str:
    """Weekly series of one metric (weeks shown as their Monday)."""
    metric = METRICS_BY_KEY[metric_key]
    points = [(week, shown) for week, shown in series if shown.value is not None]
    trace = {
        "type": "scatter",
        "x": [week.isoformat() for week, _shown in points],
        "y": [_y(metric, shown) for _week, shown in points],
        "text": [shown.label for _week, shown in points],
        "hovertemplate": "%{x}: %{text}<extra></extra>",
        "mode": "lines+markers",
        "line": {"color": COLOR, "width": 2.5},
        "marker": {"size": 7},
        "name": str(metric.label),
    }
    layout = _layout(title, _axis(metric))
    layout["xaxis"] = {"type": "date", "gridcolor": "#f3f4f6"}
    return _json(trace, layout)


def _json(trace: dict, layout: dict) -> str:
    return json.dumps({"data": [trace], "layout": layout}, cls=PlotlyJSONEncoder)


def comparison_figure(metric_key: str, table, title: str) -> str:
    """One bar per group of a table (suppressed groups left out), in the table's order."""
    metric = METRICS_BY_KEY[metric_key]
    index = next(i for i, m in enumerate(table.metrics) if m.key == metric_key)
    bars = [(row.label, row.figures[index].shown) for row in table.rows if row.figures[index].shown.value is not None]
    height = max(240, 60 + 28 * len(bars))
    trace = {
        "type": "bar",
        "y": [label for label, _shown in bars],
        "x": [_y(metric, shown) for _label, shown in bars],
        "text": [shown.label for _label, shown in bars],
        "textposition": "auto",
        "hovertemplate": "%{y}: %{text}<extra></extra>",
        "orientation": "h",
        "marker": {"color": COLOR},
    }
    layout = _layout(title, {"autorange": "reversed", "automargin": True}, height)
    layout["xaxis"] = _axis(metric)
    return _json(trace, layout)
