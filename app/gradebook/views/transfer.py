"""Gradebook CSV: export (Canvas or plain layout), upload for a preview, apply as a job, the report."""

from __future__ import annotations

from flask import make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Invalid
from app.gradebook import services
from app.gradebook.forms import ConfirmForm, ImportForm
from app.gradebook.views.blueprint import bp
from app.jobruns.services import get_run_of
from app.ui.formflow import copy_errors, form_status
from app.ui.render import redirect_to, render


@bp.get("/sections/<int:section_id>/export")
@login_required
def export_gradebook(section_id: int):
    layout = "plain" if request.args.get("layout") == "plain" else "canvas"
    name, data = services.export_gradebook(current_user, section_id, layout)
    response = make_response(data)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _upload_page(section_id: int, form=None, status=200):
    section = services.graded_section(current_user, section_id)
    return render(
        "gradebook/imports/new.html",
        section=section,
        form=form or ImportForm(formdata=None),
        imports=services.recent_imports(current_user, section_id),
        status=status,
    )


@bp.get("/sections/<int:section_id>/import")
@login_required
def new_import(section_id: int):
    return _upload_page(section_id)


@bp.post("/sections/<int:section_id>/import")
@login_required
def upload_import(section_id: int):
    form = ImportForm()
    if form.validate_on_submit():
        upload = request.files.get("upload")
        data = upload.read(services.MAX_UPLOAD + 1) if upload else b""
        try:
            record = services.start_import(current_user, section_id, upload.filename if upload else "", data)
        except Invalid as error:
            copy_errors(form, error)
        else:
            return redirect_to(url_for("gradebook.show_import", import_id=record.id))
    return _upload_page(section_id, form, status=form_status(form) if form.errors else 422)


@bp.get("/imports/<int:import_id>")
@login_required
def show_import(import_id: int):
    record = services.get_import(current_user, import_id)
    run = get_run_of(current_user, record.job_run_id)
    active = record.status == "applying" and (run is None or run.status in ("queued", "running"))
    return render(
        "gradebook/imports/show.html",
        block="status",
        record=record,
        run=run,
        active=active,
        confirm=ConfirmForm(formdata=None),
        polling=active,
    )


@bp.post("/imports/<int:import_id>/apply")
@login_required
def apply_import(import_id: int):
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.request_apply(current_user, import_id)
        except Invalid:
            pass
    return redirect_to(url_for("gradebook.show_import", import_id=import_id), toast=_("Applying the import."))
