from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, MultipleFileField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

VERSION_CHOICES = [SelectChoice("1.2", _l("OneRoster 1.2")), SelectChoice("1.1", _l("OneRoster 1.1"))]


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("OneRoster files"),
        description=_l(
            "A OneRoster 1.1 or 1.2 ZIP file, or its CSV files (orgs, academicSessions, classes, users, enrollments, "
            "and any of courses, demographics, roles, userProfiles), as your student information system exports "
            "them; a delta export applies only its changes."
        ),
    )


class ExportForm(FlaskForm):
    version = SelectField(_l("OneRoster version"), choices=VERSION_CHOICES, default="1.2")


class ApplyForm(FlaskForm):
    """Apply carries the number of warnings the admin was shown, so new ones are never applied unseen."""

    warnings = IntegerField(widget=HiddenInput(), validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A plain button: the form carries only the CSRF token."""
