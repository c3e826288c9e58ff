from __future__ import annotations

import io
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.oneroster import services
from app.oneroster.forms import ApplyForm, ExportForm, UploadForm
from app.oneroster.policy import can_import_rosters
from app.ui.context import NavEntry
from app.ui.formflow import form_status, submit
from app.ui.pagination import page_of
from app.ui.params import page_arg
from app.ui.render import redirect_to, render

bp = Blueprint("oneroster", __name__, url_prefix="/oneroster")
NAV = (NavEntry(70, "oneroster.new_import", _l("Roster import"), can_import_rosters),)
PROBLEMS_PER_PAGE = 50


def _index(form: UploadForm, export_form: ExportForm | None = None, status: int = 200):
    return render(
        "oneroster/imports/new.html",
        form=form,
        export_form=export_form or ExportForm(formdata=None),
        imports=services.recent_imports(current_user),
        limit_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
        status=status,
    )


@bp.get("/")
@login_required
def new_import():
    return _index(UploadForm())


@bp.post("/imports")
@login_required
def upload_import():
    form = UploadForm()

    def upload():
        uploads = [(f.filename, f.read()) for f in request.files.getlist(form.files.name) if f and f.filename]
        return services.upload_import(current_user, uploads)

    outcome = submit(form, upload)
    if outcome.done:
        return redirect_to(url_for("oneroster.show_import", import_id=outcome.value.id))
    return _index(form, status=422)


@bp.errorhandler(413)
def upload_too_large(exc):
    form = UploadForm(formdata=None)
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    form.files.errors = [_("The upload is larger than the limit of %(limit)s MB.", limit=limit)]
    return _index(form, status=413)


def _show(import_id: int, block: str | None = None, form: ApplyForm | None = None, status: int = 200):
    number = page_arg()
    details = services.import_details(current_user, import_id, number, PROBLEMS_PER_PAGE)
    return render(
        "oneroster/imports/show.html",
        block=block,
        polling=details["active"],
        page=page_of(details["kept"], number, PROBLEMS_PER_PAGE),
        entities=services.ENTITIES,
        form=form or ApplyForm(formdata=None, warnings=details["warning_total"]),
        status=status,
        **details,
    )


@bp.get("/imports/<int:import_id>")
@login_required
def show_import(import_id: int):
    return _show(import_id, block="status")


@bp.post("/imports/<int:import_id>/apply")
@login_required
def apply_import(import_id: int):
    form = ApplyForm()
    outcome = submit(form, lambda: services.start_apply(current_user, import_id, form.warnings.data))
    if outcome.done:
        return redirect_to(url_for("oneroster.show_import", import_id=import_id))
    return _show(import_id, form=form, status=form_status(form))


@bp.get("/imports/<int:import_id>/report")
@login_required
def import_report(import_id: int):
    name, lines = services.import_report(current_user, import_id)
    disposition = f'attachment; filename="{name}"'
    return Response(lines, mimetype="text/csv", headers={"Content-Disposition": disposition})


@bp.post("/export")
@login_required
def export_roster():
    form = ExportForm()
    outcome = submit(form, lambda: services.export_zip(current_user, form.version.data))
    if not outcome.done:
        return _index(UploadForm(formdata=None), form, status=422)
    name = f"oneroster-{form.version.data}-{datetime.now(UTC):%Y%m%d-%H%M}.zip"
    return send_file(io.BytesIO(outcome.value), mimetype="application/zip", as_attachment=True, download_name=name)
