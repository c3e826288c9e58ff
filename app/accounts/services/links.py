"""One-time links: password reset and invitation acceptance. Only the SHA-256 of a link's token is stored."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, text, update

from app import db
from app.accounts.models import OneTimeToken, User
from app.accounts.services.passwords import check_password_rules, hash_password
from app.accounts.services.signin import build_actor, now, revoke_sessions, token_digest
from app.errors import Invalid
from app.events.services import record_event
from app.jobruns.queue import enqueue_now
from app.jobruns.services import start_job
from app.notifications.services import SECRET_MARK, queue_mail


def issue_token(user: User, purpose: str, lifetime: timedelta) -> str:
    raw = secrets.token_urlsafe(32)
    db.session.add(
        OneTimeToken(
            district_id=user.district_id,
            user_id=user.id,
            purpose=purpose,
            token_hash=token_digest(raw),
            expires_at=now() + lifetime,
        )
    )
    return raw


def end_open_tokens(user_ids) -> None:
    """Every unused link of these users stops working (a reset, a password change, an accepted invitation or a
    deactivation makes older links moot), in the caller's transaction."""
    db.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.user_id.in_(list(user_ids)), OneTimeToken.used_at.is_(None))
        .values(used_at=now())
    )


def _consume(token: OneTimeToken) -> None:
    """Mark the link used with one conditional update: of two requests racing with the same link, the second
    waits for the first's row lock, then finds it used and is refused (Invalid)."""
    consumed = db.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.id == token.id, OneTimeToken.used_at.is_(None), OneTimeToken.expires_at > now())
        .values(used_at=now())
        .returning(OneTimeToken.id)
    ).first()
    if consumed is None:
        raise Invalid({"": _("This link has already been used. Ask for a new one if you still need it.")})


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = now()


def ask_for_password_reset(email: str, base_url: str) -> None:
    """Anyone (the forgot-password form). Hands the whole lookup to a job, so the answer takes the same time
    whether or not the account exists, and says nothing either way."""
    enqueue_now("default", "jobs.mail.request_password_reset", email.strip()[:254], base_url)


def request_password_reset(email: str, base_url: str) -> None:
    """The reset job: mails a reset link if an active account has this email; nothing otherwise."""
    row = db.session.execute(
        text("select user_id, district_id, is_active from auth_lookup_user(:email)"), {"email": email.strip()}
    ).first()
    if row is None or not row.is_active:
        return
    db.set_tenant(row.district_id, row.user_id)
    user = db.session.get(User, row.user_id)
    actor = build_actor(user.id)
    hours = current_app.config["RESET_TOKEN_HOURS"]
    raw = issue_token(user, "reset", timedelta(hours=hours))
    run = start_job(actor, "mail.password_reset", "jobs.mail.send_mail", total=1)
    queue_mail(
        user.district_id,
        user.email,
        "password_reset",
        user.locale,
        job_run_id=run.id,
        secret=raw,
        name=user.display_name,
        link=f"{base_url}/account/password/reset/{SECRET_MARK}",
        hours=hours,
    )
    record_event(actor, "user.password_reset_requested", "user", user.id)
    db.session.commit()


def _token_problem(token: OneTimeToken | None, purpose: str) -> str | None:
    if token is None or token.purpose != purpose:
        return _("This link is not valid. Ask for a new one.")
    if token.used_at is not None:
        return _("This link has already been used. Ask for a new one if you still need it.")
    if token.expires_at <= now():
        return _("This link has expired. Ask for a new one.")
    return None


def open_token(raw: str, purpose: str) -> tuple[OneTimeToken, User]:
    """Anyone holding a link. Raises Invalid naming why the link cannot be used (unknown, used, expired)."""
    row = db.session.execute(
        text("select district_id, user_id from auth_lookup_token(:digest)"), {"digest": token_digest(raw)}
    ).first()
    token = None
    if row is not None:
        db.set_tenant(row.district_id, row.user_id)
        token = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == token_digest(raw)))
    problem = _token_problem(token, purpose)
    if problem:
        raise Invalid({"": problem})
    return token, db.session.get(User, token.user_id)


def reset_password(raw: str, password: str) -> None:
    """Anyone holding a valid reset link. Sets the password and ends every session of that user."""
    token, user = open_token(raw, "reset")
    check_password_rules(password, user.email)
    _consume(token)
    set_password(user, password)
    end_open_tokens([user.id])
    revoke_sessions([user.id])
    record_event(build_actor(user.id), "user.password_reset", "user", user.id)
    db.session.commit()


def accept_invite(raw: str, display_name: str, password: str) -> None:
    """Anyone holding a valid invitation link. Sets name and password so the invitee can sign in."""
    token, user = open_token(raw, "invite")
    if not display_name.strip():
        raise Invalid({"display_name": _("Enter your name.")})
    check_password_rules(password, user.email)
    _consume(token)
    user.display_name = display_name.strip()[:120]
    set_password(user, password)
    end_open_tokens([user.id])
    record_event(build_actor(user.id), "user.invite_accepted", "user", user.id)
    db.session.commit()
