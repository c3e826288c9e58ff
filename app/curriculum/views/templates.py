"""Unit and lesson templates: the list, and creating and editing them (their managers)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.curriculum import services
from app.curriculum.forms import ConfirmForm, TemplateForm
from app.curriculum.views.blueprint import bp
from app.curriculum.views.common import (
    accept_current,
    fill_sections,
    fill_unit_fields,
    posted_sections,
    posted_unit_fields,
    start_editing,
)
from app.errors import NotFound
from app.org import services as org
from app.ui.formflow import form_status, submit
from app.ui.params import to_int
from app.ui.render import redirect_to, render


def _scopes() -> list[tuple[str, str]]:
    """Where the actor may put a template: the district (if they manage it) and the schools they manage."""
    choices = [("", _("The whole district"))] if org.can_manage_school(current_user, None) else []
    return choices + [
        (str(s.id), s.name) for s in org.list_schools(current_user) if org.can_manage_school(current_user, s.id)
    ]


def _posted(form) -> dict:
    return posted_sections(form) | posted_unit_fields(form)


@bp.get("/templates")
@login_required
def list_templates():
    templates = services.available_templates(current_user, include_archived=True)
    managed = {t.id for t in templates if services.can_manage_templates(current_user, t.school_id)}
    return render(
        "curriculum/templates/list.html",
        templates=[t for t in templates if not t.is_archived or t.id in managed],
        managed=managed,
        can_create=bool(_scopes()),
        confirm=ConfirmForm(formdata=None),
    )


@bp.route("/templates/new", methods=["GET", "POST"])
@login_required
def new_template():
    form = TemplateForm()
    form.school_id.choices = _scopes()
    if not form.school_id.choices:
        raise NotFound()
    if request.method == "GET":
        form.kind.data = (
            request.args.get("kind", "lesson") if request.args.get("kind") in ("unit", "lesson") else "lesson"
        )
        fill_sections(form, {})
        fill_unit_fields(form, {})
    outcome = submit(
        form,
        lambda: services.create_template(
            current_user,
            form.kind.data,
            to_int(form.school_id.data),
            form.title.data or "",
            form.description.data or "",
            _posted(form),
            form.duration.data,
        ),
    )
    if outcome.done:
        return redirect_to(url_for("curriculum.list_templates"), toast=_("Template created."))
    return render("curriculum/templates/edit.html", form=form, content_template=None, status=form_status(form))


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@login_required
def edit_template(template_id: int):
    template = services.managed_template(current_user, template_id)
    form = TemplateForm(obj=template if request.method == "GET" else None)
    form.school_id.choices = _scopes()
    if request.method == "GET":
        form.school_id.data = str(template.school_id or "")
        fill_sections(form, template.body.get("sections") or {})
        fill_unit_fields(form, template.body)
        form.duration.data = template.body.get("duration_minutes") or template.body.get("duration_days")
        start_editing(form, template)
    stale = None

    def save():
        return services.update_template(
            current_user,
            template_id,
            form.title.data or "",
            form.description.data or "",
            _posted(form),
            form.duration.data,
            base_revision=form.base_revision.data,
            note=form.note.data,
        )

    try:
        outcome = submit(form, save)
    except services.Stale as error:
        stale, outcome = error, None
        accept_current(form, error)
    if outcome is not None and outcome.done:
        return redirect_to(url_for("curriculum.list_templates"), toast=_("Template saved."))
    return render(
        "curriculum/templates/edit.html",
        form=form,
        content_template=template,
        stale=stale,
        status=409 if stale else form_status(form),
    )


@bp.post("/templates/<int:template_id>/archive")
@login_required
def archive_template(template_id: int):
    template = services.managed_template(current_user, template_id)
    services.archive_template(current_user, template_id, not template.is_archived)
    return redirect_to(url_for("curriculum.list_templates"), toast=_("Saved."))
