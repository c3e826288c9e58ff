"""The requester's side: ask to inspect, copy or amend; follow the status; download the copy through its link."""

from __future__ import annotations

from flask import abort, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.compliance import services
from app.compliance.forms import RequestForm
from app.compliance.views.blueprint import bp
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
            locale=request.accept_languages.best_match(["en", "es"]) if not current_user.locale else None,
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
