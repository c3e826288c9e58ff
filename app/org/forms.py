"""Form shapes for school structure and rollover; the rules that need the database live in the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.ui.params import to_int


def _int_or_none(value):
    return to_int(value) if value not in (None, "", "None") else None


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (the kit renders it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SchoolForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the school's name.")), Length(max=200)])
    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter a short code.")), Length(max=40)])
    grade_low = SelectField(_l("Lowest grade"), coerce=int, choices=[])
    grade_high = SelectField(_l("Highest grade"), coerce=int, choices=[])


class YearForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter a name, for example 2026-27.")), Length(max=60)],
        description=_l("For example 2026-27."),
    )
    starts_on = DateField(_l("First day"), validators=[DataRequired(_l("Enter the first day as a date."))])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(_l("Enter the last day as a date."))])
    is_current = BooleanField(_l("This is the current year"))


class TermForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter a name, for example Fall semester.")), Length(max=60)],
        description=_l("A grading period, for example Fall semester or Quarter 1."),
    )
    starts_on = DateField(_l("First day"), validators=[DataRequired(_l("Enter the first day as a date."))])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(_l("Enter the last day as a date."))])


class CourseForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the course code.")), Length(max=60)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the course name.")), Length(max=200)])
    subject = StringField(_l("Subject"), validators=[Optional(), Length(max=80)])
    grade_low = SelectField(_l("Lowest grade"), coerce=_int_or_none, choices=[], validate_choice=False)
    grade_high = SelectField(_l("Highest grade"), coerce=_int_or_none, choices=[], validate_choice=False)


class SectionForm(FlaskForm):
    course_id = SelectField(_l("Course"), coerce=_int_or_none, choices=[], validate_choice=False)
    term_id = SelectField(_l("Term"), coerce=_int_or_none, choices=[], validate_choice=False)
    teacher_ids = CheckboxesField(
        _l("Teachers"),
        coerce=int,
        choices=[],
        validate_choice=False,
        description=_l("The first teacher checked in the list is the primary teacher."),
    )
    name = StringField(
        _l("Name"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty to use the course name and period."),
    )
    period = StringField(_l("Period"), validators=[Optional(), Length(max=40)])
    room = StringField(_l("Room"), validators=[Optional(), Length(max=40)])


class RolloverForm(FlaskForm):
    from_year_id = SelectField(_l("Year that is ending"), coerce=_int_or_none, choices=[], validate_choice=False)
    to_year_id = SelectField(_l("New year"), coerce=_int_or_none, choices=[], validate_choice=False)
