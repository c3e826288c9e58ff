"""Form shapes for records requests, the staff queue, holds, deletions and retention rules (rules live in services)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

KIND_LABELS = {
    "inspect": _l("Inspect and review the record"),
    "copy": _l("Receive a copy of the record"),
    "amend": _l("Ask to amend the record"),
}
STATUS_LABELS = {
    "submitted": _l("Submitted"),
    "in_review": _l("In review"),
    "in_progress": _l("In progress"),
    "ready": _l("Ready"),
    "expired": _l("Expired"),
    "refused": _l("Refused"),
    "closed": _l("Closed"),
}

BASIS_LABELS = {
    "district_policy": _l("District policy"),
    "state_law": _l("State law"),
    "contract_end": _l("End of contract"),
}


class RequestForm(FlaskForm):
    student_id = SelectField(_l("Student"), coerce=int, validators=[DataRequired(_l("Choose the student."))])
    kind = SelectField(_l("What are you asking for?"))
    record_part = StringField(
        _l("Which part of the record (for an amendment)"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example: the attendance record of March, or the address on file."),
    )
    details = TextAreaField(
        _l("Details"),
        validators=[Optional(), Length(max=4000)],
        description=_l(
            "An amendment can correct how something was recorded, not a teacher's academic judgment: a grade "
            "can be contested only if it was recorded wrongly."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = list(KIND_LABELS.items())


class UpdateRequestForm(FlaskForm):
    status = SelectField(_l("Status"))
    assignee_id = SelectField(_l("Assigned to"), coerce=int)
    reply = TextAreaField(_l("Reply to the requester"), validators=[Optional(), Length(max=4000)])
    refusal_reason = TextAreaField(
        _l("Reason for refusing"), validators=[Optional(), Length(max=4000)], description=_l("Required to refuse.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = list(STATUS_LABELS.items())


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), validators=[DataRequired(_l("Write the note first.")), Length(max=4000)])


class HoldForm(FlaskForm):
    reason = StringField(_l("Reason for the hold"), validators=[DataRequired(_l("Say why.")), Length(max=500)])


class DeletionForm(FlaskForm):
    basis = SelectField(_l("Basis"))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Say why.")), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.basis.choices = list(BASIS_LABELS.items())


class ConfirmDeletionForm(FlaskForm):
    confirmation = StringField(
        _l("Type the student's name to confirm"),
        validators=[DataRequired(_l("Type the name to confirm.")), Length(max=200)],
    )


class RetentionRuleForm(FlaskForm):
    data_group = SelectField(_l("Data"))
    years_after_leaving = IntegerField(
        _l("Years after the student leaves"),
        validators=[InputRequired(_l("Enter a number of years.")), NumberRange(0, 99, _l("Between 0 and 99."))],
    )


PARTY_LABELS = {
    "transfer_school": _l("A school the student is transferring to"),
    "state": _l("State or federal education authority"),
    "integration": _l("An integration"),
    "webhook": _l("A webhook receiver"),
    "api_client": _l("An API client"),
    "subpoena": _l("A court order or subpoena"),
    "health_safety": _l("A health or safety emergency"),
    "other": _l("Another party"),
}


class DisclosureForm(FlaskForm):
    party = StringField(_l("Party"), validators=[DataRequired(_l("Name the party.")), Length(max=200)])
    party_kind = SelectField(_l("Kind of party"))
    legitimate_interest = TextAreaField(
        _l("Legitimate interest"), validators=[DataRequired(_l("Say why they may have it.")), Length(max=2000)]
    )
    what_disclosed = TextAreaField(
        _l("What was disclosed"), validators=[DataRequired(_l("Say what was disclosed.")), Length(max=2000)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.party_kind.choices = list(PARTY_LABELS.items())
