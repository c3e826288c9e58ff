"""Coverage pages: a course's or a section's standards, what plans, teaches and assesses each, and a standard's
lessons."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user, login_required

from app.coverage import services
from app.ui.params import int_arg
from app.ui.render import render

bp = Blueprint("coverage", __name__, url_prefix="/coverage")


def _page(coverage):
    gaps = request.args.get("show") == "gaps"
    return render(
        "coverage/courses/show.html",
        block="rows",
        coverage=coverage,
        counts=coverage.counts,
        rows=[r for r in coverage.rows if not r.is_covered] if gaps else coverage.rows,
        gaps=gaps,
    )


@bp.get("/courses/<int:course_id>")
@login_required
def show_course(course_id: int):
    return _page(services.course_coverage(current_user, course_id))


@bp.get("/sections/<int:section_id>")
@login_required
def show_section(section_id: int):
    return _page(services.section_coverage(current_user, section_id))


@bp.get("/courses/<int:course_id>/standards/<int:standard_id>")
@login_required
def show_standard(course_id: int, standard_id: int):
    details = services.standard_in_course(current_user, course_id, standard_id, int_arg("section"))
    return render("coverage/standards/show.html", **details)
