"""The one way to notify people: `send` writes the inbox row and queues the email by each person's choices."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import db
from app.errors import Invalid, NotFound
from app.jobruns.queue import after_commit_enqueue
from app.notifications.data import TYPES, Delivery, Recipient
from app.notifications.models import Notification
from app.notifications.services.mail import SECRET_MARK, queue_mail
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
    title, body = (title or "").strip(), (body or "").strip()
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


def deliver(actor, recipients, type, render, link=None, dedupe_key=None, mail_template="notification", mail_ctx=None):
    """The channels step shared by `send` and the digest: `render(recipient)` -> (title, body) in the recipient's
    locale (called inside it). One recipient once however often they are listed."""
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
    inbox = emailed = 0
    skipped = []
    pending = []
    for recipient in unique:
        in_app, email = channels[recipient.user_id]
        email = email and bool(recipient.email)
        if recipient.user_id in already or not (in_app or email):
            skipped.append(recipient.user_id)
            continue
        with force_locale(recipient.locale or "en"):
            title, body = render(recipient)
        row = Notification(
            district_id=actor.district_id,
            user_id=recipient.user_id,
            type=type,
            title=title[:MAX_TITLE],
            body=body,
            link=link,
            in_inbox=in_app,
            dedupe_key=dedupe_key,
            created_by=getattr(actor, "id", None),
        )
        db.session.add(row)
        if email:
            message = queue_mail(
                actor.district_id,
                recipient.email,
                mail_template,
                recipient.locale,
                secret=unsubscribe_token(actor.district_id, recipient.user_id, type),
                title=title,
                body=body,
                name=recipient.name,
                link=link,
                kind=TYPES[type].label,
                unsubscribe=unsubscribe_link(SECRET_MARK),
                **(mail_ctx(recipient) if mail_ctx else {}),
            )
            pending.append((row, message))
        inbox += in_app
        emailed += email
    if pending:
        db.session.flush()
        for row, message in pending:
            row.mail_message_id = message.id
        after_commit_enqueue(
            "default", "jobs.mail.send_pending_mail", actor.district_id, job_id=f"send-mail-{actor.district_id}"
        )
    return Delivery(inbox=inbox, email=emailed, skipped=tuple(skipped))


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
