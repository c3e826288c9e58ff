"""The one way a view runs a form: validate, call the service, put its Invalid messages on the fields.

    outcome = submit(form, lambda: services.update_school(current_user, school.id, ...))
    if outcome.done:
        return redirect_to(url_for(...), toast=_("School saved."))
    return render("org/schools/edit.html", form=form, status=form_status(form))

`form_status` is the one status rule: 422 when any of the forms carries an error, else 200.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.errors import Invalid


@dataclass(frozen=True)
class Outcome:
    done: bool
    value: Any = None


NOT_DONE = Outcome(False)


def submit(form, action: Callable[[], Any], *, validate: bool = True) -> Outcome:
    """Run `action` when the form was posted and is valid (or at once with validate=False); a service's
    Invalid is copied onto the form's fields and the outcome is not done."""
    if validate and not form.validate_on_submit():
        return NOT_DONE
    try:
        return Outcome(True, action())
    except Invalid as error:
        copy_errors(form, error)
        return NOT_DONE


def form_status(*forms) -> int:
    return 422 if any(form.errors or form.form_errors for form in forms if form is not None) else 200


def copy_errors(form, error: Invalid) -> None:
    """Put a service's Invalid messages onto the WTForms fields so the page shows them in place."""
    for name, message in error.fields.items():
        field = form._fields.get(name) if name else None
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
