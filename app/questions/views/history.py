"""A question's version history: the list, one version read-only, and restoring it."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.questions import services
from app.questions.forms import ConfirmForm
from app.questions.views.blueprint import bp
from app.ui.pagination import page_of
from app.ui.params import page_arg, to_int
from app.ui.render import redirect_to, render


@bp.get("/<int:question_id>/history")
@login_required
def show_history(question_id: int):
    page = page_arg()
    history = services.question_history(current_user, question_id, page)
    return render(
        "questions/history/list.html",
        page=page_of(history["total"], page, history["per_page"]),
        confirm=ConfirmForm(formdata=None),
        **history,
    )


@bp.get("/<int:question_id>/versions/<int:number>")
@login_required
def show_version(question_id: int, number: int):
    view = services.question_version(current_user, question_id, number)
    return render("questions/history/show.html", confirm=ConfirmForm(formdata=None), **view)


@bp.post("/<int:question_id>/versions/<int:number>/restore")
@login_required
def restore_version(question_id: int, number: int):
    form = ConfirmForm()
    question, _access = services.get_question(current_user, question_id)
    if not form.validate_on_submit():
        return redirect_to(url_for("questions.show_history", question_id=question_id))

    try:
        services.restore_question(current_user, question_id, number, to_int(request.form.get("base_revision")))
    except services.Stale:
        return redirect_to(
            url_for("questions.show_history", question_id=question_id),
            toast=_("The question changed while you were looking. Look at its history again."),
        )
    return redirect_to(
        url_for("questions.show_question", question_id=question.id), toast=_("Version %(n)d restored.", n=number)
    )
