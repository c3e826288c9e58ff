from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("OneRoster files"),
        description=_l(
            "A OneRoster 1.1 ZIP file, or its CSV files (orgs, academicSessions, courses, classes, users, "
            "enrollments and optionally demographics)."
        ),
    )


class ConfirmForm(FlaskForm):
    """Apply and export are plain buttons: the form carries only the CSRF token."""
