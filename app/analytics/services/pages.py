"""What the analytics pages need beyond the panels: where to start, the section view, drill-through to the rows
behind a number, CSV of a table, the definitions, a rebuild by hand."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.analytics import policy
from app.analytics.data import ACTIVE_MIN_DAYS, HIGH_SHARE, LOW_SHARE, METRICS, MIN_CELL, REBUILD_EVERY_SECONDS
from app.analytics.models import COUNT_COLUMNS, Fact
from app.analytics.services import charts, suppression
from app.analytics.services.dashboard import (
    Dashboard,
    Figure,
    Row,
    Table,
    Totals,
    _add,
    _base,
    _cells,
    _fill_scope,
    _school_names,
    _show,
    course_dashboard,
    district_dashboard,
    school_dashboard,
    section_labels,
)
from app.analytics.services.rebuild import latest_rebuild, monday
from app.analytics.services.settings import teacher_figures_on
from app.audit import services as audit
from app.csvio import csv_lines
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.jobruns import services as runs
from app.ui.params import to_int

MAX_DRILL_ROWS = 2000


def start_page(actor):
    """'district' for district admins, a school id for an admin of one school, None to choose; NotFound otherwise."""
    if not policy.can_view_analytics(actor):
        raise NotFound()
    if policy.can_view_district(actor):
        return "district"
    names = _school_names(actor)
    return names[0][0] if len(names) == 1 else None


def school_in_query(actor, args) -> int | None:
    """The district view's school filter: a school the actor reports on (its page is where that filter leads)."""
    school_id = to_int(args.get("school"))
    return school_id if school_id in dict(_school_names(actor)) else None


def reporting_schools(actor) -> list[tuple[int, str]]:
    if not policy.can_view_analytics(actor):
        raise NotFound()
    return _school_names(actor)


def section_dashboard(actor, school_id: int, section_id: int, args) -> Dashboard:
    """The school's viewers: one section of the school, week by week (the rows behind its figures)."""
    if not policy.can_view_school(actor, school_id):
        raise NotFound()
    names = dict(_school_names(actor))
    found = db.session.execute(select_section(), {"id": section_id}).first()
    if school_id not in names or found is None or found.school_id != school_id:
        raise NotFound()
    label = section_labels([section_id])[section_id]
    board = _base(actor, "section", label, args, fixed_school=school_id)
    _fill_scope(board, "section", {"school_id": school_id, "section_id": section_id})
    weeks = _add(
        _cells("section", board.start, board.end, school_id=school_id, section_id=section_id),
        lambda c: c.week_start,
        lambda c: c.week_start.isoformat(),
    )
    board.tables.append(_weeks_table(_("Weeks"), weeks, board))
    board.school = (school_id, names[school_id])
    board.course = (found.course_id, found.course)
    board.section_id = section_id
    return board


def select_section():
    from sqlalchemy import text

    return text(
        "select s.id, s.school_id, s.course_id, c.code || ' ' || c.name as course from sections s"
        " join courses c on c.id = s.course_id where s.id = :id"
    )


def _weeks_table(title: str, weeks: dict, board: Dashboard) -> Table:
    """A group's weeks as rows, adding up to its tiles (each week suppressed on its own, without a total shown)."""
    groups = [weeks[key] for key in sorted(weeks) if key <= board.end]
    rows = []
    for group in groups:
        hidden = suppression.primary(group.size)
        figures = [Figure(m, _show(m, group.counts, hidden), None) for m in METRICS]
        rows.append(Row(group.key, group.label, suppression.size(group.size, hidden), figures, hidden))
    return Table(title, rows, None, list(METRICS))


def page_context(actor, board: Dashboard) -> dict:
    """Charts, links and controls of a dashboard page."""
    from flask import url_for

    query = board.filters.query()
    view_args = _view_args(board)
    trend = charts.trend_figure(board.filters.metric, board.series, _("Week by week"))
    comparisons = []
    for index, table in enumerate(board.tables):
        csv_url = url_for("analytics.table_csv", table=index, **view_args, **query)
        figure = (
            charts.comparison_figure(board.filters.metric, table, table.title) if board.scope != "section" else None
        )
        hidden = [row.label for row in table.rows if row.hidden]
        comparisons.append({"table": table, "csv_url": csv_url, "figure": figure, "hidden": hidden})
    rebuild = latest_rebuild(actor)
    return {
        "trend": trend,
        "panels": comparisons,
        "query": query,
        "view_args": view_args,
        "definitions_url": url_for("analytics.definitions"),
        "can_rebuild": policy.can_view_district(actor),
        "rebuild": rebuild,
        "metrics": METRICS,
        "min_cell": MIN_CELL,
    }


def _view_args(board: Dashboard) -> dict:
    found = {"view": board.scope}
    if board.school:
        found["school_id"] = board.school[0]
    if board.course and board.scope == "course":
        found["course_id"] = board.course[0]
    if board.section_id:
        found["section_id"] = board.section_id
    return found


def _board_for(actor, args) -> Dashboard:
    """The dashboard a CSV or a drill-through was asked from (view and ids in the query, with its filters)."""
    view = args.get("view")
    school_id, course_id, section_id = (to_int(args.get(n)) for n in ("school_id", "course_id", "section_id"))
    if view == "district":
        board = district_dashboard(actor, args)
    elif view == "school" and school_id:
        board = school_dashboard(actor, school_id, args)
    elif view == "course" and school_id and course_id:
        board = course_dashboard(actor, school_id, course_id, args)
    elif view == "section" and school_id and section_id:
        board = section_dashboard(actor, school_id, section_id, args)
    else:
        raise NotFound()
    return board


def table_csv(actor, args) -> tuple[str, object]:
    """The rows of one table of a dashboard, exactly as the page shows them (suppressed and coded alike)."""
    board = _board_for(actor, args)
    view = board.scope
    index = to_int(args.get("table")) or 0
    if not 0 <= index < len(board.tables):
        raise NotFound()
    table = board.tables[index]
    header = [table.title, _("Students"), *[str(m.label) for m in table.metrics]]
    rows = [[row.label, row.size.label, *[f.shown.label for f in row.figures]] for row in table.rows]
    if table.total is not None:
        rows.append([_("Total"), table.total.size.label, *[f.shown.label for f in table.total.figures]])
    as_of = board.as_of.strftime("%Y%m%d-%H%M") if board.as_of else "none"
    return f"analytics-{view}-{index}-{as_of}.csv", csv_lines(header, rows)


def tile_rows(actor, args) -> dict:
    """The rows behind a tile: the scope's instructional weeks with the metric's numerator and denominator, which
    add up to the tile (its figure is their sums' ratio). Weeks of fewer than MIN_CELL students are suppressed,
    with a complement when only one is (the total is shown)."""
    board = _board_for(actor, args)
    metric = next((m for m in METRICS if m.key == args.get("metric")), METRICS[0])
    weeks = [(week, counts) for week, counts in sorted(board.weeks.items()) if week <= board.end and counts["students"]]
    hidden = suppression.suppressed_parts([counts["students"] for _w, counts in weeks], with_total=True)
    rows = []
    for (week, counts), flag in zip(weeks, hidden, strict=True):
        rows.append(
            {
                "week": week,
                "size": suppression.size(counts["students"], flag),
                "numerator": None if flag else counts[metric.numerator],
                "denominator": None if flag else counts[metric.denominator],
                "shown": _show(metric, counts, flag),
            }
        )
    total = {c: sum(counts[c] for _w, counts in weeks) for c in (metric.numerator, metric.denominator)}
    tile = next(f for f in board.tiles if f.metric.key == metric.key)
    return {
        "board": board,
        "metric": metric,
        "rows": rows,
        "total": None if board.tiles_hidden else total,
        "tile": tile,
        "hidden_any": any(hidden),
        "can_list_students": board.scope in ("school", "section") and metric.student_based,
    }


def drill_rows(actor, school_id: int, args) -> dict:
    """The school's viewers: the people behind one week of a school or section (the rows a week's figure counted),
    students only where the viewer may see the school's students; each listing is written to the audit trail."""
    if not policy.can_view_school(actor, school_id):
        raise NotFound()
    names = dict(_school_names(actor))
    if school_id not in names:
        raise NotFound()
    week_text = args.get("week") or ""
    try:
        week = monday(date.fromisoformat(week_text[:10]))
    except ValueError:
        raise Invalid({"week": _("Choose a week from the table.")}) from None
    role = args.get("role") if args.get("role") in ("student", "teacher") else "student"
    section_id = to_int(args.get("section_id"))
    query = select(Fact).where(Fact.school_id == school_id, Fact.week_start == week, Fact.role == role)
    if section_id:
        query = query.where(Fact.section_id == section_id)
    facts = db.session.scalars(query.limit(MAX_DRILL_ROWS * 8)).all()
    people: dict[int, dict] = {}
    for fact in facts:
        person = people.setdefault(fact.user_id, {"active": False, "reached": False})
        person["active"] |= fact.is_active
        person["reached"] |= fact.is_reached
    shown = dict(list(people.items())[:MAX_DRILL_ROWS])
    labels = accounts.names_by_id(shown)
    rows = sorted(
        ({"id": uid, "name": labels.get(uid, "?"), **flags} for uid, flags in shown.items()),
        key=lambda row: row["name"].casefold(),
    )
    if role == "student" and rows:
        audit.record_accesses(
            actor, [row["id"] for row in rows], "analytics.students", "administration", f"week {week}"
        )
        record_event(
            actor,
            "analytics.student_rows_viewed",
            "school",
            school_id,
            week=week.isoformat(),
            section_id=section_id,
            count=len(rows),
        )
        db.session.commit()
    return {
        "school": (school_id, names[school_id]),
        "section": (section_id, section_labels([section_id]).get(section_id)) if section_id else None,
        "week": week,
        "week_end": week + timedelta(days=6),
        "role": role,
        "rows": rows,
        "active": sum(1 for row in rows if row["active"]),
        "reached": sum(1 for row in rows if row["reached"]),
        "truncated": len(people) > MAX_DRILL_ROWS,
    }


def definitions(actor) -> dict:
    if not policy.can_view_analytics(actor):
        raise NotFound()
    return {
        "metrics": METRICS,
        "active_min_days": ACTIVE_MIN_DAYS,
        "min_cell": MIN_CELL,
        "low": LOW_SHARE,
        "high": HIGH_SHARE,
        "every_minutes": REBUILD_EVERY_SECONDS // 60,
        "rebuild": latest_rebuild(actor),
        "can_change_settings": policy.can_change_settings(actor),
        "teacher_figures": teacher_figures_on(actor),
    }


def request_rebuild(actor):
    """District admins: rebuild the district's rollups now, as a tracked job (one at a time). NotFound otherwise."""
    if not policy.can_view_district(actor):
        raise NotFound()
    run = runs.start_job(
        actor,
        "analytics.rebuild",
        "jobs.analytics.rebuild_analytics",
        actor.id,
        dedupe_key=None,
    )
    db.session.commit()
    return run


_UNUSED = (Totals, COUNT_COLUMNS)
