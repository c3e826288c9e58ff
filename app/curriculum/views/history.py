"""Version history of units and lessons: the list and one version read-only (restoring is in compare.py)."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user, login_required

from app.curriculum import services
from app.curriculum.forms import ConfirmForm
from app.curriculum.views.blueprint import bp
from app.errors import NotFound
from app.ui.pagination import page_of
from app.ui.params import page_arg
from app.ui.render import render

ITEM_TYPES = {"units": "unit", "lessons": "lesson"}


def _item_type(kind: str) -> str:
    if kind not in ITEM_TYPES:
        raise NotFound()
    return ITEM_TYPES[kind]


def _item_url(item_type: str, item_id: int) -> str:
    endpoint = "curriculum.show_unit" if item_type == "unit" else "curriculum.show_lesson"
    return url_for(endpoint, **{f"{item_type}_id": item_id})


@bp.get("/<kind>/<int:item_id>/history")
@login_required
def show_history(kind: str, item_id: int):
    item_type = _item_type(kind)
    page = page_arg()
    data = services.item_history(current_user, item_type, item_id, page)
    return render(
        "curriculum/history/list.html",
        block="history",
        item_type=item_type,
        kind=kind,
        item_url=_item_url(item_type, item_id),
        page=page_of(data["total"], page, data["per_page"]),
        **data,
    )


@bp.get("/<kind>/<int:item_id>/versions/<int:number>")
@login_required
def show_version(kind: str, item_id: int, number: int):
    item_type = _item_type(kind)
    data = services.item_version(current_user, item_type, item_id, number)
    return render(
        "curriculum/history/show.html",
        item_type=item_type,
        kind=kind,
        item_url=_item_url(item_type, item_id),
        confirm=ConfirmForm(formdata=None, base_revision=data["item"].revision),
        **data,
    )
