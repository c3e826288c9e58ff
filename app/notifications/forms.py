from flask_wtf import FlaskForm


class PreferencesForm(FlaskForm):
    """The checkboxes are one per kind and channel (`pref-<kind>` = in_app / email), read by the view."""


class ConfirmForm(FlaskForm):
    """A button that confirms (unsubscribing from a link; marking read): CSRF only."""
