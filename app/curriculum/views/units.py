"""My courses, a course's units, a unit's page, and creating, editing, publishing and copying units."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.curriculum import services
from app.curriculum.forms import ConfirmForm, CopyForm, UnitForm
from app.curriculum.views.blueprint import bp
from app.curriculum.views.common import (
    accept_current,
    fill_unit_fields,
    posted_standards,
    posted_unit_fields,
    side_choices,
    start_editing,
)
from app.ui.formflow import form_status, submit
from app.ui.params import int_arg
from app.ui.render import redirect_to, render


@bp.get("/")
@login_required
def my_courses():
    return render("curriculum/courses/list.html", rows=services.my_courses(current_user))


@bp.get("/courses/<int:course_id>")
@login_required
def show_course(course_id: int):
    return render("curriculum/courses/show.html", **services.course_units(current_user, course_id))


def _unit_values(form) -> tuple:
    return (form.title.data or "", posted_unit_fields(form), form.duration_days.data, form.visibility.data)


@bp.route("/courses/<int:course_id>/units/new", methods=["GET", "POST"])
@login_required
def new_unit(course_id: int):
    course = services.teachable_course(current_user, course_id)
    template = services.starting_point(current_user, int_arg("template"), "unit")
    form = UnitForm()
    if request.method == "GET":
        fill_unit_fields(form, (template or {}).get("body") or services.empty_unit_fields())
    outcome = submit(
        form, lambda: services.create_unit(current_user, course.id, *_unit_values(form), template=template)
    )
    if outcome.done:
        return redirect_to(url_for("curriculum.show_unit", unit_id=outcome.value.id), toast=_("Unit created."))
    templates = services.available_templates(current_user, "unit")
    return render(
        "curriculum/units/edit.html",
        form=form,
        course=course,
        unit=None,
        start_template=template,
        templates=templates,
        status=form_status(form),
    )


@bp.get("/units/<int:unit_id>")
@login_required
def show_unit(unit_id: int):
    view = services.unit_page(current_user, unit_id)
    return render("curriculum/units/show.html", view=view, confirm=ConfirmForm(formdata=None))


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
def edit_unit(unit_id: int):
    view = services.unit_page(current_user, unit_id)
    if not view.access.can_edit:
        return render("curriculum/units/show.html", view=view, confirm=ConfirmForm(formdata=None), status=404)
    form = UnitForm(obj=view.unit if request.method == "GET" else None)
    if request.method == "GET":
        fill_unit_fields(form, view.fields)
        start_editing(form, view.unit)
        form.standards.data = list(view.unit.standard_ids or [])
    stale = conflict = None
    current = services.unit_snapshot(view.unit)

    def save():
        title, posted, days, visibility = _unit_values(form)
        title, posted = services.take_saved("unit", current, title, posted, side_choices())
        return services.update_unit(
            current_user,
            unit_id,
            title,
            posted,
            days,
            visibility,
            base_revision=form.base_revision.data,
            base_version=form.base_version.data,
            note=form.note.data,
            editing_session=form.editing_session.data,
            standard_ids=posted_standards(form),
        )

    try:
        outcome = submit(form, save)
    except services.Stale as error:
        stale, outcome = error, None
        conflict = services.conflict_fields(
            current_user, "unit", error, form.title.data or "", posted_unit_fields(form)
        )
        accept_current(form, error)
    if outcome is not None and outcome.done:
        return redirect_to(url_for("curriculum.show_unit", unit_id=unit_id), toast=_("Unit saved."))
    status = 409 if stale else form_status(form)
    return render(
        "curriculum/units/edit.html",
        form=form,
        course=view.course,
        unit=view.unit,
        stale=stale,
        picker=services.standards_picker(current_user, form.standards.data),
        conflict=conflict,
        status=status,
    )


@bp.post("/units/<int:unit_id>/publish")
@login_required
def publish_unit(unit_id: int):
    services.publish_unit(current_user, unit_id)
    return redirect_to(url_for("curriculum.show_unit", unit_id=unit_id), toast=_("Published."))


@bp.route("/units/<int:unit_id>/copy", methods=["GET", "POST"])
@login_required
def copy_unit(unit_id: int):
    view = services.unit_page(current_user, unit_id)
    form = CopyForm()
    courses = services.my_courses(current_user)
    form.target_id.choices = [(row["course"].id, f"{row['course'].code} · {row['course'].name}") for row in courses]
    outcome = submit(form, lambda: services.copy_unit(current_user, unit_id, form.target_id.data))
    if outcome.done:
        return redirect_to(
            url_for("curriculum.show_unit", unit_id=outcome.value.id), toast=_("Copied into your course.")
        )
    return render("curriculum/units/copy.html", view=view, form=form, status=form_status(form))


@bp.post("/units/<int:unit_id>/copy-forward")
@login_required
def copy_unit_forward(unit_id: int):
    form = ConfirmForm()
    outcome = submit(form, lambda: services.copy_unit_forward(current_user, unit_id))
    if outcome.done:
        return redirect_to(
            url_for("curriculum.show_unit", unit_id=outcome.value.id), toast=_("Copied into next year's course.")
        )
    view = services.unit_page(current_user, unit_id)
    return render("curriculum/units/show.html", view=view, confirm=form, status=form_status(form))
