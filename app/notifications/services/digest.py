"""The daily digest for guardians: one message per guardian however many students and sections it covers.

The gradebook gathers the entries (app/gradebook/digest.py) and hands plain data here; this module only renders
and delivers, in each guardian's locale, through the same channels and preferences as every notification.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select, text

from app import db
from app.notifications.data import Delivery, DigestEntry, DigestStudent, Recipient
from app.notifications.models import Notification
from app.notifications.services.inbox import deliver

TYPE = "guardian_digest"
BATCH = 500
# The digest goes out once the district's local time reaches this hour (the school day and its grading are over).
DIGEST_HOUR = 17


def digest_key(day: date) -> str:
    return f"{TYPE}:{day.isoformat()}"


def _has_news(students: list[DigestStudent]) -> bool:
    return any(s.graded or s.missing or s.due for s in students)


def render_digest(recipient: Recipient, students: list[DigestStudent], day: date) -> tuple[str, str]:
    """(title, body) of one guardian's digest, in the current locale (deliver sets the recipient's).

    Plain text, one block per student: new grades, missing work, then what is coming up. Built in Python with the
    translated labels and dates looked up once per locale, since a district's digest renders tens of thousands."""
    words = _words(str(get_locale()))
    lines: list[str] = []
    for student in students:
        lines += ["", f"== {student.name} =="]
        for label, entries, note in (
            (words["graded"], student.graded, None),
            (words["missing"], student.missing, words["was_due"]),
            (words["due"], student.due, words["due_on"]),
        ):
            if entries:
                lines += ["", label]
                lines += [_line(entry, note) for entry in entries]
    return words["title"] % {"day": _date(str(get_locale()), day, "long")}, "\n".join(lines).strip()


def _line(entry: DigestEntry, note: str | None) -> str:
    text = f"- {entry.course}: {entry.title}"
    if note is None:
        return f"{text} ({entry.score})" if entry.score else text
    return f"{text} ({note % {'day': _date(str(get_locale()), entry.when, 'medium')}})" if entry.when else text


@lru_cache(maxsize=64)
def _words(locale: str) -> dict[str, str]:
    # Called inside force_locale(locale): gettext without variables gives the translation with its %(day)s intact.
    return {
        "title": _("Daily summary for %(day)s"),
        "graded": _("New grades:"),
        "missing": _("Missing work:"),
        "due": _("Coming up:"),
        "was_due": _("was due %(day)s"),
        "due_on": _("due %(day)s"),
    }


@lru_cache(maxsize=4096)
def _date(locale: str, day: date, form: str) -> str:
    return format_date(day, form)


def send_guardian_digests(actor, digests: list[tuple[Recipient, list[DigestStudent]]], day: date) -> Delivery:
    """Platform jobs (the gradebook's digest job) for one district: each guardian's digest of `day`, once.

    A guardian listed twice gets one message covering both lists; one with nothing new gets none; a rerun of the
    same day sends nothing again (the day is the dedupe key). Commits every BATCH guardians."""
    merged: dict[int, tuple[Recipient, dict[int, DigestStudent]]] = {}
    for recipient, students in digests:
        by_student = merged.setdefault(recipient.user_id, (recipient, {}))[1]
        for student in students:
            by_student[student.student_id] = _merge(by_student.get(student.student_id), student)
    todo = [(r, list(s.values())) for r, s in merged.values() if _has_news(list(s.values()))]
    inbox = emailed = 0
    skipped: list[int] = []
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        students_of = {r.user_id: s for r, s in batch}
        result = deliver(
            actor,
            [r for r, _students in batch],
            TYPE,
            lambda r, of=students_of: render_digest(r, of[r.user_id], day),
            dedupe_key=digest_key(day),
            mail_template="guardian_digest",
        )
        db.session.commit()
        inbox, emailed, skipped = inbox + result.inbox, emailed + result.email, skipped + list(result.skipped)
    return Delivery(inbox=inbox, email=emailed, skipped=tuple(skipped))


def _merge(old: DigestStudent | None, new: DigestStudent) -> DigestStudent:
    if old is None:
        return new
    return DigestStudent(
        new.student_id,
        new.name,
        _unique(old.graded + new.graded),
        _unique(old.missing + new.missing),
        _unique(old.due + new.due),
    )


def _unique(entries):
    return list(dict.fromkeys(entries))


def local_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "America/New_York")
    except (ValueError, ZoneInfoNotFoundError):
        return ZoneInfo("UTC")


def digest_districts_due(now: datetime, hour: int = DIGEST_HOUR) -> list[tuple[int, str, date]]:
    """The periodic job, with no tenant set: (district id, time zone, local day) of each district whose local time
    has reached `hour` today, through the narrow definer function that names ids and time zones only."""
    due = []
    for district_id, zone_name in db.session.execute(text("select * from notification_digest_districts()")):
        local = now.astimezone(local_zone(zone_name))
        if local.hour >= hour:
            due.append((district_id, zone_name, local.date()))
    return due


def digest_sent(day: date) -> bool:
    """Whether any guardian of the current district already has the digest of `day` (a rerun is then moot)."""
    return bool(db.session.scalar(select(exists().where(Notification.dedupe_key == digest_key(day)))))
