"""Admins: grade changes asked for after grades locked, approved (applied, with the reason kept) or declined."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.gradebook import services
from app.gradebook.forms import DecisionForm
from app.gradebook.views.blueprint import bp
from app.ui.render import redirect_to, render


@bp.get("/approvals")
@login_required
def list_approvals():
    return render(
        "gradebook/approvals/list.html",
        requests=services.pending_requests(current_user),
        form=DecisionForm(formdata=None),
    )


@bp.post("/approvals/<int:request_id>")
@login_required
def decide_approval(request_id: int):
    form = DecisionForm()
    if not form.validate_on_submit():
        return render(
            "gradebook/approvals/list.html",
            requests=services.pending_requests(current_user),
            form=form,
            status=422,
        )
    approve = form.decision.data == "approve"
    services.decide_request(current_user, request_id, approve, form.note.data or "")
    return redirect_to(
        url_for("gradebook.list_approvals"),
        toast=_("Change approved and applied.") if approve else _("Change declined."),
    )
