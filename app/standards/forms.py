from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FileField, IntegerField, SelectField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput


class UploadForm(FlaskForm):
    file = FileField(
        _l("Framework file"),
        description=_l(
            "A CASE 1.0 package (JSON) as your state or publisher distributes it, or a CSV file with the columns "
            "code, statement, grade levels, subject and parent code."
        ),
    )
    framework_name = StringField(
        _l("Framework name (CSV only)"),
        validators=[Optional(), Length(max=500)],
        description=_l("A CASE package names itself. Importing a CSV again under the same name updates it."),
    )


class ApplyForm(FlaskForm):
    """Apply carries the number of warnings the admin was shown, so new ones are never applied unseen."""

    warnings = IntegerField(widget=HiddenInput(), validators=[Optional()])


class SearchForm(FlaskForm):
    """A GET form: no CSRF, so results are a shareable link."""

    class Meta:
        csrf = False

    q = StringField(_l("Search standards"), validators=[Optional(), Length(max=200)])
    framework = SelectField(_l("Framework"), choices=[], validate_choice=False)
