"""Reading what the file mail transport wrote, and the links inside."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path


def sent_mail(folder: Path) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(folder.glob("*.eml"))]


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_token(text: str, kind: str) -> str:
    """The raw token of the first `/password/reset/<token>` (kind "reset") or `/invite/<token>` link in text."""
    path = {"reset": "/account/password/reset/", "invite": "/account/invite/"}[kind]
    match = re.search(re.escape(path) + r"([A-Za-z0-9_-]+)", text)
    assert match, f"no {kind} link in: {text!r}"
    return match.group(1)


def as_sent(message) -> str:
    """A queued MailMessage's body as the transport will send it (its one-time token put back in)."""
    from app.notifications.services import SECRET_MARK

    return message.body_text.replace(SECRET_MARK, message.secret) if message.secret else message.body_text
