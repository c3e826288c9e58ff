"""The section planner: week and term views, adding lessons, moving them (buttons or drag and drop), skipping days."""

from __future__ import annotations

from datetime import date, timedelta

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.curriculum import services
from app.curriculum.forms import ConfirmForm, ScheduleForm, SkipForm
from app.curriculum.views.blueprint import bp
from app.errors import Invalid
from app.ui.formflow import form_status, submit
from app.ui.params import to_int
from app.ui.render import render, updated

VIEWS = ("week", "term")


def _day_arg(name: str) -> date | None:
    try:
        return date.fromisoformat((request.values.get(name) or "")[:10])
    except ValueError:
        return None


def _plan_page(section_id: int, status: int = 200, forms: dict | None = None):
    view = request.values.get("view") if request.values.get("view") in VIEWS else "week"
    anchor = _day_arg("week") or current_user.today()
    start, end = services.week_of(anchor) if view == "week" else (None, None)
    schedule_form = (forms or {}).get("schedule") or ScheduleForm(formdata=None)
    plan = services.section_plan(current_user, section_id, start, end, with_course_lessons=bool(schedule_form.errors))
    if schedule_form.errors:
        schedule_form.lesson_id.choices = plan.course_lessons
    return render(
        "curriculum/planner/show.html",
        block="plan",
        plan=plan,
        view=view,
        week_start=start,
        previous_week=(start - timedelta(days=7)) if start else None,
        next_week=(start + timedelta(days=7)) if start else None,
        today=current_user.today(),
        schedule_form=schedule_form,
        skip_form=(forms or {}).get("skip") or SkipForm(formdata=None),
        confirm=ConfirmForm(formdata=None),
        status=status,
    )


def _plan_url(section_id: int) -> str:
    """Back to the plan as it was shown: only a known view and a real date go into the redirect."""
    week = _day_arg("week")
    view = request.values.get("view")
    return url_for(
        "curriculum.show_plan",
        section_id=section_id,
        view=view if view in VIEWS else None,
        week=week.isoformat() if week else None,
    )


@bp.get("/sections/<int:section_id>/plan")
@login_required
def show_plan(section_id: int):
    return _plan_page(section_id)


def _after(section_id: int, toast: str):
    return updated(_plan_url(section_id), lambda: _plan_page(section_id), toast=toast)


@bp.get("/sections/<int:section_id>/plan/add")
@login_required
def add_to_plan(section_id: int):
    section = services.planned_section(current_user, section_id)
    form = ScheduleForm(formdata=None)
    form.lesson_id.choices = services.lesson_choices(current_user, section.course_id)
    week = _day_arg("week")
    return render(
        "curriculum/planner/add.html",
        block="add_form",
        section=section,
        schedule_form=form,
        view=request.values.get("view") if request.values.get("view") in VIEWS else "week",
        week_param=week.isoformat() if week else None,
    )


@bp.post("/sections/<int:section_id>/plan")
@login_required
def schedule_lesson(section_id: int):
    form = ScheduleForm()
    section = services.planned_section(current_user, section_id)
    form.lesson_id.choices = services.lesson_choices(current_user, section.course_id)
    outcome = submit(
        form,
        lambda: services.schedule_lesson(
            current_user, section_id, form.lesson_id.data, form.not_before.data, form.days.data or 1
        ),
    )
    if outcome.done:
        return _after(section_id, _("Lesson added to the plan."))
    return _plan_page(section_id, status=form_status(form), forms={"schedule": form})


def _entry_action(action, toast: str):
    """Run a planner action on an entry; a refused one comes back as the plan with the message (422)."""
    try:
        section_id = action()
    except Invalid as error:
        section_id = to_int(request.form.get("section_id"))
        if section_id is None:
            raise
        form = SkipForm(formdata=None)
        form.form_errors.extend(error.fields.values())
        return _plan_page(section_id, status=422, forms={"skip": form})
    return _after(section_id, toast)


@bp.post("/plan/<int:entry_id>/move")
@login_required
def move_entry(entry_id: int):
    day, offset = _day_arg("day"), to_int(request.form.get("offset"))

    def move():
        if day is not None:
            entry = services.move_to_day(current_user, entry_id, day)
        else:
            entry = services.move_entry(current_user, entry_id, -1 if (offset or 0) < 0 else 1)
        return entry.section_id

    return _entry_action(move, _("Moved."))


@bp.post("/plan/<int:entry_id>/remove")
@login_required
def unschedule(entry_id: int):
    section_id = services.unschedule(current_user, entry_id)
    return _after(section_id, _("Taken off this section's plan."))


@bp.post("/plan/<int:entry_id>/fork")
@login_required
def fork_entry(entry_id: int):
    return _entry_action(
        lambda: services.fork_entry(current_user, entry_id).section_id, _("This section now plans its own copy.")
    )


@bp.post("/sections/<int:section_id>/plan/skips")
@login_required
def skip_day(section_id: int):
    form = SkipForm()
    outcome = submit(form, lambda: services.skip_day(current_user, section_id, form.day.data, form.reason.data or ""))
    if outcome.done:
        return _after(section_id, _("Day skipped: the lessons after it moved on."))
    return _plan_page(section_id, status=form_status(form), forms={"skip": form})


@bp.post("/sections/<int:section_id>/plan/skips/<day>/remove")
@login_required
def unskip_day(section_id: int, day: str):
    try:
        on = date.fromisoformat(day[:10])
    except ValueError:
        return _plan_page(section_id, status=422)
    services.unskip_day(current_user, section_id, on)
    return _after(section_id, _("The day is a class day again."))
