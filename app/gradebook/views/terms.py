"""Term grades: each student's grade per grading period and for the term, overrides with a comment, closing."""

from __future__ import annotations

from flask import make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.gradebook import services
from app.gradebook.forms import ConfirmForm, TermOverrideForm
from app.gradebook.views.blueprint import bp
from app.ui.formflow import form_status, submit
from app.ui.params import int_arg
from app.ui.render import redirect_to, render


def _page(section_id: int, form=None, student_id=None, period_id=None, status=200):
    return render(
        "gradebook/terms/show.html",
        sheet=services.term_sheet(current_user, section_id),
        mastery=services.mastery_report(current_user, section_id),
        form=form or TermOverrideForm(formdata=None),
        error_student=student_id,
        error_period=period_id,
        confirm=ConfirmForm(formdata=None),
        status=status,
    )


@bp.get("/sections/<int:section_id>/term")
@login_required
def show_term(section_id: int):
    return _page(section_id)


@bp.post("/sections/<int:section_id>/term/<int:student_id>")
@login_required
def override_term(section_id: int, student_id: int):
    form = TermOverrideForm()
    period_id = int_arg("period")
    outcome = submit(
        form,
        lambda: services.override_term_grade(
            current_user, section_id, student_id, period_id, form.percent.data, form.letter.data, form.comment.data
        ),
    )
    if outcome.done:
        return redirect_to(url_for("gradebook.show_term", section_id=section_id), toast=_("Term grade saved."))
    return _page(section_id, form, student_id, period_id, status=form_status(form))


@bp.post("/sections/<int:section_id>/term/close")
@login_required
def close_term(section_id: int):
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _page(section_id, status=422)
    count = services.close_term(current_user, section_id, int_arg("period"))
    return redirect_to(
        url_for("gradebook.show_term", section_id=section_id),
        toast=_("Closed the grades of %(count)d students.", count=count),
    )


@bp.get("/sections/<int:section_id>/term/oneroster")
@login_required
def export_term(section_id: int):
    version = "1.2" if request.args.get("version") == "1.2" else "1.1"
    name, data = services.export_term_grades(current_user, section_id, version)
    response = make_response(data)
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
