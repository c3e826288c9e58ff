"""The data registry page, and one student's records page for staff: holds, audit, disclosures, deletion."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.compliance import services
from app.compliance.forms import ConfirmDeletionForm, DeletionForm, DisclosureForm
from app.compliance.views.blueprint import bp
from app.errors import Invalid
from app.ui.formflow import form_status, submit
from app.ui.render import redirect_to, render


@bp.get("/registry")
@login_required
def show_registry():
    return render("compliance/registry/show.html", page=services.registry_page(current_user))


def _student_page(student_id: int, deletion_form=None, confirm_form=None, disclosure_form=None, status: int = 200):
    return render(
        "compliance/students/show.html",
        page=services.student_records(current_user, student_id),
        deletion_form=deletion_form or DeletionForm(formdata=None),
        confirm_form=confirm_form or ConfirmDeletionForm(formdata=None),
        disclosure_form=disclosure_form or DisclosureForm(formdata=None),
        status=status,
    )


def _back(student_id: int, toast: str):
    return redirect_to(url_for("compliance.show_student_records", student_id=student_id), toast=toast)


@bp.get("/students/<int:student_id>")
@login_required
def show_student_records(student_id: int):
    return _student_page(student_id)


@bp.post("/students/<int:student_id>/deletion")
@login_required
def request_deletion(student_id: int):
    form = DeletionForm()
    action = lambda: services.request_deletion(current_user, student_id, form.basis.data, form.reason.data)  # noqa: E731
    if submit(form, action).done:
        return _back(student_id, _("Deletion asked for. Approve it with the student's name."))
    return _student_page(student_id, deletion_form=form, status=form_status(form))


@bp.post("/students/<int:student_id>/deletion/<int:deletion_id>")
@login_required
def approve_deletion(student_id: int, deletion_id: int):
    form = ConfirmDeletionForm()
    if submit(form, lambda: services.approve_deletion(current_user, deletion_id, form.confirmation.data)).done:
        return redirect_to(url_for("compliance.request_queue"), toast=_("The deletion is running."))
    return _student_page(student_id, confirm_form=form, status=form_status(form))


@bp.post("/students/<int:student_id>/holds")
@login_required
def place_hold(student_id: int):
    try:
        services.place_hold(current_user, student_id, request.form.get("reason", "")[:500])
    except Invalid as invalid:
        return redirect_to(url_for("compliance.show_student_records", student_id=student_id), toast=str(invalid))
    return redirect_to(url_for("compliance.show_student_records", student_id=student_id), toast=_("Hold placed."))


@bp.post("/students/<int:student_id>/holds/<int:hold_id>/release")
@login_required
def release_hold(student_id: int, hold_id: int):
    services.release_hold(current_user, hold_id)
    return redirect_to(url_for("compliance.show_student_records", student_id=student_id), toast=_("Hold released."))


@bp.post("/students/<int:student_id>/disclosures")
@login_required
def record_disclosure(student_id: int):
    form = DisclosureForm()

    def action():
        return services.disclose(
            current_user,
            student_id,
            form.party.data,
            form.party_kind.data,
            form.legitimate_interest.data,
            form.what_disclosed.data,
        )

    if submit(form, action).done:
        return _back(student_id, _("Disclosure recorded."))
    return _student_page(student_id, disclosure_form=form, status=form_status(form))


@bp.post("/coppa")
@login_required
def authorise_coppa():
    try:
        services.authorise_coppa(current_user, request.form.get("statement", "")[:2000])
    except Invalid as invalid:
        return redirect_to(url_for("compliance.show_registry"), toast=str(invalid))
    return redirect_to(url_for("compliance.show_registry"), toast=_("Saved."))
