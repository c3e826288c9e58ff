"""Comparing two versions of a question: the page (inline or side by side, the choice in the URL)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.questions import services
from app.questions.forms import CompareForm
from app.questions.views.blueprint import bp
from app.ui.params import int_arg
from app.ui.render import render


def _view_urls(question_id: int) -> dict[str, str]:
    """This page's URL with each view, the chosen versions kept (the view is part of the link)."""
    kept = {key: value for key, value in request.args.items() if key != "view"}
    return {
        view: url_for("questions.compare_versions", question_id=question_id, **kept, view=view)
        for view in ("inline", "side")
    }


def _picker(comparison) -> CompareForm:
    form = CompareForm(formdata=None)
    form.left.choices = form.right.choices = [
        (side.number, _("Version %(n)d", n=side.number)) for side in comparison.choices
    ]
    form.left.data = comparison.left.number if comparison.left else None
    form.right.data = comparison.right.number if comparison.right else None
    form.view.data = comparison.view
    return form


@bp.get("/<int:question_id>/compare")
@login_required
def compare_versions(question_id: int):
    comparison = services.compare_question_versions(
        current_user, question_id, int_arg("left"), int_arg("right"), request.args.get("view", "")
    )
    return render(
        "questions/history/compare.html",
        block="diff",
        c=comparison,
        picker=_picker(comparison),
        view_urls=_view_urls(question_id),
        status=404 if comparison.problem and comparison.choices else 200,
    )
