"""A lesson's page, and creating, editing (with autosave), publishing and copying lessons."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.curriculum import services
from app.curriculum.forms import ConfirmForm, CopyForm, LessonForm
from app.curriculum.views.blueprint import bp
from app.curriculum.views.common import (
    accept_current,
    fill_sections,
    posted_sections,
    posted_standards,
    side_choices,
    start_editing,
)
from app.errors import Invalid
from app.ui.formflow import copy_errors, form_status, submit
from app.ui.params import int_arg
from app.ui.render import redirect_to, render


def _lesson_values(form) -> tuple:
    return (form.title.data or "", posted_sections(form), form.duration_minutes.data, form.visibility.data)


@bp.route("/units/<int:unit_id>/lessons/new", methods=["GET", "POST"])
@login_required
def new_lesson(unit_id: int):
    unit_view = services.unit_page(current_user, unit_id)
    if not unit_view.access.can_edit:
        return render("curriculum/units/show.html", view=unit_view, confirm=ConfirmForm(formdata=None), status=404)
    form = LessonForm()
    template_id = int_arg("template") if request.method == "GET" else form.template_id.data
    template = services.starting_point(current_user, template_id, "lesson")
    if request.method == "GET":
        form.visibility.data = unit_view.unit.visibility
        fill_sections(form, ((template or {}).get("body") or {}).get("sections") or services.empty_sections())
        form.template_id.data = template["id"] if template else None
        form.duration_minutes.data = ((template or {}).get("body") or {}).get("duration_minutes")
    outcome = submit(
        form, lambda: services.create_lesson(current_user, unit_id, *_lesson_values(form), template=template)
    )
    if outcome.done:
        return redirect_to(url_for("curriculum.show_lesson", lesson_id=outcome.value.id), toast=_("Lesson created."))
    return render(
        "curriculum/lessons/edit.html",
        form=form,
        unit=unit_view.unit,
        lesson=None,
        start_template=template,
        templates=services.available_templates(current_user, "lesson"),
        status=form_status(form),
    )


@bp.get("/lessons/<int:lesson_id>")
@login_required
def show_lesson(lesson_id: int):
    return render(
        "curriculum/lessons/show.html",
        view=services.lesson_page(current_user, lesson_id),
        confirm=ConfirmForm(formdata=None),
    )


def _save(form, lesson_id: int, autosave: bool, current: dict | None = None):
    title, posted, minutes, visibility = _lesson_values(form)
    if current is not None:  # after a conflict, the fields the user chose to take from the saved version
        title, posted = services.take_saved("lesson", current, title, posted, side_choices())
    return services.update_lesson(
        current_user,
        lesson_id,
        title,
        posted,
        minutes,
        visibility,
        base_revision=form.base_revision.data,
        base_version=form.base_version.data,
        note=None if autosave else form.note.data,
        autosave=autosave,
        editing_session=form.editing_session.data,
        standard_ids=posted_standards(form),
    )


@bp.route("/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@login_required
def edit_lesson(lesson_id: int):
    view = services.lesson_page(current_user, lesson_id)
    if not view.access.can_edit:
        return render("curriculum/lessons/show.html", view=view, confirm=ConfirmForm(formdata=None), status=404)
    form = LessonForm(obj=view.lesson if request.method == "GET" else None)
    if request.method == "GET":
        fill_sections(form, view.lesson.sections)
        start_editing(form, view.lesson)
        form.standards.data = list(view.lesson.standard_ids or [])
    stale = conflict = None
    current = services.lesson_snapshot(view.lesson)
    try:
        outcome = submit(form, lambda: _save(form, lesson_id, autosave=False, current=current))
    except services.Stale as error:
        stale, outcome = error, None
        conflict = services.conflict_fields(current_user, "lesson", error, form.title.data or "", posted_sections(form))
        accept_current(form, error)
    if outcome is not None and outcome.done:
        return redirect_to(url_for("curriculum.show_lesson", lesson_id=lesson_id), toast=_("Lesson saved."))
    return render(
        "curriculum/lessons/edit.html",
        form=form,
        unit=view.unit,
        lesson=view.lesson,
        stale=stale,
        picker=services.standards_picker(current_user, form.standards.data),
        conflict=conflict,
        status=409 if stale else form_status(form),
    )


@bp.post("/lessons/<int:lesson_id>/autosave")
@login_required
def autosave_lesson(lesson_id: int):
    form = LessonForm()
    if not form.validate_on_submit():
        return render("curriculum/lessons/_autosave.html", state="invalid", form=form, status=422)
    try:
        lesson = _save(form, lesson_id, autosave=True)
    except services.Stale as error:
        return render("curriculum/lessons/_autosave.html", state="stale", stale=error, form=form, status=409)
    except Invalid as error:
        copy_errors(form, error)
        return render("curriculum/lessons/_autosave.html", state="invalid", form=form, status=422)
    return render("curriculum/lessons/_autosave.html", state="saved", lesson=lesson, form=form)


@bp.post("/lessons/<int:lesson_id>/publish")
@login_required
def publish_lesson(lesson_id: int):
    services.publish_lesson(current_user, lesson_id)
    return redirect_to(url_for("curriculum.show_lesson", lesson_id=lesson_id), toast=_("Published."))


@bp.route("/lessons/<int:lesson_id>/copy", methods=["GET", "POST"])
@login_required
def copy_lesson(lesson_id: int):
    view = services.lesson_page(current_user, lesson_id)
    form = CopyForm()
    form.target_id.choices = [(unit.id, unit.title) for unit in services.editable_units(current_user)]
    outcome = submit(form, lambda: services.copy_lesson(current_user, lesson_id, form.target_id.data))
    if outcome.done:
        return redirect_to(
            url_for("curriculum.show_lesson", lesson_id=outcome.value.id), toast=_("Copied into your unit.")
        )
    return render("curriculum/lessons/copy.html", view=view, form=form, status=form_status(form))
