"""The one way to notify people: `send` writes the inbox row and queues the email by each person's choices."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from app import db
from app.errors import Invalid, NotFound
from app.jobruns.queue import after_commit_enqueue
from app.notifications.data import TYPES, Delivery, Recipient
from app.notifications.models import MailMessage, Notification
from app.notifications.services.mail import SECRET_MARK, split_rendered
from app.notifications.services.preferences import channels_for, unsubscribe_link, unsubscribe_token

PAGE_SIZE = 25
MAX_TITLE = 300
MAX_BODY = 5000
MAX_RECIPIENTS = 2000


def send(
    actor,
    recipients: list[Recipient],
    type: str,
    title: str,
    body: str = "",
    link: str | None = None,
    dedupe_key: str | None = None,
) -> Delivery:
    """Notify these people of one kind, in the caller's transaction: an inbox row each, and an email (in their
    locale, with an unsubscribe link for the kind) where they keep email on. The caller's own policy decides who
    may notify whom (the gradebook: a teacher messages their own section). Raises Invalid for an empty or too
    long title or body, ValueError for an unknown kind. Mail goes out after commit."""
    if type not in TYPES:
        raise ValueError(f"unknown notification type {type!r}")
    title, body = (title or "").replace("\x00", "").strip(), (body or "").replace("\x00", "").strip()
    problems = {}
    if not title:
        problems["title"] = _("Write a subject.")
    elif len(title) > MAX_TITLE:
        problems["title"] = _("Keep the subject under %(n)d characters.", n=MAX_TITLE)
    if len(body) > MAX_BODY:
        problems["body"] = _("Keep the message under %(n)d characters.", n=MAX_BODY)
    if not recipients:
        problems[""] = _("Nobody matches, so there is nobody to send this to.")
    elif len(recipients) > MAX_RECIPIENTS:
        problems[""] = _("Send to at most %(n)d people at a time.", n=MAX_RECIPIENTS)
    if problems:
        raise Invalid(problems)
    return deliver(actor, recipients, type, lambda _r: (title, body), link=link, dedupe_key=dedupe_key)


def deliver(actor, recipients, type, render, link=None, dedupe_key=None, mail_template="notification"):
    """The channels step shared by `send` and the digest: `render(recipient)` -> (title, body), called in the
    recipient's locale. One recipient once however often they are listed. Written in bulk (a digest reaches tens
    of thousands): the mail template is rendered once per locale with placeholders that each person's values
    replace (it is plain text, so nothing needs escaping), and the rows go in as two multi-row inserts."""
    unique = list({r.user_id: r for r in recipients}.values())
    channels = channels_for([r.user_id for r in unique], type)
    already = set()
    if dedupe_key:
        already = set(
            db.session.scalars(
                select(Notification.user_id).where(
                    Notification.dedupe_key == dedupe_key, Notification.user_id.in_([r.user_id for r in unique])
                )
            )
        )
    by_locale: dict[str, list[Recipient]] = {}
    skipped = []
    for recipient in unique:
        if recipient.user_id in already or not any(channels[recipient.user_id]):
            skipped.append(recipient.user_id)
        else:
            by_locale.setdefault(recipient.locale or "en", []).append(recipient)
    rows, mails = [], []
    for locale, group in by_locale.items():
        with force_locale(locale):
            frame = None
            for recipient in group:
                in_app, email = channels[recipient.user_id]
                email = email and bool(recipient.email)
                title, body = render(recipient)
                title = " ".join(title.split())[:MAX_TITLE]
                mail_index = None
                if email:
                    if frame is None:
                        frame = _frame(mail_template, link, type)
                    subject, text = _fill(frame, title=title, body=body, name=recipient.name)
                    mail_index = len(mails)
                    mails.append(
                        {
                            "district_id": actor.district_id,
                            "to_address": recipient.email,
                            "subject": subject[:300],
                            "body_text": text,
                            "secret": unsubscribe_token(actor.district_id, recipient.user_id, type),
                            "status": "queued",
                            "attempts": 0,
                        }
                    )
                rows.append(
                    {
                        "district_id": actor.district_id,
                        "user_id": recipient.user_id,
                        "type": type,
                        "title": title,
                        "body": body,
                        "link": link,
                        "in_inbox": in_app,
                        "dedupe_key": dedupe_key,
                        "created_by": getattr(actor, "id", None),
                        "mail_message_id": mail_index,
                    }
                )
    if mails:
        ids = db.session.scalars(
            insert(MailMessage).returning(MailMessage.id, sort_by_parameter_order=True), mails
        ).all()
        for row in rows:
            if row["mail_message_id"] is not None:
                row["mail_message_id"] = ids[row["mail_message_id"]]
        after_commit_enqueue(
            "default", "jobs.mail.send_pending_mail", actor.district_id, job_id=f"send-mail-{actor.district_id}"
        )
    if rows:
        db.session.execute(insert(Notification), rows)
    return Delivery(
        inbox=sum(row["in_inbox"] for row in rows),
        email=len(mails),
        skipped=tuple(skipped),
    )


# Placeholders for each person's values in a mail rendered once per locale (PostgreSQL text never holds NUL).
_SLOTS = {"title": "\x00title\x00", "body": "\x00body\x00", "name": "\x00name\x00"}


def _frame(template: str, link: str | None, type: str) -> str:
    return render_template(
        f"mail/{template}.txt", link=link, kind=TYPES[type].label, unsubscribe=unsubscribe_link(SECRET_MARK), **_SLOTS
    )


def _fill(frame: str, **values: str) -> tuple[str, str]:
    text = frame
    for key, slot in _SLOTS.items():
        text = text.replace(slot, values[key].replace("\x00", ""))
    return split_rendered(text)


def list_inbox(actor, page: int = 1) -> tuple[list[Notification], int]:
    """Any signed-in person: their own inbox, newest first, one page and the total."""
    query = select(Notification).where(Notification.user_id == actor.id, Notification.in_inbox.is_(True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    return list(rows), total


def unread_count(actor) -> int:
    """Any signed-in person: how many of their inbox notifications are unread (the bell in the header)."""
    return (
        db.session.scalar(
            select(func.count()).where(
                Notification.user_id == actor.id, Notification.in_inbox.is_(True), Notification.read_at.is_(None)
            )
        )
        or 0
    )


def get_notification(actor, notification_id: int) -> Notification:
    """The actor's own notification; NotFound for anyone else's (another person's or district's)."""
    row = db.scoped_get(actor, Notification, notification_id)
    if row is None or row.user_id != actor.id or not row.in_inbox:
        raise NotFound()
    return row


def mark_read(actor, notification_id: int) -> Notification:
    """The recipient only (NotFound otherwise): marks one notification read."""
    row = get_notification(actor, notification_id)
    if row.read_at is None:
        row.read_at = datetime.now(UTC)
    db.session.commit()
    return row


def mark_all_read(actor) -> int:
    """Any signed-in person: marks their whole inbox read; returns how many were unread."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.in_inbox.is_(True), Notification.read_at.is_(None))
        .values(read_at=datetime.now(UTC))
    )
    db.session.commit()
    return result.rowcount
