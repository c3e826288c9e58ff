"""Form shapes for school structure; the rules that need the database live in the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.ui.fields import optional_int


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
    grade_low = SelectField(_l("Lowest grade"), coerce=optional_int, choices=[], validate_choice=False)
    grade_high = SelectField(_l("Highest grade"), coerce=optional_int, choices=[], validate_choice=False)
