"""Form field shapes shared by every domain's forms (the kit's templates know how to render them)."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from app.ui.params import to_int


def optional_int(value):
    """Coerce for a select of ids: the id, or None for the empty choice (and for anything that is no id)."""
    return to_int(value) if value not in (None, "", "None") else None


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (the kit renders it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
