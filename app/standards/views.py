"""Standards pages: frameworks and their tree, one standard, search (also the picker's), and the import pages."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.standards import services
from app.standards.forms import ApplyForm, SearchForm, UploadForm
from app.standards.policy import can_browse_standards, can_manage_standards
from app.ui.context import NavEntry
from app.ui.formflow import form_status, submit
from app.ui.params import int_arg, to_int
from app.ui.render import redirect_to, render

bp = Blueprint("standards", __name__, url_prefix="/standards")
NAV = (NavEntry(8, "standards.list_frameworks", _l("Standards"), can_browse_standards),)
UPLOAD_LIMIT = 50 * 1024 * 1024
FIELD_NAME_SIZE = 40


def _picker_field() -> str | None:
    """The form field the picker adds to, when a page is asked for as the picker's (`pick=standards`)."""
    field = (request.args.get("pick") or "").strip()
    return field if field.isidentifier() and len(field) <= FIELD_NAME_SIZE else None


@bp.get("/")
@login_required
def list_frameworks():
    return render(
        "standards/frameworks/list.html",
        frameworks=services.frameworks(current_user),
        can_import=can_manage_standards(current_user),
        form=_search_form(),
    )


def _search_form() -> SearchForm:
    form = SearchForm(request.args)
    form.framework.choices = [("", _("Every framework"))] + [
        (str(f.id), f.title) for f in services.frameworks(current_user)
    ]
    return form


@bp.get("/frameworks/<int:framework_id>")
@login_required
def show_framework(framework_id: int):
    parent = int_arg("parent")
    return render(
        "standards/frameworks/show.html",
        block="children" if parent else None,
        framework=services.get_framework(current_user, framework_id),
        nodes=services.children_of(current_user, framework_id, parent),
        parent=parent,
        pick=_picker_field(),
    )


@bp.get("/items/<int:standard_id>")
@login_required
def show_standard(standard_id: int):
    pick = _picker_field()
    return render(
        "standards/items/show.html",
        block="chip" if pick else None,
        pick=pick,
        chosen=request.args.getlist(pick, type=int) if pick else [],
        **services.get_standard(current_user, standard_id),
    )


@bp.get("/search")
@login_required
def search_standards():
    form = _search_form()
    framework = to_int(form.framework.data)
    results = services.search(current_user, form.q.data or "", framework) if form.validate() else []
    return render(
        "standards/search/show.html",
        block="results",
        form=form,
        results=results,
        searched=bool((form.q.data or "").strip()),
        pick=_picker_field(),
    )


def _imports_page(form: UploadForm, status: int = 200):
    return render(
        "standards/imports/new.html",
        form=form,
        imports=services.recent_imports(current_user),
        status=status,
    )


@bp.get("/imports")
@login_required
def new_import():
    return _imports_page(UploadForm())


@bp.post("/imports")
@login_required
def upload_import():
    request.max_content_length = UPLOAD_LIMIT + 1024 * 1024
    form = UploadForm()

    def upload():
        upload = request.files.get(form.file.name)
        data = upload.read() if upload and upload.filename else b""
        name = upload.filename if upload else ""
        return services.upload_import(current_user, name, data, form.framework_name.data)

    outcome = submit(form, upload)
    if outcome.done:
        return redirect_to(url_for("standards.show_import", import_id=outcome.value.id))
    return _imports_page(form, status=422)


@bp.errorhandler(413)
def upload_too_large(exc):
    form = UploadForm(formdata=None)
    form.file.errors = [_("The file is larger than the limit of %(limit)s MB.", limit=UPLOAD_LIMIT // (1024 * 1024))]
    return _imports_page(form, status=413)


def _show(import_id: int, block: str | None = None, form: ApplyForm | None = None, status: int = 200):
    details = services.import_details(current_user, import_id)
    return render(
        "standards/imports/show.html",
        block=block,
        polling=details["active"],
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
        return redirect_to(url_for("standards.show_import", import_id=import_id))
    return _show(import_id, form=form, status=form_status(form))
