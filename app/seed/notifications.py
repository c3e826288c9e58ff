"""Seeded notifications: the named demo accounts find a teacher's message in their inbox (no email is queued)."""

from __future__ import annotations

from sqlalchemy import text

from app import db

MESSAGES = (
    (
        "Welcome to our class on Chalkline",
        "Assignments, due dates and posted grades appear here. Ask me anything after class or by message.",
    ),
    ("Field trip on Friday", "Please sign the permission slip and bring a packed lunch. We leave at 8:15."),
)


def seed_notifications(district_id: int, domain: str | None) -> int:
    """Two teacher messages to the demo student and the demo guardian, unread, in the inbox only (named demo
    districts only: `domain` is None for generated ones)."""
    made = 0
    if domain is None:
        return made
    for title, body in MESSAGES:
        made += db.session.execute(
            text(
                """
                insert into notifications (district_id, user_id, type, title, body, in_inbox, created_by)
                select :d, u.id, 'teacher_message', :title, :body, true, t.id
                from users u, users t
                where u.email in (:student, :guardian) and t.email = :teacher
                """
            ),
            {
                "d": district_id,
                "title": title,
                "body": body,
                "student": f"student@{domain}",
                "guardian": f"guardian@{domain}",
                "teacher": f"teacher@{domain}",
            },
        ).rowcount
    return made
