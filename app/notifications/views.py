import json

from flask import Blueprint, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.notifications import services
from app.notifications.forms import ConfirmForm, PreferencesForm
from app.ui.formflow import form_status, submit
from app.ui.pagination import page_of
from app.ui.params import page_arg
from app.ui.render import redirect_to, render, updated

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def list_notifications():
    page = page_arg()
    return _inbox(page)


def _inbox(page: int, status: int = 200):
    rows, total = services.list_inbox(current_user, page=page)
    return render(
        "notifications/inbox/list.html",
        block="results",
        status=status,
        notifications=rows,
        page=page_of(total, page, services.PAGE_SIZE),
        unread=services.unread_count(current_user),
        form=ConfirmForm(),
    )


@bp.get("/bell")
@login_required
def bell():
    return render("notifications/_bell.html", count=services.unread_count(current_user))


@bp.post("/<int:notification_id>/read")
@login_required
def read_notification(notification_id: int):
    form = ConfirmForm()
    if form.validate_on_submit():
        services.mark_read(current_user, notification_id)
    page = page_arg()
    return _changed(updated(url_for("notifications.list_notifications", page=page), lambda: _inbox(page)))


@bp.post("/read-all")
@login_required
def read_all():
    form = ConfirmForm()
    if form.validate_on_submit():
        services.mark_all_read(current_user)
    return _changed(
        updated(
            url_for("notifications.list_notifications"), lambda: _inbox(1), toast=_("All notifications marked read.")
        )
    )


def _changed(response):
    """Tell the header's bell to fetch its count again (alongside any toast the response carries)."""
    triggers = json.loads(response.headers.get("HX-Trigger") or "{}")
    triggers["notifications-changed"] = True
    response.headers["HX-Trigger"] = json.dumps(triggers)
    return response


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def edit_preferences():
    form = PreferencesForm()
    rows = services.preference_rows(current_user)
    if request.method == "POST":
        chosen = {row["type"]: set(request.form.getlist(f"pref-{row['type']}")) for row in rows}
        outcome = submit(form, lambda: services.save_preferences(current_user, chosen))
        if outcome.done:
            return redirect_to(url_for("notifications.edit_preferences"), toast=_("Your choices are saved."))
        rows = [
            {**row, "in_app": "in_app" in chosen[row["type"]], "email": "email" in chosen[row["type"]]} for row in rows
        ]
    return render("notifications/preferences/edit.html", form=form, rows=rows, status=form_status(form))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """No sign-in: the signed token in the link is the authority, for one person and one kind of email."""
    form = ConfirmForm()
    kind = services.unsubscribe_kind(token)
    if form.validate_on_submit():
        kind = services.unsubscribe(token)
        return render("notifications/unsubscribe/done.html", kind=kind)
    return render("notifications/unsubscribe/confirm.html", form=form, kind=kind, token=token, status=form_status(form))
