"""The gradebook grid: the page, saving a cell (HTMX: the student's row comes back), one cell's details and
history, a column typed on its own page (no JavaScript needed, and comfortable on a phone), fill, post, hold."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Invalid
from app.gradebook import services
from app.gradebook.forms import CellForm, ChangeRequestForm, CommentForm, ConfirmForm, FillForm, OverrideForm
from app.gradebook.views.blueprint import bp
from app.rosters import services as rosters
from app.ui.formflow import form_status, submit
from app.ui.params import int_arg
from app.ui.render import is_fragment_request, redirect_to, render, updated


def _filters() -> dict:
    return {
        "category_id": int_arg("category"),
        "period_id": int_arg("period"),
        "missing_only": request.args.get("missing") == "1",
    }


@bp.get("/")
@login_required
def my_gradebooks():
    return render("gradebook/grid/mine.html", rows=rosters.my_sections(current_user))


@bp.get("/sections/<int:section_id>")
@login_required
def show_gradebook(section_id: int):
    page = services.gradebook_page(current_user, section_id, **_filters())
    return render("gradebook/grid/show.html", block="grid", page=page, confirm=ConfirmForm(formdata=None))


@bp.post("/sections/<int:section_id>/cells/<int:assignment_id>/<int:student_id>")
@login_required
def save_cell(section_id: int, assignment_id: int, student_id: int):
    form = CellForm()
    error = None
    saved = None
    if form.validate_on_submit():
        try:
            saved = services.grade_cell(current_user, section_id, assignment_id, student_id, form.value.data)
        except Invalid as refused:
            error = str(refused.fields.get("value") or refused)
    else:
        error = _("The change could not be saved. Reload the page and try again.")
    if not is_fragment_request():
        if error is None:
            return redirect_to(url_for("gradebook.show_gradebook", section_id=section_id))
        return _cell_page(section_id, assignment_id, student_id, value_error=error, typed=form.value.data, status=422)
    page = services.row_page(
        current_user, section_id, student_id, int_arg("category"), int_arg("period"), saved.book if saved else None
    )
    return render(
        "gradebook/grid/_row.html",
        page=page,
        row=page.rows[0][0] if page.rows else None,
        cells=page.rows[0][1] if page.rows else [],
        error_assignment=assignment_id if error else None,
        error=error,
        typed=form.value.data,
        status=422 if error else 200,
    )


def _cell_page(section_id, assignment_id, student_id, status=200, value_error=None, typed=None, forms=None):
    detail = services.cell_detail(current_user, section_id, assignment_id, student_id)
    forms = forms or {}
    cell_form = forms.get("cell") or CellForm(formdata=None)
    if typed is not None:
        cell_form.value.data = typed
    if value_error:
        cell_form.value.errors = [value_error]
    comment_form = forms.get("comment") or CommentForm(
        formdata=None, comment=detail.grade.comment if detail.grade else ""
    )
    return render(
        "gradebook/grid/cell.html",
        detail=detail,
        cell_form=cell_form,
        comment_form=comment_form,
        request_form=forms.get("request") or ChangeRequestForm(formdata=None),
        override_form=forms.get("override") or OverrideForm(formdata=None),
        status=status,
    )


@bp.get("/sections/<int:section_id>/cells/<int:assignment_id>/<int:student_id>")
@login_required
def show_cell(section_id: int, assignment_id: int, student_id: int):
    return _cell_page(section_id, assignment_id, student_id)


@bp.post("/sections/<int:section_id>/cells/<int:assignment_id>/<int:student_id>/comment")
@login_required
def comment_cell(section_id: int, assignment_id: int, student_id: int):
    form = CommentForm()
    outcome = submit(
        form, lambda: services.set_comment(current_user, section_id, assignment_id, student_id, form.comment.data)
    )
    if outcome.done:
        return redirect_to(
            url_for("gradebook.show_cell", section_id=section_id, assignment_id=assignment_id, student_id=student_id),
            toast=_("Comment saved."),
        )
    return _cell_page(section_id, assignment_id, student_id, status=form_status(form), forms={"comment": form})


@bp.post("/sections/<int:section_id>/cells/<int:assignment_id>/<int:student_id>/request")
@login_required
def request_change(section_id: int, assignment_id: int, student_id: int):
    form = ChangeRequestForm()
    outcome = submit(
        form,
        lambda: services.request_change(
            current_user, section_id, assignment_id, student_id, form.value.data, form.reason.data
        ),
    )
    if outcome.done:
        return redirect_to(
            url_for("gradebook.show_cell", section_id=section_id, assignment_id=assignment_id, student_id=student_id),
            toast=_("Change sent for approval."),
        )
    return _cell_page(section_id, assignment_id, student_id, status=form_status(form), forms={"request": form})


@bp.post("/sections/<int:section_id>/cells/<int:assignment_id>/<int:student_id>/override")
@login_required
def override_cell(section_id: int, assignment_id: int, student_id: int):
    form = OverrideForm()
    outcome = submit(
        form,
        lambda: services.set_override(
            current_user, assignment_id, student_id, form.due.data, form.lock.data, form.exempt.data, form.note.data
        ),
    )
    if outcome.done:
        return redirect_to(
            url_for("gradebook.show_cell", section_id=section_id, assignment_id=assignment_id, student_id=student_id),
            toast=_("Dates for this student saved."),
        )
    return _cell_page(section_id, assignment_id, student_id, status=form_status(form), forms={"override": form})


def _column_page(section_id: int, assignment_id: int, typed=None, problems=None, fill_form=None, status=200):
    column = services.column_entry(current_user, section_id, assignment_id)
    return render(
        "gradebook/grid/column.html",
        column=column,
        typed=typed or {},
        problems=problems or {},
        fill_form=fill_form or FillForm(formdata=None),
        confirm=ConfirmForm(formdata=None),
        status=status,
    )


@bp.get("/sections/<int:section_id>/columns/<int:assignment_id>")
@login_required
def show_column(section_id: int, assignment_id: int):
    return _column_page(section_id, assignment_id)


@bp.post("/sections/<int:section_id>/columns/<int:assignment_id>")
@login_required
def enter_column(section_id: int, assignment_id: int):
    form = ConfirmForm()
    typed = {}
    for key, value in request.form.items():
        if key.startswith("s-") and key[2:].isdigit():
            typed[int(key[2:])] = value
    if not form.validate_on_submit():
        return _column_page(section_id, assignment_id, typed=typed, status=422)
    problems = services.enter_column(current_user, section_id, assignment_id, typed)
    if problems:
        return _column_page(section_id, assignment_id, typed=typed, problems=problems, status=422)
    return redirect_to(url_for("gradebook.show_gradebook", section_id=section_id), toast=_("Column saved."))


@bp.post("/sections/<int:section_id>/columns/<int:assignment_id>/fill")
@login_required
def fill_column(section_id: int, assignment_id: int):
    form = FillForm()
    outcome = submit(
        form,
        lambda: services.fill_column(current_user, section_id, assignment_id, form.value.data, form.only_empty.data),
    )
    if outcome.done:
        return redirect_to(
            url_for("gradebook.show_column", section_id=section_id, assignment_id=assignment_id),
            toast=_("%(count)d cells filled.", count=outcome.value),
        )
    return _column_page(section_id, assignment_id, fill_form=form, status=form_status(form))


@bp.post("/sections/<int:section_id>/columns/<int:assignment_id>/post")
@login_required
def post_column(section_id: int, assignment_id: int):
    form = ConfirmForm()
    if form.validate_on_submit():
        count = services.post_grades(current_user, assignment_id)
        return updated(
            url_for("gradebook.show_column", section_id=section_id, assignment_id=assignment_id),
            lambda: _column_page(section_id, assignment_id),
            toast=_("%(count)d grades are now visible to students and guardians.", count=count),
        )
    return _column_page(section_id, assignment_id, status=422)


@bp.post("/sections/<int:section_id>/columns/<int:assignment_id>/hold")
@login_required
def hold_column(section_id: int, assignment_id: int):
    form = ConfirmForm()
    if form.validate_on_submit():
        services.hold_grades(current_user, assignment_id)
        return redirect_to(
            url_for("gradebook.show_column", section_id=section_id, assignment_id=assignment_id),
            toast=_("New grades in this column are held until you post them."),
        )
    return _column_page(section_id, assignment_id, status=422)
