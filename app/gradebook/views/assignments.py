"""Creating and editing assignments: one assignment for several sections of a course, dates per section."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.gradebook import services
from app.gradebook.forms import AssignmentForm
from app.gradebook.views.blueprint import bp
from app.ui.formflow import form_status, submit
from app.ui.render import redirect_to, render


def _posted_dates(section_ids) -> dict:
    return {sid: (request.form.get(f"due_{sid}", ""), request.form.get(f"lock_{sid}", "")) for sid in section_ids}


def _data(form) -> services.AssignmentInput:
    return services.AssignmentInput(
        title=form.title.data or "",
        instructions=form.instructions.data if isinstance(form.instructions.data, str) else "",
        points_possible=form.points_possible.data or "",
        category_id=form.category_id.data,
        grading_type=form.grading_type.data,
        submission_type=form.submission_type.data,
        allows_extra_credit=form.allows_extra_credit.data,
        is_held=form.is_held.data,
        publish=form.publish.data,
        publish_at=form.publish_at.data,
        lesson_id=form.lesson_id.data,
    )


def _page(form, choices, section_id, dates, assignment=None, status=200):
    form.section_ids.choices = [(s.id, label) for s, label in choices.sections]
    form.category_id.choices = [(None, _("No category")), *choices.categories]
    return render(
        "gradebook/assignments/edit.html",
        form=form,
        choices=choices,
        section_id=section_id,
        dates=dates,
        assignment=assignment,
        status=status,
    )


@bp.route("/sections/<int:section_id>/assignments/new", methods=["GET", "POST"])
@login_required
def new_assignment(section_id: int):
    choices = services.assignment_choices(current_user, section_id)
    form = AssignmentForm()
    form.section_ids.choices = [(s.id, label) for s, label in choices.sections]
    form.category_id.choices = [(None, ""), *choices.categories]
    if request.method == "GET":
        form.section_ids.data = [section_id]
        form.lesson_id.data = request.args.get("lesson_id")
    dates = _posted_dates([s.id for s, _label in choices.sections])
    outcome = submit(
        form,
        lambda: services.create_assignment(current_user, form.section_ids.data or [], _data(form), dates),
    )
    if outcome.done:
        return redirect_to(url_for("gradebook.show_gradebook", section_id=section_id), toast=_("Assignment created."))
    return _page(form, choices, section_id, dates, status=form_status(form))


@bp.route("/sections/<int:section_id>/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_assignment(section_id: int, assignment_id: int):
    choices = services.assignment_choices(current_user, section_id, assignment_id)
    assignment = choices.assignment
    form = AssignmentForm(obj=assignment if request.method == "GET" else None)
    form.section_ids.choices = [(s.id, label) for s, label in choices.sections]
    form.category_id.choices = [(None, ""), *choices.categories]
    if request.method == "GET":
        form.instructions.data = assignment.instructions
        form.points_possible.data = str(assignment.points_possible.normalize())
        form.publish.data = "now" if assignment.publish_at else "draft"
        form.section_ids.data = choices.given
        dates = choices.dates
    else:
        dates = _posted_dates(choices.given)
    outcome = submit(
        form, lambda: services.update_assignment(current_user, assignment.id, _data(form), dates), validate=True
    )
    if outcome.done:
        return redirect_to(
            url_for("gradebook.show_column", section_id=section_id, assignment_id=assignment.id),
            toast=_("Assignment saved."),
        )
    return _page(form, choices, section_id, dates, assignment=assignment, status=form_status(form))
