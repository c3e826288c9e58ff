"""Form shapes for assignments, cells, term grades, submissions and the policy; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.gradebook.data import GRADING_TYPES, MASTERY_METHODS, MISSING_POLICIES, SUBMISSION_TYPES
from app.richtext.services import RichTextField
from app.ui.fields import CheckboxesField, optional_int

PUBLISH_CHOICES = (("now", _l("Publish now")), ("later", _l("Publish at a time")), ("draft", _l("Keep as a draft")))


class AssignmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)])
    instructions = RichTextField(_l("Instructions"), validators=[Optional()])
    section_ids = CheckboxesField(_l("Sections"), coerce=int, choices=[])
    points_possible = StringField(_l("Points"), default="10", validators=[Length(max=12)])
    category_id = SelectField(_l("Category"), coerce=optional_int, choices=[])
    grading_type = SelectField(_l("Graded as"), choices=[], default="points")
    submission_type = SelectField(_l("Students hand in"), choices=[], default="none")
    allows_extra_credit = BooleanField(_l("Allow extra credit (scores above the points)"))
    is_held = BooleanField(_l("Hold grades until I post them"))
    publish = RadioField(_l("Publishing"), choices=[], default="now")
    publish_at = StringField(_l("Publish at"), validators=[Optional(), Length(max=20)])
    lesson_id = StringField(filters=[optional_int])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grading_type.choices = list(GRADING_TYPES)
        self.submission_type.choices = list(SUBMISSION_TYPES)
        self.publish.choices = list(PUBLISH_CHOICES)


class CellForm(FlaskForm):
    value = StringField(_l("Score"), validators=[Length(max=40)])


class CommentForm(FlaskForm):
    comment = TextAreaField(_l("Feedback for the student"), validators=[Optional(), Length(max=2000)])


class ChangeRequestForm(FlaskForm):
    value = StringField(_l("New score"), validators=[Length(max=40)])
    reason = TextAreaField(_l("Reason for the change"), validators=[Length(max=500)])


class OverrideForm(FlaskForm):
    due = StringField(_l("Own due date"), validators=[Optional(), Length(max=20)])
    lock = StringField(_l("Own lock date"), validators=[Optional(), Length(max=20)])
    exempt = BooleanField(_l("Exempt: this work does not count for this student"))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class FillForm(FlaskForm):
    value = StringField(_l("Value for the column"), validators=[DataRequired(_l("Type a value.")), Length(max=40)])
    only_empty = BooleanField(_l("Only the empty cells"), default=True)


class TermOverrideForm(FlaskForm):
    percent = StringField(_l("Percent"), validators=[Optional(), Length(max=12)])
    letter = StringField(_l("Letter"), validators=[Optional(), Length(max=10)])
    comment = StringField(_l("Why"), validators=[Optional(), Length(max=500)])


class DecisionForm(FlaskForm):
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    decision = StringField(validators=[DataRequired(), Length(max=10)])


class ConfirmForm(FlaskForm):
    """Buttons (post, hold, publish, close): the form carries the CSRF token."""


class SubmissionForm(FlaskForm):
    body = RichTextField(_l("Your answer"), validators=[Optional()])
    upload = FileField(_l("Your file"))


class PolicyForm(FlaskForm):
    missing_counts_as = SelectField(_l("Missing work"), choices=[])
    late_penalty_per_day = StringField(_l("Late penalty per school day (percent)"), validators=[Length(max=8)])
    late_floor = StringField(_l("Lowest a late penalty can take a score to (percent)"), validators=[Length(max=8)])
    decimals = StringField(_l("Decimals kept before letter cut-offs"), validators=[Length(max=2)])
    lock_days_after_term = StringField(_l("Days after a term ends until grades lock"), validators=[Length(max=4)])
    mastery_method = SelectField(_l("Mastery method"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing_counts_as.choices = list(MISSING_POLICIES)
        self.mastery_method.choices = list(MASTERY_METHODS)


class ImportForm(FlaskForm):
    upload = FileField(_l("Gradebook CSV (Canvas export or one row per student)"))
