"""Importing a question file: upload (QTI, Moodle XML, GIFT, or a zip of them), the preview while and after it is
checked, and applying it (a job; the page follows its progress)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.questions import services
from app.questions.forms import ConfirmForm, ImportForm
from app.questions.views.blueprint import bp
from app.ui.formflow import form_status, submit
from app.ui.pagination import page_of
from app.ui.params import page_arg, to_int
from app.ui.render import redirect_to, render

NEW_BANK = 0  # the bank choice "a new bank named after the file"
PREVIEW_PER_PAGE = 50


def _bank_choices() -> list:
    return [(NEW_BANK, _("A new bank, named after the file"))] + [
        (b.id, b.name) for b in services.editable_banks(current_user)
    ]


def _new(form: ImportForm, status: int = 200):
    return render(
        "questions/imports/new.html",
        form=form,
        imports=services.recent_imports(current_user),
        status=status,
    )


@bp.get("/imports")
@login_required
def new_import():
    form = ImportForm(formdata=None)
    form.bank_id.choices = _bank_choices()
    form.bank_id.data = to_int(request.args.get("bank")) or NEW_BANK
    services.recent_imports(current_user)  # NotFound for those who keep no banks
    return _new(form)


@bp.post("/imports")
@login_required
def upload_import():
    form = ImportForm()
    form.bank_id.choices = _bank_choices()

    def upload():
        file = request.files.get(form.file.name)
        bank_id = form.bank_id.data or None
        return services.upload_import(
            current_user, file.filename if file else "", file.read() if file else b"", bank_id
        )

    outcome = submit(form, upload)
    if outcome.done:
        return redirect_to(url_for("questions.show_import", import_id=outcome.value.id))
    return _new(form, status=form_status(form) if form.errors or form.form_errors else 422)


@bp.errorhandler(413)
def upload_too_large(exc):
    form = ImportForm(formdata=None)
    form.bank_id.choices = _bank_choices()
    form.file.errors = [_("The file is larger than the upload limit.")]
    return _new(form, status=413)


def _show(import_id: int, form: ConfirmForm | None = None, status: int = 200):
    number = page_arg()
    details = services.import_details(current_user, import_id)
    questions = details["preview"].get("questions") or []
    shown = questions[(number - 1) * PREVIEW_PER_PAGE : number * PREVIEW_PER_PAGE]
    return render(
        "questions/imports/show.html",
        block="status",
        polling=details["active"],
        form=form or ConfirmForm(formdata=None),
        shown=shown,
        offset=(number - 1) * PREVIEW_PER_PAGE,
        page=page_of(len(questions), number, PREVIEW_PER_PAGE),
        status=status,
        **details,
    )


@bp.get("/imports/<int:import_id>")
@login_required
def show_import(import_id: int):
    return _show(import_id)


@bp.post("/imports/<int:import_id>/apply")
@login_required
def apply_import(import_id: int):
    form = ConfirmForm()
    outcome = submit(form, lambda: services.start_apply(current_user, import_id))
    if outcome.done:
        return redirect_to(url_for("questions.show_import", import_id=import_id))
    return _show(import_id, form=form, status=form_status(form))
