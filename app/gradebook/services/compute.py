"""Late, missing and "does this count" for one cell, and the math.Score the grade math receives.

Late and missing are computed here, never typed: missing means the due time (the student's extension, else the
section's) has passed, nothing was handed in and nothing graded, the work is neither excused nor exempt, and
the student was enrolled in the section on the due date. Work due outside every enrollment span of the student
does not apply to them at all (no missing, no zero) unless the teacher grades it anyway."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.gradebook import math as gm
from app.gradebook.data import Span


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "America/New_York")
    except (ValueError, ZoneInfoNotFoundError):
        return ZoneInfo("UTC")


def local_date(moment: datetime | None, tz: ZoneInfo) -> date | None:
    return moment.astimezone(tz).date() if moment is not None else None


@dataclass(frozen=True)
class SchoolDays:
    """The school's instructional days, sorted, for counting whole school days late."""

    days: tuple[date, ...]

    def between(self, after: date, until: date) -> int:
        """Instructional days d with after < d <= until."""
        return max(0, bisect_right(self.days, until) - bisect_right(self.days, after))


def late_days(due_at: datetime | None, submitted_at: datetime | None, tz: ZoneInfo, days: SchoolDays) -> int:
    """0 when on time (or nothing to compare); else the school days from the due date to the hand-in date, and
    at least 1: work handed in after the due time on the due day itself is one day late."""
    if due_at is None or submitted_at is None or submitted_at <= due_at:
        return 0
    return max(1, days.between(local_date(due_at, tz), local_date(submitted_at, tz)))


def enrolled_on(spans: list[Span], on: date | None) -> bool:
    """Whether one of the spans covers the day (undated work: enrolled at some point)."""
    if on is None:
        return bool(spans)
    return any(span.covers(on) for span in spans)


@dataclass
class CellState:
    applies: bool
    missing: bool
    late_days: int
    lock_passed: bool
    exempt: bool


def cell_state(
    *,
    due_at: datetime | None,
    lock_at: datetime | None,
    spans: list[Span],
    submitted_at: datetime | None,
    has_submission_type: bool,
    score: Decimal | None,
    excused: bool,
    marked_missing: bool,
    exempt: bool,
    now: datetime,
    tz: ZoneInfo,
    days: SchoolDays,
    due_on: date | None = None,
) -> CellState:
    """`due_on`: the due date in `tz` when the caller has it already (the grid computes it once per column)."""
    in_class = enrolled_on(spans, due_on if due_on is not None or due_at is None else local_date(due_at, tz))
    graded = score is not None
    applies = not exempt and (in_class or graded)
    handed_in = submitted_at is not None if has_submission_type else False
    overdue = due_at is not None and now > due_at
    missing = (
        applies
        and in_class
        and not excused
        and ((marked_missing and not graded) or (overdue and not graded and not handed_in))
    )
    lock_moment = lock_at or due_at
    return CellState(
        applies=applies,
        missing=missing,
        late_days=late_days(due_at, submitted_at, tz, days) if has_submission_type else 0,
        lock_passed=lock_moment is not None and now > lock_moment,
        exempt=exempt,
    )


def to_score(
    *,
    assignment_id: int,
    category_id: int | None,
    points_possible: Decimal,
    grading_type: str,
    allows_extra_credit: bool,
    score: Decimal | None,
    excused: bool,
    state: CellState,
) -> gm.Score | None:
    """What the grade math receives for one cell; None when the work does not apply to the student."""
    if not state.applies:
        return None
    counts = grading_type != "mastery" and not (grading_type == "complete_incomplete" and points_possible == 0)
    return gm.Score(
        assignment_id=assignment_id,
        category_id=category_id,
        points_possible=Decimal(points_possible),
        earned=Decimal(score) if score is not None else None,
        excused=excused,
        missing=state.missing and score is None,
        lock_passed=state.lock_passed,
        late_days=state.late_days,
        extra_credit=allows_extra_credit,
        counts=counts,
    )
