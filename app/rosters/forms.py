"""Form shapes for the directory, bulk actions and guardian links; rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.data import ROLE_LABELS, ROLE_ORDER

GRADE_LABELS = {-1: _l("Pre-K"), 0: _l("K"), 13: _l("Post-graduate")}
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


def grade_label(grade: int | None) -> str:
    if grade is None:
        return ""
    return str(GRADE_LABELS.get(grade, grade))


def grade_choices() -> list[tuple[str, str]]:
    return [(str(g), grade_label(g)) for g in range(-1, 14)]


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
        self.grade.choices = [("", _l("All grades")), *grade_choices()]


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
