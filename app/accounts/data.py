"""Plain results the accounts services hand to other domains' views (no ORM sessions needed to read them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

# The background jobs this domain starts, with the title their progress page shows.
JOB_KINDS = {
    "mail.invitations": _l("Sending invitations"),
    "mail.password_reset": _l("Sending a password reset link"),
}


@dataclass(frozen=True)
class PersonRow:
    user: object
    roles: list[str]
    schools: list[str]


@dataclass(frozen=True)
class Directory:
    rows: list[PersonRow]
    total: int
    schools: list
    # True when more people match than COUNT_CAP: the count stops there and the page says so.
    more: bool = False


@dataclass(frozen=True)
class LinkedStudent:
    student: object
    relationship: str
    schools: list[str]
    sees_grades: bool


@dataclass(frozen=True)
class StudentLinks:
    """What a student's page shows about guardians: the viewer's own link, or (for staff) every link as
    (guardian, link, whether that guardian sees grades)."""

    own_link: object | None
    sees_grades: bool
    guardians: list = field(default_factory=list)
