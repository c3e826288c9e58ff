"""The gradebook vocabulary and the plain results other packages read (the digest, the student views)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l

GRADING_TYPES = (
    ("points", _l("Points")),
    ("percent", _l("Percent")),
    ("letter", _l("Letter grade")),
    ("complete_incomplete", _l("Complete / incomplete")),
    ("mastery", _l("Standards mastery")),
)
SUBMISSION_TYPES = (
    ("none", _l("Nothing to hand in online")),
    ("text", _l("Text typed online")),
    ("file", _l("A file upload")),
)
MISSING_POLICIES = (
    ("zero", _l("Missing work counts as zero")),
    ("not_counted_until_lock", _l("Missing work does not count until the lock date")),
)
MASTERY_METHODS = (
    ("most_recent", _l("Most recent")),
    ("highest", _l("Highest")),
    ("mean", _l("Mean")),
    ("decaying_average", _l("Decaying average")),
)
# The district's letter bands when nobody has set any (inclusive lower cut-offs, highest first).
DEFAULT_BANDS = (
    ("93", "A"),
    ("90", "A-"),
    ("87", "B+"),
    ("83", "B"),
    ("80", "B-"),
    ("77", "C+"),
    ("73", "C"),
    ("70", "C-"),
    ("67", "D+"),
    ("60", "D"),
    ("0", "F"),
)
COMPLETE_WORDS = {"complete", "c", "done", "yes", "y", "1", "\u2713", "completo"}
INCOMPLETE_WORDS = {"incomplete", "i", "no", "n", "0", "\u2717", "incompleto"}
EXCUSED_WORDS = {"ex", "exc", "excused"}
MISSING_WORDS = {"m", "mi", "missing"}
MAX_TEXT_CHARS = 50_000
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class DigestItem:
    """One thing a guardian's digest mentions about one student. kind: "graded" (a posted grade), "missing"
    (work past due, nothing handed in, within the student's enrollment) or "due_soon" (due in the next days)."""

    kind: str
    student_id: int
    section_id: int
    assignment_id: int
    title: str
    section_name: str
    due_at: datetime | None = None
    score: Decimal | None = None
    points_possible: Decimal | None = None
    letter: str | None = None
    at: datetime | None = None


@dataclass
class StudentDigest:
    student_id: int
    student_name: str
    items: list[DigestItem] = field(default_factory=list)


@dataclass(frozen=True)
class Span:
    """A student's enrollment in a section: from `added_on`, until the day before `dropped_on` (None: still in)."""

    added_on: date
    dropped_on: date | None

    def covers(self, on: date) -> bool:
        return self.added_on <= on and (self.dropped_on is None or on < self.dropped_on)
