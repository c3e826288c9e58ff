from email_validator import EmailNotValidError
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.accounts.services import normalized_email
from app.identity.data import ROLE_LABELS


class EmailAddress:
    """Syntax check of an address by the rule the services use (WTForms' Email refuses the demo `.test` domain)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field) -> None:
        try:
            normalized_email(field.data or "")
        except EmailNotValidError:
            raise ValidationError(self.message) from None


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            EmailAddress(_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=200)],
        description=_l("At least 10 characters. A short sentence is easy to remember."),
    )


class AcceptInviteForm(NewPasswordForm):
    display_name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=120)])


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(_l("Enter your name.")), Length(max=120)])
    locale = SelectField(_l("Language"), choices=[], validate_choice=False)
    time_zone = SelectField(_l("Time zone"), choices=[], validate_choice=False)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password.")), Length(max=200)]
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=200)],
        description=_l("At least 10 characters."),
    )


class InviteForm(FlaskForm):
    emails = TextAreaField(
        _l("Email addresses"),
        validators=[DataRequired(_l("Enter at least one email address.")), Length(max=20000)],
        description=_l("One per line, or separated by commas. Each person gets an invitation link by email."),
    )
    role = SelectField(_l("Role"), choices=[], validate_choice=False)
    school_id = SelectField(_l("School"), choices=[], validate_choice=False, validators=[Optional()])


def role_choices(roles: list[str]) -> list[tuple[str, str]]:
    return [(role, ROLE_LABELS[role]) for role in roles]
