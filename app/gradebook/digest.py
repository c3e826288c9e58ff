"""What the gradebook tells families: the guardians' daily digest, gathered, and a student's new posted grades.

The daily digest: the gradebook's news per student, matched to every guardian at once.

The platform package `notifications` may not read the gradebook, so this module (the gradebook's side) asks
`gradebook.services.digest_items` for each student's new posted grades, missing work and work due soon, asks
accounts who the students' guardians are (and whether each may see grades), and hands plain
`notifications.data` values to `notifications.services.send_guardian_digests`, which renders one message per
guardian in their language and sends it by their choices, once a day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.accounts.services import guardian_recipients, recipients
from app.gradebook.models import Assignment
from app.gradebook.services import digest_items
from app.identity.data import SystemActor
from app.notifications.data import DigestEntry, DigestStudent
from app.notifications.services import deliver, digest_sent, local_zone, send_guardian_digests

WINDOW = timedelta(days=1)
DUE_WITHIN_DAYS = 3


def send_digests(actor, now: datetime | None = None, time_zone: str | None = None) -> dict:
    """Platform jobs for one district (tenant set): every guardian's digest of the local day, at most once.

    New grades are those posted in the last day and only for students whose guardian may see grades; missing
    work never predates the student's enrollment (digest_items' rule) and due work is that of the next days."""
    now = now or datetime.now(UTC)
    zone = local_zone(time_zone or getattr(actor, "district_time_zone", None))
    day = now.astimezone(zone).date()
    if digest_sent(day):
        return {"day": day.isoformat(), "guardians": 0, "inbox": 0, "email": 0, "already_sent": True}
    links = guardian_recipients()
    students = sorted({student_id for _guardian, student_id, _sees in links})
    news = digest_items(actor.district_id, now - WINDOW, now, student_ids=students, due_within_days=DUE_WITHIN_DAYS)
    per_guardian: dict[int, tuple] = {}
    for guardian, student_id, sees_grades in links:
        digest = news.get(student_id)
        if digest is None or not digest.items:
            continue
        entry = per_guardian.setdefault(guardian.user_id, (guardian, []))
        entry[1].append(_student(digest, sees_grades, zone))
    delivery = send_guardian_digests(actor, list(per_guardian.values()), day)
    return {"day": day.isoformat(), "guardians": len(per_guardian), "inbox": delivery.inbox, "email": delivery.email}


def _student(digest, sees_grades: bool, zone) -> DigestStudent:
    graded, missing, due = [], [], []
    for item in digest.items:
        if item.kind == "graded" and sees_grades:
            graded.append(_entry("graded", digest, item, item.at, zone, _score(item)))
        elif item.kind == "missing":
            missing.append(_entry("missing", digest, item, item.due_at, zone))
        elif item.kind == "due_soon":
            due.append(_entry("due", digest, item, item.due_at, zone))
    return DigestStudent(digest.student_id, digest.student_name, graded, missing, due)


def _entry(kind, digest, item, moment, zone, score="") -> DigestEntry:
    day = moment.astimezone(zone).date() if moment is not None else None
    return DigestEntry(kind, digest.student_id, digest.student_name, item.section_name, item.title, day, score)


def _score(item) -> str:
    """As the gradebook shows it: points out of points possible, with the letter where there is one."""
    if item.score is None:
        return item.letter or ""
    text = _plain(item.score)
    if item.points_possible is not None:
        text = f"{text} / {_plain(item.points_possible)}"
    return f"{text} ({item.letter})" if item.letter else text


def _plain(value) -> str:
    return format(value.normalize(), "f")


def notify_grades_posted(events) -> None:
    """Event consumer (grade.posted, after commit, tenant set): each student finds "New grade: <title>" in their
    inbox (email only if they chose it), one notification per assignment however often it was posted."""
    by_assignment: dict[int, set[int]] = {}
    for event in events:
        by_assignment.setdefault(event.payload["assignment_id"], set()).add(event.payload["student_id"])
    titles = dict(
        db.session.execute(select(Assignment.id, Assignment.title).where(Assignment.id.in_(by_assignment))).all()
    )
    district_id = events[0].district_id
    for assignment_id, student_ids in by_assignment.items():
        if assignment_id not in titles:
            continue
        deliver(
            SystemActor(district_id),
            recipients(student_ids),
            "grade_posted",
            lambda _r, title=titles[assignment_id]: (_("New grade: %(title)s", title=title), ""),
            link=f"/gradebook/work/{assignment_id}",
            dedupe_key=f"grade_posted:{assignment_id}",
        )
