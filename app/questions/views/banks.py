"""The banks: the list (mine and shared), creating and editing one, a bank's questions with search and filters,
copying a bank, and its export."""

from __future__ import annotations

from flask import Response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import NotFound
from app.questions import services
from app.questions.forms import BankForm, ConfirmForm, FilterForm
from app.questions.views.blueprint import bp
from app.ui.formflow import form_status, submit
from app.ui.pagination import page_of
from app.ui.params import page_arg, to_int
from app.ui.render import redirect_to, render


def _require_staff() -> None:
    if not services.can_keep_banks(current_user):
        raise NotFound()


@bp.route("/", methods=["GET", "POST"])
@login_required
def list_banks():
    _require_staff()
    form = BankForm()
    outcome = submit(
        form,
        lambda: services.create_bank(
            current_user, form.name.data or "", form.description.data or "", form.visibility.data
        ),
    )
    if outcome.done:
        return redirect_to(url_for("questions.show_bank", bank_id=outcome.value.id), toast=_("Bank created."))
    return render(
        "questions/banks/list.html",
        form=form,
        rows=services.visible_banks(current_user),
        status=form_status(form),
    )


@bp.get("/banks/<int:bank_id>")
@login_required
def show_bank(bank_id: int):
    filters_form = FilterForm(request.args)
    filters = services.Filters.of(
        q=request.args.get("q", ""),
        type=request.args.get("type", ""),
        tag=request.args.get("tag", ""),
        difficulty=to_int(request.args.get("difficulty")),
        standard=request.args.get("standard", ""),
    )
    page = page_arg()
    listing = services.bank_questions(current_user, bank_id, filters, page)
    filters_form.tag.choices = [("", _("Any tag"))] + [(t, t) for t in listing["tags"]]
    return render(
        "questions/banks/show.html",
        block="results",
        filters_form=filters_form,
        confirm=ConfirmForm(formdata=None),
        can_export=services.can_export(),
        page=page_of(listing["total"], page, services.PER_PAGE),
        **listing,
    )


@bp.route("/banks/<int:bank_id>/edit", methods=["GET", "POST"])
@login_required
def edit_bank(bank_id: int):
    bank, access = services.get_bank(current_user, bank_id)
    if not access.can_edit:
        raise NotFound()
    form = BankForm(obj=bank if request.method == "GET" else None)
    outcome = submit(
        form,
        lambda: services.update_bank(
            current_user, bank_id, form.name.data or "", form.description.data or "", form.visibility.data
        ),
    )
    if outcome.done:
        return redirect_to(url_for("questions.show_bank", bank_id=bank_id), toast=_("Bank saved."))
    return render("questions/banks/edit.html", form=form, bank=bank, status=form_status(form))


@bp.post("/banks/<int:bank_id>/copy")
@login_required
def copy_bank(bank_id: int):
    form = ConfirmForm()
    if not form.validate_on_submit():
        raise NotFound()
    copy = services.copy_bank(current_user, bank_id)
    return redirect_to(url_for("questions.show_bank", bank_id=copy.id), toast=_("Bank copied."))


@bp.get("/banks/<int:bank_id>/export")
@login_required
def export_bank(bank_id: int):
    name, data = services.export_bank(current_user, bank_id)
    return Response(data, mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'})
