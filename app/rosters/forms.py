"""Form shapes for the directory, bulk actions, sections and guardian links; rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.identity.data import ROLE_LABELS, ROLE_ORDER
from app.org.services import grade_choices, rotation_day_name, weekday_name
from app.rosters.services import MEETING_PATTERNS
from app.ui.fields import CheckboxesField, optional_int

BULK_LABELS = {
    "enroll": _l("Enroll in a section"),
    "move": _l("Move to another section"),
    "drop": _l("Drop from this section"),
    "deactivate": _l("Deactivate"),
    "export": _l("Export as CSV"),
}
RELATIONSHIP_LABELS = {
    "parent": _l("Parent"),
    "guardian": _l("Guardian"),
    "grandparent": _l("Grandparent"),
    "relative": _l("Relative"),
    "foster parent": _l("Foster parent"),
    "other": _l("Other"),
}


class DirectoryFilterForm(FlaskForm):
    """A GET form: no CSRF, so a search result is a shareable link."""

    class Meta:
        csrf = False

    q = StringField(_l("Search by name, email or ID"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), validators=[Optional()], validate_choice=False)
    school_id = SelectField(_l("School"), validators=[Optional()], validate_choice=False)
    grade = SelectField(_l("Grade"), validators=[Optional()], validate_choice=False)

    def fill_choices(self, schools) -> None:
        self.role.choices = [("", _l("All roles"))] + [(r, ROLE_LABELS[r]) for r in ROLE_ORDER]
        self.school_id.choices = [("", _l("All schools"))] + [(str(s.id), s.name) for s in schools]
        self.grade.choices = [("", _l("All grades")), *((str(g), label) for g, label in grade_choices())]


class BulkForm(FlaskForm):
    action = SelectField(_l("With the selected rows"), validate_choice=False)
    section_id = SelectField(_l("Section"), validators=[Optional()], validate_choice=False)

    def fill_choices(self, actions, sections) -> None:
        self.action.choices = [(a, BULK_LABELS[a]) for a in actions]
        self.section_id.choices = [("", _l("Choose a section (to enroll or move)"))] + [
            (str(row.section.id), f"{row.label} · {row.term_name} · {row.school_name}") for row in sections
        ]


class GuardianLinkForm(FlaskForm):
    relationship = SelectField(_l("Relationship"))
    has_custody = BooleanField(_l("Has custody"))
    is_emergency_contact = BooleanField(_l("Emergency contact"))
    can_see_grades = BooleanField(_l("May see grades"))
    lives_with = BooleanField(_l("Lives with the student"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relationship.choices = list(RELATIONSHIP_LABELS.items())


class NewGuardianLinkForm(GuardianLinkForm):
    email = EmailField(
        _l("Guardian's email"),
        validators=[DataRequired(_l("Enter the guardian's email address.")), Length(max=254)],
        description=_l("The guardian needs an account first: invite them with the role Guardian."),
    )


class RightsForm(FlaskForm):
    holds_own_rights = BooleanField(
        _l("Holds their own rights"),
        description=_l("For students 18 or older: guardians then no longer see grades."),
    )


class SectionForm(FlaskForm):
    course_id = SelectField(_l("Course"), coerce=optional_int, choices=[], validate_choice=False)
    term_id = SelectField(_l("Term"), coerce=optional_int, choices=[], validate_choice=False)
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
    # The choices follow the school's calendar (its rotation and weekdays); the service checks them again.
    meets = RadioField(_l("Meets"), choices=[], validate_choice=False, default="daily")
    rotation_days = CheckboxesField(
        _l("Rotation days"),
        coerce=int,
        choices=[],
        validate_choice=False,
        description=_l("For a section that meets on certain rotation days."),
    )
    weekdays = CheckboxesField(
        _l("Days of the week"),
        coerce=int,
        choices=[],
        validate_choice=False,
        description=_l("For a section that meets on certain days of the week."),
    )

    def fill_meeting_choices(self, schedule) -> None:
        self.meets.choices = [
            (key, str(label)) for key, label in MEETING_PATTERNS.items() if key != "rotation" or schedule.labels
        ]
        self.rotation_days.choices = [(n, rotation_day_name(label)) for n, label in enumerate(schedule.labels, 1)]
        self.weekdays.choices = [(n, weekday_name(n)) for n in schedule.weekdays]
