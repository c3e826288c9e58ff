"""Records staff: the queue of requests by due date, one request's page (status, assignee, reply, notes, copy)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.compliance import services
from app.compliance.forms import NoteForm, UpdateRequestForm
from app.compliance.views.blueprint import bp
from app.ui.formflow import form_status, submit
from app.ui.render import redirect_to, render


@bp.get("/queue")
@login_required
def request_queue():
    status = request.args.get("status", "")[:12] or None
    rows = services.request_queue(current_user, status=status)
    return render("compliance/queue/list.html", block="results", rows=rows, current_status=status or "")


def _request_page(request_id: int, update_form=None, note_form=None, status: int = 200):
    page = services.staff_view(current_user, request_id)
    update_form = update_form or UpdateRequestForm(
        formdata=None,
        status=page.request.status,
        assignee_id=page.request.assignee_id or 0,
        reply=page.request.reply,
        refusal_reason=page.request.refusal_reason,
    )
    update_form.assignee_id.choices = [(0, _("Nobody yet")), *page.assignees]
    return render(
        "compliance/queue/show.html",
        block="export",
        page=page,
        update_form=update_form,
        note_form=note_form or NoteForm(formdata=None),
        url=url_for("compliance.show_request", request_id=request_id),
        polling=page.is_working,
        status=status,
    )


@bp.get("/queue/<int:request_id>")
@login_required
def show_request(request_id: int):
    return _request_page(request_id)


@bp.post("/queue/<int:request_id>")
@login_required
def update_request(request_id: int):
    services.get_request(current_user, request_id)
    form = UpdateRequestForm()
    form.assignee_id.choices = [(0, ""), *services.staff_view(current_user, request_id).assignees]
    outcome = submit(
        form,
        lambda: services.update_request(
            current_user,
            request_id,
            form.status.data,
            form.assignee_id.data or None,
            form.reply.data,
            form.refusal_reason.data,
        ),
    )
    if outcome.done:
        return redirect_to(url_for("compliance.show_request", request_id=request_id), toast=_("Request updated."))
    return _request_page(request_id, update_form=form, status=form_status(form))


@bp.post("/queue/<int:request_id>/notes")
@login_required
def add_note(request_id: int):
    form = NoteForm()
    if submit(form, lambda: services.add_note(current_user, request_id, form.body.data)).done:
        return redirect_to(url_for("compliance.show_request", request_id=request_id), toast=_("Note added."))
    return _request_page(request_id, note_form=form, status=form_status(form))


@bp.post("/queue/<int:request_id>/copy")
@login_required
def prepare_copy(request_id: int):
    services.prepare_copy(current_user, request_id)
    return redirect_to(url_for("compliance.show_request", request_id=request_id), toast=_("Preparing the copy."))


@bp.post("/queue/<int:request_id>/decision")
@login_required
def decide_amendment(request_id: int):
    decision = request.form.get("decision", "")[:10]
    outcome = request.form.get("hearing_outcome", "")[:10] or None
    services.decide_amendment(current_user, request_id, decision, outcome, request.form.get("notes", "")[:4000])
    return redirect_to(url_for("compliance.show_request", request_id=request_id), toast=_("Decision recorded."))
