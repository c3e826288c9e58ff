"""The rollover form: which year ends and which begins; the rules live in the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from app.ui.fields import optional_int


class RolloverForm(FlaskForm):
    from_year_id = SelectField(_l("Year that is ending"), coerce=optional_int, choices=[], validate_choice=False)
    to_year_id = SelectField(_l("New year"), coerce=optional_int, choices=[], validate_choice=False)
