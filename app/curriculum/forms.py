"""Form shapes for units, lessons, templates, copies and search; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.curriculum.data import LESSON_SECTIONS, UNIT_FIELDS, VISIBILITIES
from app.richtext.services import RichTextField
from app.ui.fields import optional_int


class VersionedForm(FlaskForm):
    """What every versioned edit carries: the revision and version it started from, and its editing session
    (so its autosaves coalesce), plus an optional note for the history."""

    base_revision = HiddenField(filters=[optional_int])
    base_version = HiddenField(filters=[optional_int])
    editing_session = HiddenField(validators=[Optional(), Length(max=64)])
    note = StringField(
        _l("Note for the history"),
        validators=[Optional(), Length(max=300)],
        description=_l("Optional: what changed, for you and your co-teachers."),
    )


class AlignedForm(FlaskForm):
    """The standards a unit or lesson is aligned to (the picker posts one value each); `standards_shown` says the
    picker was on the page, so posting none means none rather than "unchanged"."""

    standards = SelectMultipleField(_l("Standards"), coerce=int, choices=[], validate_choice=False)
    standards_shown = HiddenField()


def _rich(label, key):
    # The HTML the editor posts (over 1 MB refused with the text kept); the service turns it into a document.
    return RichTextField(label, validators=[Optional()])


class UnitForm(VersionedForm, AlignedForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the unit a title.")), Length(max=200)])
    duration_days = IntegerField(
        _l("Length in days"), validators=[Optional(), NumberRange(1, 365, _l("Between 1 and 365 days."))]
    )
    visibility = SelectField(_l("Who may see it"), choices=[], default="private")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.visibility.choices = list(VISIBILITIES)


for _key, _label in UNIT_FIELDS:
    setattr(UnitForm, _key, _rich(_label, _key))


class LessonForm(VersionedForm, AlignedForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the lesson a title.")), Length(max=200)])
    duration_minutes = IntegerField(
        _l("Length in minutes"), validators=[Optional(), NumberRange(1, 600, _l("Between 1 and 600 minutes."))]
    )
    visibility = SelectField(_l("Who may see it"), choices=[], default="private")
    template_id = HiddenField(filters=[optional_int])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.visibility.choices = list(VISIBILITIES)


for _key, _label in LESSON_SECTIONS:
    setattr(LessonForm, f"section_{_key}", _rich(_label, _key))


class TemplateForm(VersionedForm):
    kind = SelectField(_l("Template for"), choices=[])
    school_id = SelectField(_l("For"), choices=[], validate_choice=False)
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the template a title.")), Length(max=200)])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=500)])
    duration = IntegerField(_l("Length (minutes for lessons, days for units)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("lesson", _l("Lessons")), ("unit", _l("Units"))]


for _key, _label in LESSON_SECTIONS:
    setattr(TemplateForm, f"section_{_key}", _rich(_label, _key))
for _key, _label in UNIT_FIELDS:
    setattr(TemplateForm, _key, _rich(_label, _key))


class CopyForm(FlaskForm):
    target_id = SelectField(_l("Copy into"), coerce=optional_int, choices=[], validate_choice=False)


class ConfirmForm(FlaskForm):
    """Publish, restore and copy-forward are buttons: the form carries the CSRF token (and the revision)."""

    base_revision = HiddenField(filters=[optional_int])


class RestoreForm(ConfirmForm):
    note = StringField(
        _l("Note for the history"),
        validators=[Optional(), Length(max=250)],
        description=_l("Optional: why this version comes back."),
    )


class CompareForm(FlaskForm):
    """A GET form: the two versions to compare, a shareable link."""

    class Meta:
        csrf = False

    left = SelectField(_l("Compare"), coerce=optional_int, choices=[], validate_choice=False)
    right = SelectField(_l("with"), coerce=optional_int, choices=[], validate_choice=False)
    view = HiddenField()


class SearchForm(FlaskForm):
    """A GET form: no CSRF, so results are a shareable link."""

    class Meta:
        csrf = False

    q = StringField(_l("Search plans"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Type"), choices=[], validate_choice=False)
    course = SelectField(_l("Course"), choices=[], validate_choice=False)
    subject = SelectField(_l("Subject"), choices=[], validate_choice=False)
    grade = SelectField(_l("Grade"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [
            ("", _l("Everything")),
            ("unit", _l("Units")),
            ("lesson", _l("Lessons")),
            ("template", _l("Templates")),
            ("question", _l("Questions")),
        ]


class ScheduleForm(FlaskForm):
    lesson_id = SelectField(_l("Lesson"), coerce=optional_int, choices=[], validate_choice=False)
    not_before = DateField(
        _l("Not before"), validators=[Optional()], description=_l("Leave empty for the next free class day.")
    )
    days = IntegerField(
        _l("Class days it takes"), default=1, validators=[Optional(), NumberRange(1, 30, _l("Between 1 and 30 days."))]
    )


class SkipForm(FlaskForm):
    day = DateField(_l("Day to skip"), validators=[DataRequired(_l("Choose the day to skip."))])
    reason = StringField(
        _l("Why"), validators=[Optional(), Length(max=120)], description=_l("A snow day, an assembly…")
    )
