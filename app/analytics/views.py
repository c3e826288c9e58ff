"""Analytics pages: the district and school dashboards (filters swap the panels by HTMX and stay in the URL),
drill-down to courses and sections, CSV of every table, the definitions page, a rebuild by hand."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.analytics import services
from app.analytics.policy import can_view_analytics
from app.ui.context import NavEntry
from app.ui.render import redirect_to, render

bp = Blueprint("analytics", __name__, url_prefix="/analytics")
NAV = (NavEntry(70, "analytics.index", _l("Reports"), can_view_analytics),)


@bp.before_app_request
def _note_activity() -> None:
    # After the session loader (registered first): the person behind the request, if signed in.
    if current_user.is_authenticated:
        services.record_activity(current_user._get_current_object())


def _page(board, template: str = "analytics/dashboard.html"):
    response = render(template, block="dashboard", board=board, **services.page_context(current_user, board))
    # htmx pushes this instead of the form's every field: the filters in force, unknown values already dropped.
    query = urlencode(board.filters.query())
    response.headers["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    return response


@bp.get("/")
@login_required
def index():
    target = services.start_page(current_user)
    if target is None:
        return render("analytics/choose.html", schools=services.reporting_schools(current_user))
    if target == "district":
        return redirect(url_for("analytics.district"))
    return redirect(url_for("analytics.school", school_id=target))


@bp.app_template_filter("analytics_query")
def _analytics_query(query: dict, **changes) -> str:
    """A dashboard's query string with some filters changed (sorting links keep every other filter)."""
    return urlencode({**query, **changes})


@bp.get("/district")
@login_required
def district():
    jump = services.school_in_query(current_user, request.args)
    if jump is not None:
        rest = {k: v for k, v in request.args.items() if k != "school"}
        return redirect_to(url_for("analytics.school", school_id=jump, **rest))
    board = services.district_dashboard(
        current_user, request.args, school_href=lambda sid: url_for("analytics.school", school_id=sid)
    )
    return _page(board)


@bp.get("/schools/<int:school_id>")
@login_required
def school(school_id: int):
    board = services.school_dashboard(
        current_user,
        school_id,
        request.args,
        course_href=lambda cid: url_for("analytics.course", school_id=school_id, course_id=cid),
    )
    return _page(board)


@bp.get("/schools/<int:school_id>/courses/<int:course_id>")
@login_required
def course(school_id: int, course_id: int):
    board = services.course_dashboard(
        current_user,
        school_id,
        course_id,
        request.args,
        section_href=lambda sid: url_for("analytics.section", school_id=school_id, section_id=sid),
    )
    return _page(board)


@bp.get("/schools/<int:school_id>/sections/<int:section_id>")
@login_required
def section(school_id: int, section_id: int):
    board = services.section_dashboard(current_user, school_id, section_id, request.args)
    return _page(board)


@bp.get("/schools/<int:school_id>/drill")
@login_required
def drill(school_id: int):
    found = services.drill_rows(current_user, school_id, request.args)
    return render("analytics/drill.html", drill=found)


@bp.get("/rows")
@login_required
def rows():
    found = services.tile_rows(current_user, request.args)
    return render("analytics/rows.html", found=found, **services.page_context(current_user, found["board"]))


@bp.get("/table.csv")
@login_required
def table_csv():
    filename, lines = services.table_csv(current_user, request.args)
    response = Response(lines, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/definitions")
@login_required
def definitions():
    return render("analytics/definitions.html", **services.definitions(current_user))


@bp.post("/settings")
@login_required
def settings():
    on = services.set_teacher_figures(current_user, request.form.get("show_teacher_figures") == "1")
    message = (
        _("School views now show per-teacher figures.") if on else _("School views no longer show per-teacher figures.")
    )
    return redirect_to(url_for("analytics.definitions"), toast=message)


@bp.post("/rebuild")
@login_required
def rebuild():
    services.request_rebuild(current_user)
    back = request.form.get("next") or ""
    if not back.startswith("/analytics/") or back.startswith("//"):
        back = url_for("analytics.index")
    return redirect_to(back, toast=_("The rebuild has started. The figures change when it is done."))
