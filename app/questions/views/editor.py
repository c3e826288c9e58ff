"""A question: its page (as a student sees it, and its answer key), the editor for every type (rows added,
removed and reordered by HTMX, or by plain form posts without JavaScript), archiving and copying."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Invalid, NotFound
from app.questions import services
from app.questions.forms import (
    FORM_FIELDS,
    ConfirmForm,
    CopyForm,
    QuestionForm,
    apply_op,
    draft_from_form,
    fill_form,
    is_known_type,
    starting_draft,
)
from app.questions.views.blueprint import bp
from app.ui.formflow import form_status, submit
from app.ui.render import redirect_to, render


def _editor(form, draft, bank, question=None, errors=None, stale=None, status=200, block=None):
    if question is not None:
        action = url_for("questions.edit_question", question_id=question.id)
    else:
        action = url_for("questions.new_question", bank_id=bank.id, kind=draft["type"])
    return render(
        "questions/questions/edit.html",
        block=block,
        form=form,
        draft=draft,
        kind=draft["type"],
        action=action,
        bank=bank,
        question=question,
        errors=errors or {},
        stale=stale,
        status=status,
    )


def _split_errors(form, error: Invalid) -> dict:
    """Put the rules' messages on the form's own fields; return those that belong to rows."""
    rows = {}
    for name, message in error.fields.items():
        field = form._fields.get(FORM_FIELDS.get(name, ""))
        if field is not None:
            field.errors = [*(field.errors or []), message]
        else:
            rows[name] = message
    return rows


def _posted(form, kind: str):
    """(draft, op) of a post: an op is an editor button (add, remove, move a row) and saves nothing."""
    draft = draft_from_form(request.form, kind)
    op = request.form.get("op")
    return draft, op


@bp.get("/banks/<int:bank_id>/new")
@login_required
def choose_type(bank_id: int):
    bank, access = services.get_bank(current_user, bank_id)
    if not access.can_edit:
        raise NotFound()
    return render("questions/questions/new.html", bank=bank)


@bp.route("/banks/<int:bank_id>/new/<kind>", methods=["GET", "POST"])
@login_required
def new_question(bank_id: int, kind: str):
    bank, access = services.get_bank(current_user, bank_id)
    if not access.can_edit or not is_known_type(kind):
        raise NotFound()
    form = QuestionForm()
    if request.method == "GET":
        draft = starting_draft(kind)
        fill_form(form, draft)
        return _editor(form, draft, bank)
    draft, op = _posted(form, kind)
    if op:
        apply_op(draft, op)
        return _editor(form, draft, bank, block="answers")
    errors: dict = {}

    def create():
        try:
            return services.create_question(current_user, bank_id, draft)
        except Invalid as error:
            errors.update(_split_errors(form, error))
            raise Invalid({}) from None

    outcome = submit(form, create)
    if outcome.done:
        return redirect_to(url_for("questions.show_question", question_id=outcome.value.id), toast=_("Question saved."))
    return _editor(form, draft, bank, errors=errors, status=422)


@bp.get("/<int:question_id>")
@login_required
def show_question(question_id: int):
    question, access = services.get_question(current_user, question_id)
    bank, _access = services.get_bank(current_user, question.bank_id)
    return render(
        "questions/questions/show.html",
        question=question,
        data=services.question_data(question),
        access=access,
        bank=bank,
        confirm=ConfirmForm(formdata=None),
    )


@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(question_id: int):
    question, access = services.get_question(current_user, question_id)
    if not access.can_edit or question.is_archived:
        raise NotFound()
    bank, _access = services.get_bank(current_user, question.bank_id)
    form = QuestionForm()
    if request.method == "GET":
        draft = services.draft_of(question)
        fill_form(form, draft)
        form.base_revision.data, form.base_version.data = question.revision, question.version
        return _editor(form, draft, bank, question)
    draft, op = _posted(form, question.type)
    if op:
        apply_op(draft, op)
        return _editor(form, draft, bank, question, block="answers")
    errors: dict = {}
    stale = None

    def save():
        try:
            return services.update_question(
                current_user,
                question_id,
                draft,
                base_revision=form.base_revision.data,
                base_version=form.base_version.data,
                note=form.note.data,
            )
        except Invalid as error:
            errors.update(_split_errors(form, error))
            raise Invalid({}) from None

    try:
        outcome = submit(form, save)
    except services.Stale as error:
        stale, outcome = error, None
        form.base_revision.data, form.base_version.data = error.current.revision, error.current.version
    if outcome is not None and outcome.done:
        return redirect_to(url_for("questions.show_question", question_id=question_id), toast=_("Question saved."))
    status = 409 if stale else 422
    return _editor(form, draft, bank, question, errors=errors, stale=stale, status=status)


@bp.post("/<int:question_id>/archive")
@login_required
def archive_question(question_id: int):
    form = ConfirmForm()
    if not form.validate_on_submit():
        raise NotFound()
    question = services.archive_question(current_user, question_id)
    return redirect_to(url_for("questions.show_bank", bank_id=question.bank_id), toast=_("Question removed."))


@bp.route("/<int:question_id>/copy", methods=["GET", "POST"])
@login_required
def copy_question(question_id: int):
    question, _access = services.get_question(current_user, question_id)
    form = CopyForm()
    form.bank_id.choices = [(b.id, b.name) for b in services.editable_banks(current_user)]
    outcome = submit(form, lambda: services.copy_question(current_user, question_id, form.bank_id.data))
    if outcome.done:
        return redirect_to(
            url_for("questions.show_question", question_id=outcome.value.id), toast=_("Copied into your bank.")
        )
    return render("questions/questions/copy.html", question=question, form=form, status=form_status(form))
