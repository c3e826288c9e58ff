"""Comparing versions of units, lessons and templates, a copy with its origin, and restoring with the impact."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.curriculum import services
from app.curriculum.forms import CompareForm, RestoreForm
from app.curriculum.views.blueprint import bp
from app.errors import NotFound
from app.ui.formflow import form_status, submit
from app.ui.params import int_arg
from app.ui.render import redirect_to, render

KINDS = {"units": "unit", "lessons": "lesson", "templates": "template"}


def item_type_of(kind: str) -> str:
    if kind not in KINDS:
        raise NotFound()
    return KINDS[kind]


def item_url(item_type: str, item_id: int) -> str:
    if item_type == "template":
        return url_for("curriculum.edit_template", template_id=item_id)
    endpoint = "curriculum.show_unit" if item_type == "unit" else "curriculum.show_lesson"
    return url_for(endpoint, **{f"{item_type}_id": item_id})


def _view_urls(**args) -> dict[str, str]:
    """This page's URL with each view, the rest of the query kept (the view is part of the link)."""
    kept = {key: value for key, value in request.args.items() if key != "view"}
    return {
        view: url_for(request.endpoint, **(request.view_args or {}), **kept, **args, view=view)
        for view in ("inline", "side")
    }


def _picker(comparison) -> CompareForm:
    form = CompareForm(formdata=None)
    choices = [(side.number, _version_label(side)) for side in comparison.choices]
    form.left.choices = form.right.choices = choices
    form.left.data = comparison.left.number if comparison.left else None
    form.right.data = comparison.right.number if comparison.right else None
    form.view.data = comparison.view
    return form


def _version_label(side) -> str:
    label = _("Version %(n)d", n=side.number)
    return label + (" · " + _("published") if side.is_published else "")


@bp.get("/<kind>/<int:item_id>/compare")
@login_required
def compare_versions(kind: str, item_id: int):
    item_type = item_type_of(kind)
    comparison = services.compare_versions(
        current_user, item_type, item_id, int_arg("left"), int_arg("right"), request.args.get("view", "")
    )
    return render(
        "curriculum/compare/show.html",
        block="diff",
        c=comparison,
        kind=kind,
        item_url=item_url(item_type, item_id),
        picker=_picker(comparison),
        view_urls=_view_urls(),
        status=404 if comparison.problem and comparison.choices else 200,
    )


@bp.get("/<kind>/<int:item_id>/compare-origin")
@login_required
def compare_origin(kind: str, item_id: int):
    item_type = item_type_of(kind)
    against = "latest" if request.args.get("against") == "latest" else "copied"
    comparison = services.compare_with_origin(current_user, item_type, item_id, against, request.args.get("view", ""))
    return render(
        "curriculum/compare/origin.html",
        block="diff",
        c=comparison,
        kind=kind,
        against=against,
        item_url=item_url(item_type, item_id),
        origin_url=item_url(item_type, comparison.origin.id),
        view_urls=_view_urls(),
    )


def _restore_page(kind: str, item_id: int, number: int, form, status: int = 200, stale: bool = False):
    item_type = item_type_of(kind)
    comparison = services.restore_preview(current_user, item_type, item_id, number, request.args.get("view", ""))
    form.base_revision.data = form.base_revision.data or comparison.item.revision
    return render(
        "curriculum/compare/restore.html",
        block="diff",
        c=comparison,
        kind=kind,
        number=number,
        item_url=item_url(item_type, item_id),
        form=form,
        stale=stale,
        view_urls=_view_urls(),
        status=status,
    )


@bp.route("/<kind>/<int:item_id>/versions/<int:number>/restore", methods=["GET", "POST"])
@login_required
def restore_version(kind: str, item_id: int, number: int):
    item_type = item_type_of(kind)
    form = RestoreForm()
    if request.method == "GET":
        return _restore_page(kind, item_id, number, RestoreForm(formdata=None))
    try:
        outcome = submit(
            form,
            lambda: services.restore(
                current_user, item_type, item_id, number, form.base_revision.data, note=form.note.data
            ),
        )
    except services.Stale:
        fresh = RestoreForm(formdata=None, note=form.note.data)
        return _restore_page(kind, item_id, number, fresh, status=409, stale=True)
    if outcome.done:
        return redirect_to(item_url(item_type, item_id), toast=_("Version %(n)d restored as a new version.", n=number))
    return _restore_page(kind, item_id, number, form, status=form_status(form))
