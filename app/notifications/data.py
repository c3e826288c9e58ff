"""Plain data the notifications service takes and gives: kinds of notification, recipients, digest entries.

Other packages hand these to `notifications.services` (the platform package imports no school domain, so the
gradebook resolves who gets what and passes plain values here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

CHANNELS = ("in_app", "email")


@dataclass(frozen=True)
class NotificationType:
    name: str
    label: object  # lazily translated
    roles: tuple[str, ...]  # who is offered the choice on the preferences page
    in_app: bool = True  # defaults when the person has not chosen
    email: bool = True


TYPES = {
    t.name: t
    for t in (
        NotificationType(
            "guardian_digest", _l("Daily summary: new grades, missing work and what is due"), ("guardian",)
        ),
        NotificationType("teacher_message", _l("Messages from teachers"), ("student", "guardian")),
        NotificationType("grade_posted", _l("A new grade is posted"), ("student",), in_app=True, email=False),
    )
}


@dataclass(frozen=True)
class Recipient:
    """Who a notification goes to: the caller looks the person up (accounts) and passes these values."""

    user_id: int
    name: str
    email: str | None = None
    locale: str | None = None  # None: the district's default


@dataclass(frozen=True)
class DigestEntry:
    """One line of a guardian's digest. kind: "graded" (a posted grade), "missing" or "due" (due soon)."""

    kind: str
    student_id: int
    student_name: str
    course: str
    title: str
    when: date | None = None  # the local date it was graded, or is due (the caller converts from its time zone)
    score: str = ""  # as the gradebook shows it, e.g. "9 / 10" or "B+"
    link: str = ""  # a path in the app, e.g. "/grades/assignments/12"


@dataclass(frozen=True)
class DigestStudent:
    """A digest's entries for one student, in the order kinds are shown."""

    student_id: int
    name: str
    graded: list[DigestEntry] = field(default_factory=list)
    missing: list[DigestEntry] = field(default_factory=list)
    due: list[DigestEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Delivery:
    """What `send` did: how many people got it in their inbox and by email, and whom it skipped."""

    inbox: int = 0
    email: int = 0
    skipped: tuple[int, ...] = ()  # user ids who turned this kind off on both channels (or were already sent it)
