"""The requester's side: ask to inspect, copy or amend; follow the status; download the copy through its link."""

from __future__ import annotations

from flask import abort, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.compliance import services
from app.compliance.forms import RequestForm
from app.compliance.views.blueprint import bp
from app.errors import Invalid
from app.ui.formflow import form_status, submit
from app.ui.render import redirect_to, render, render_error


def _request_form(formdata=None) -> RequestForm:
    form = RequestForm(formdata=formdata) if formdata is not None else RequestForm()
    form.student_id.choices = [(s.student_id, s.name) for s in services.requestable_students(current_user)]
    return form


@bp.route("/requests", methods=["GET", "POST"])
@login_required
def my_requests():
    form = _request_form()
    outcome = submit(
        form,
        lambda: services.submit_request(
            current_user,
            form.student_id.data,
            form.kind.data,
            form.details.data,
            form.record_part.data,
            locale=str(get_locale()),
        ),
    )
    if outcome.done:
        return redirect_to(url_for("compliance.show_my_request", request_id=outcome.value.id), toast=_("Request sent."))
    return render(
        "compliance/requests/mine.html",
        form=form,
        rows=services.my_requests(current_user),
        status=form_status(form),
    )


@bp.get("/requests/<int:request_id>")
@login_required
def show_my_request(request_id: int):
    view = services.requester_view(current_user, request_id)
    url = url_for("compliance.show_my_request", request_id=request_id)
    return render("compliance/requests/show.html", block="status", view=view, url=url, polling=view.is_working)


@bp.get("/requests/<int:request_id>/download")
@login_required
def download_export(request_id: int):
    try:
        found = services.open_download(current_user, request_id, request.args.get("token", ""))
    except services.LinkExpired:
        return render_error(410, _("This link has expired"), _("Ask for a new copy from your records requests page."))
    except services.LinkInvalid:
        abort(404)
    return send_file(found.path, mimetype="application/zip", as_attachment=True, download_name=found.filename)


@bp.post("/requests/<int:request_id>/hearing")
@login_required
def request_hearing(request_id: int):
    try:
        services.request_hearing(current_user, request_id)
    except Invalid as invalid:
        return redirect_to(url_for("compliance.show_my_request", request_id=request_id), toast=str(invalid))
    return redirect_to(url_for("compliance.show_my_request", request_id=request_id), toast=_("Hearing requested."))


@bp.post("/requests/<int:request_id>/statement")
@login_required
def add_statement(request_id: int):
    try:
        services.add_statement(current_user, request_id, request.form.get("body", "")[:4000])
    except Invalid as invalid:
        return redirect_to(url_for("compliance.show_my_request", request_id=request_id), toast=str(invalid))
    return redirect_to(
        url_for("compliance.show_my_request", request_id=request_id), toast=_("Your statement is in the record.")
    )


@bp.get("/privacy/<int:student_id>")
@login_required
def show_privacy(student_id: int):
    return render("compliance/privacy/show.html", choices=services.privacy_choices(current_user, student_id))


@bp.post("/privacy/<int:student_id>/consents")
@login_required
def set_consent(student_id: int):
    use = request.form.get("use", "")[:40]
    try:
        services.set_consent(current_user, student_id, use, request.form.get("granted") == "yes")
    except Invalid as invalid:
        return redirect_to(url_for("compliance.show_privacy", student_id=student_id), toast=str(invalid))
    return redirect_to(url_for("compliance.show_privacy", student_id=student_id), toast=_("Saved."))


@bp.post("/privacy/<int:student_id>/directory")
@login_required
def set_opt_out(student_id: int):
    services.set_opt_out(current_user, student_id, request.form.get("opted_out") == "yes")
    return redirect_to(url_for("compliance.show_privacy", student_id=student_id), toast=_("Saved."))
