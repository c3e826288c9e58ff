"""The year rollover pages: choose the years, preview, apply, revert or confirm."""

from __future__ import annotations

from flask import Blueprint, has_request_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Invalid
from app.rollover import services
from app.rollover.forms import RolloverForm
from app.rollover.policy import can_run_rollover
from app.ui.formflow import form_status, submit
from app.ui.render import redirect_to, render

bp = Blueprint("rollover", __name__, url_prefix="/rollover")


@bp.app_context_processor
def _rollover_context() -> dict:
    # The structure pages' sub-navigation links the rollover for those who may run it.
    user = current_user if has_request_context() else None
    return {"can_run_rollover": bool(getattr(user, "is_authenticated", False) and can_run_rollover(user))}


@bp.route("/", methods=["GET", "POST"])
@login_required
def new_rollover():
    years = services.rollover_year_choices(current_user)
    form = RolloverForm()
    form.from_year_id.choices = form.to_year_id.choices = [("", _("Choose a year"))] + [(y.id, y.name) for y in years]
    outcome = submit(form, lambda: services.start_rollover(current_user, form.from_year_id.data, form.to_year_id.data))
    if outcome.done:
        return redirect_to(url_for("rollover.show_rollover", rollover_id=outcome.value.id))
    return render(
        "rollover/rollovers/new.html",
        block="rollover_form",
        form=form,
        rollovers=services.list_rollovers(current_user),
        years={y.id: y for y in years},
        status=form_status(form),
    )


@bp.get("/<int:rollover_id>")
@login_required
def show_rollover(rollover_id: int):
    details = services.rollover_details(current_user, rollover_id)
    busy = details["run"] is not None and details["run"].is_active
    return render("rollover/rollovers/show.html", block="rollover", polling=busy, **details)


def _rollover_action(rollover_id: int, action, toast: str):
    try:
        action(current_user, rollover_id)
    except Invalid as error:
        data = services.rollover_details(current_user, rollover_id)
        return render("rollover/rollovers/show.html", block="rollover", error=error.fields.get(""), **data, status=422)
    return redirect_to(url_for("rollover.show_rollover", rollover_id=rollover_id), toast=toast)


@bp.post("/<int:rollover_id>/apply")
@login_required
def apply_rollover(rollover_id: int):
    return _rollover_action(rollover_id, services.apply_rollover, _("The rollover is being applied."))


@bp.post("/<int:rollover_id>/revert")
@login_required
def revert_rollover(rollover_id: int):
    return _rollover_action(rollover_id, services.revert_rollover, _("The rollover is being reverted."))


@bp.post("/<int:rollover_id>/confirm")
@login_required
def confirm_rollover(rollover_id: int):
    return _rollover_action(rollover_id, services.confirm_rollover, _("The rollover is confirmed."))
