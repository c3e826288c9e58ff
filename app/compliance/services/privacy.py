"""Privacy choices: parents' consents beyond the district's COPPA authorisation, the directory-information opt-out,
the disclosure record parents and eligible students may read (99.32(c)), and staff recording a disclosure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _

from app import db
from app.accounts import services as accounts
from app.audit import services as audit
from app.compliance import policy
from app.compliance.data import CONSENT_USES
from app.compliance.services.requests import requestable_students
from app.compliance.services.staff import statements_of
from app.compliance.services.students import records_student
from app.errors import Invalid, NotFound
from app.events.services import record_event


@dataclass(frozen=True)
class PrivacyChoices:
    student: object
    consents: dict[str, bool | None]
    opted_out: bool
    disclosures: list
    statements: list
    under_13: bool
    coppa_authorised: bool


def _own_student(actor, student_id: int):
    """A student whose records this person may request (a parent, or the eligible student); NotFound otherwise."""
    if not any(option.student_id == student_id for option in requestable_students(actor)):
        raise NotFound()
    return accounts.get_user(student_id)


def privacy_choices(actor, student_id: int) -> PrivacyChoices:
    student = _own_student(actor, student_id)
    return PrivacyChoices(
        student,
        {use: audit.consent_of(student.id, use) for use in CONSENT_USES},
        bool(audit.directory_hidden([student.id])),
        audit.disclosures_of(student.id),
        statements_of(student.id),
        policy.is_under_coppa_age(student, datetime.now(UTC).date()),
        audit.coppa_authorisation() is not None,
    )


def set_consent(actor, student_id: int, use: str, is_granted: bool) -> None:
    """A parent or the eligible student decides on a use beyond school. NotFound, or Invalid for an unknown use."""
    student = _own_student(actor, student_id)
    if use not in CONSENT_USES:
        raise Invalid({"use": _("Choose a use.")})
    audit.record_consent(actor, student.id, use, is_granted)
    record_event(actor, "consent.recorded", "user", student.id, use=use, is_granted=bool(is_granted))
    db.session.commit()


def set_opt_out(actor, student_id: int, opted_out: bool) -> None:
    """A parent, the eligible student, or records staff (on a paper form) set the directory opt-out."""
    student = (
        records_student(actor, student_id) if policy.can_manage_records(actor) else _own_student(actor, student_id)
    )
    if audit.set_directory_opt_out(actor, student.id, opted_out):
        record_event(actor, "directory.opt_out_changed", "user", student.id, opted_out=bool(opted_out))
    db.session.commit()


def authorise_coppa(actor, statement: str):
    """Records staff: the district consents for educational use on parents' behalf (COPPA). Raises Invalid."""
    if not policy.can_manage_records(actor):
        raise NotFound()
    made = audit.authorise_coppa(actor, statement)
    record_event(actor, "coppa.authorised", "coppa_authorisation", made.id)
    db.session.commit()
    return made


def disclose(actor, student_id: int, party: str, party_kind: str, interest: str, what: str):
    """Records staff: record a disclosure to an outside party; the parent's statements go with it (99.21(b)(2)).
    Returns None for a party 99.32(d) does not record; raises Invalid for missing fields."""
    student = records_student(actor, student_id)
    statements = [s.id for s in statements_of(student.id)]
    made = audit.record_disclosure(actor, student.id, party, party_kind, interest, what, statement_ids=statements)
    if made is not None:
        record_event(actor, "disclosure.recorded", "disclosure", made.id, party_kind=party_kind)
    db.session.commit()
    return made
