"""Form shapes for school structure; the rules that need the database live in the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.ui.fields import CheckboxesField, optional_int


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


class DayOffForm(FlaskForm):
    starts_on = DateField(_l("First day off"), validators=[DataRequired(_l("Enter the first day off as a date."))])
    ends_on = DateField(_l("Last day off"), validators=[Optional()], description=_l("Leave empty for a single day."))
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter a name, for example Thanksgiving break.")), Length(max=120)],
        description=_l("For example Thanksgiving break, or Snow day."),
    )
    # The services check the kind and the scope (a tampered value gets a message, not a 500).
    kind = SelectField(_l("Kind"), choices=[], validate_choice=False)
    scope = SelectField(_l("Applies to"), choices=[], validate_choice=False, default="school")


class ScheduleForm(FlaskForm):
    weekdays = CheckboxesField(_l("Days of the week with classes"), coerce=int, choices=[], validate_choice=False)
    rotation = RadioField(
        _l("Day rotation"),
        choices=[],
        validate_choice=False,
        description=_l(
            "Rotation days are counted over school days, starting again at A (or 1) on the first school day of "
            "each term. A day off uses up no rotation day: the day after it continues where the rotation left off."
        ),
    )
    rotation_days = IntegerField(
        _l("Days in the block rotation"),
        validators=[Optional()],
        description=_l("Only for numbered block days: for example 4 for a four-day rotation."),
    )
