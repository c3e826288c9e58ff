"""Notifications: the mail outbox, the in-app inbox, per-person channels per kind, and the guardian digest."""

from app.notifications.services.digest import digest_key, render_digest, send_guardian_digests
from app.notifications.services.inbox import (
    PAGE_SIZE,
    deliver,
    get_notification,
    list_inbox,
    mark_all_read,
    mark_read,
    send,
    unread_count,
)
from app.notifications.services.mail import (
    MAX_ATTEMPTS,
    SECRET_MARK,
    dev_mailbox,
    queue_mail,
    queued_mail,
    send_queued_mail,
    transport_send,
)
from app.notifications.services.preferences import (
    channels_for,
    preference_rows,
    read_unsubscribe_token,
    save_preferences,
    unsubscribe,
    unsubscribe_kind,
    unsubscribe_link,
    unsubscribe_token,
)

__all__ = [
    "MAX_ATTEMPTS",
    "PAGE_SIZE",
    "SECRET_MARK",
    "channels_for",
    "deliver",
    "dev_mailbox",
    "digest_key",
    "get_notification",
    "list_inbox",
    "mark_all_read",
    "mark_read",
    "preference_rows",
    "queue_mail",
    "queued_mail",
    "read_unsubscribe_token",
    "render_digest",
    "save_preferences",
    "send",
    "send_guardian_digests",
    "send_queued_mail",
    "transport_send",
    "unread_count",
    "unsubscribe",
    "unsubscribe_kind",
    "unsubscribe_link",
    "unsubscribe_token",
]
