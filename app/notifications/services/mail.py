"""Mail: an outbox table written with the change, sent by a job through one transport."""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from app import db
from app.notifications.models import MailMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# Stands in the stored body for a one-time token (see MailMessage.secret).
SECRET_MARK = "{one-time-token}"  # noqa: S105 - a placeholder, not a secret


def queue_mail(
    district_id: int,
    to: str,
    template: str,
    locale: str | None,
    job_run_id: int | None = None,
    secret: str | None = None,
    **ctx,
) -> MailMessage:
    """Render `templates/mail/<template>.txt` in the recipient's locale and add it to the outbox.

    A one-time token goes in `secret`, and SECRET_MARK where the template shows it (inside `link`): the stored
    body never holds the token, and the token is cleared once the message is sent."""
    with force_locale(locale or "en"):
        rendered = render_template(f"mail/{template}.txt", **ctx)
    subject, body = split_rendered(rendered)
    message = MailMessage(
        district_id=district_id, to_address=to, subject=subject, body_text=body, secret=secret, job_run_id=job_run_id
    )
    db.session.add(message)
    return message


def split_rendered(rendered: str) -> tuple[str, str]:
    """(subject, body) of a rendered mail template, whose first line is `Subject: ...`."""
    subject, _, body = rendered.partition("\n")
    return subject.removeprefix("Subject:").strip(), body.strip() + "\n"


def queued_mail(job_run_id: int | None = None) -> list[MailMessage]:
    query = select(MailMessage).where(MailMessage.status == "queued").order_by(MailMessage.id)
    if job_run_id is not None:
        query = query.where(MailMessage.job_run_id == job_run_id)
    return list(db.session.scalars(query))


def send_queued_mail(job_run_id: int | None = None, progress=None) -> int:
    """Send queued messages of the current district (of one job run if given). Safe to rerun: sent rows stay sent."""
    pending = queued_mail(job_run_id)
    sent = 0
    for index, message in enumerate(pending, start=1):
        # Lock the row so two workers never send the same message.
        locked = db.session.scalar(
            select(MailMessage)
            .where(MailMessage.id == message.id, MailMessage.status == "queued")
            .with_for_update(skip_locked=True)
        )
        if locked is not None:
            locked.attempts += 1
            try:
                transport_send(locked)
                locked.status, locked.sent_at, locked.error = "sent", datetime.now(UTC), None
                locked.secret = None
                sent += 1
            except (OSError, smtplib.SMTPException) as exc:
                locked.error = str(exc)[:500]
                if locked.attempts >= MAX_ATTEMPTS:
                    locked.status, locked.secret = "failed", None
            db.session.commit()
        if progress:
            progress(index, len(pending))
    return sent


def _as_email(message: MailMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="chalkline.test")
    body = message.body_text
    if message.secret:
        body = body.replace(SECRET_MARK, message.secret)
    email.set_content(body)
    return email


def transport_send(message: MailMessage) -> None:
    """SMTP when MAIL_SERVER is set; otherwise one .eml file per message in MAIL_DIR (development and tests)."""
    config = current_app.config
    email = _as_email(message)
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
        return
    folder = Path(config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    # Zero-padded ids keep the names in sending order when sorted as text (the dev mailbox lists newest first).
    (folder / f"{stamp}-{message.district_id:012d}-{message.id:012d}.eml").write_bytes(bytes(email))


def dev_mailbox(limit: int = 50) -> list[dict]:
    """Messages the file transport wrote, newest first (the development mail page)."""
    import email
    from email import policy

    folder = Path(current_app.config["MAIL_DIR"])
    if not folder.exists():
        return []
    messages = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        messages.append(
            {
                "name": path.stem,
                "to": parsed["To"],
                "subject": parsed["Subject"],
                "body": parsed.get_body(("plain",)).get_content(),
            }
        )
    return messages
