"""Accounts: sign-in, server-checked sessions, one-time links, invitations and profiles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import available_timezones

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text, update

from app import db
from app.accounts.data import Actor
from app.accounts.models import GuardianLink, Membership, OneTimeToken, User, UserSession
from app.accounts.policy import INVITABLE_BY, can_invite_role, can_invite_users, can_view_users
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.jobruns.services import register_kind, start_job
from app.notifications.services import queue_mail
from app.org.models import School
from app.org.services import list_schools

hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = hasher.hash("chalkline-timing-equaliser")
MIN_PASSWORD = 10
MAX_INVITES = 200
TOUCH_EVERY = timedelta(minutes=5)
register_kind("mail.invitations", _l("Sending invitations"))
register_kind("mail.password_reset", _l("Sending a password reset link"))
TIME_ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _bad_credentials() -> Invalid:
    return Invalid({"": _("That email and password do not match an account. Check both and try again.")})


def check_password_rules(password: str, email: str = "") -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid({"password": _("Use at least %(n)d characters.", n=MIN_PASSWORD)})
    if email and password.strip().lower() == email.strip().lower():
        raise Invalid({"password": _("Your password cannot be your email address.")})


def authenticate(email: str, password: str, user_agent: str = "") -> tuple[Actor, str]:
    """Anyone. Returns the actor and a new raw session token; raises Invalid with one message for every failure."""
    row = db.session.execute(
        text("select user_id, district_id, password_hash, is_active from auth_lookup_user(:email)"),
        {"email": email.strip()},
    ).first()
    stored = row.password_hash if row and row.password_hash else _DUMMY_HASH
    try:
        hasher.verify(stored, password)
        verified = row is not None and row.password_hash is not None
    except (VerificationError, InvalidHashError):
        verified = False
    if not verified or not row.is_active:
        raise _bad_credentials()
    db.set_tenant(row.district_id, row.user_id)
    user = db.session.get(User, row.user_id)
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_sign_in_at = _now()
    raw = secrets.token_urlsafe(32)
    hours = current_app.config["SESSION_HOURS"]
    user_session = UserSession(
        district_id=user.district_id,
        user_id=user.id,
        token_hash=token_digest(raw),
        expires_at=_now() + timedelta(hours=hours),
        user_agent=(user_agent or "")[:300],
    )
    db.session.add(user_session)
    db.session.flush()
    actor = _build_actor(user, user_session.id)
    record_event(actor, "user.signed_in", "user", user.id)
    db.session.commit()
    return actor, raw


# One round trip per request for who is asking: user, session, district and memberships together.
_ACTOR_SQL = text(
    """
    select u.id, u.district_id, u.email, u.display_name, u.locale, u.time_zone, u.is_active,
           s.id as session_id, s.revoked_at, s.expires_at, s.last_seen_at,
           d.name as district_name, d.default_locale, d.time_zone as district_time_zone,
           coalesce((select array_agg(m.role) from memberships m where m.user_id = u.id), '{}') as roles,
           coalesce((select array_agg(m.school_id) from memberships m
                     where m.user_id = u.id and m.school_id is not null), '{}') as school_ids,
           array(select code from effective_permissions(array(select m.role from memberships m
                                                              where m.user_id = u.id)) as code) as permissions
    from users u
    join districts d on d.id = u.district_id
    left join user_sessions s on s.user_id = u.id and s.token_hash = :token_hash
    where u.id = :user_id
    """
)


def load_actor(district_id: int, user_id: int, raw_token: str, role: str = "") -> Actor | None:
    """Request start: the actor behind a session cookie, or None if that session was ended or expired.

    `role` is the role the cookie remembers; it is only a first guess for the database setting and is
    corrected below when the memberships say otherwise."""
    db.set_tenant(district_id, user_id, role)
    row = db.session.execute(_ACTOR_SQL, {"token_hash": token_digest(raw_token), "user_id": user_id}).first()
    now = _now()
    if row is None or row.session_id is None or row.revoked_at is not None:
        return None
    if row.expires_at <= now or not row.is_active:
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        db.session.execute(update(UserSession).where(UserSession.id == row.session_id).values(last_seen_at=now))
        db.session.commit()
    actor = _actor_from_row(row, row.session_id)
    if actor.role != role:
        db.set_tenant(district_id, user_id, actor.role)
    return actor


def _actor_from_row(row, session_id: int | None) -> Actor:
    return Actor(
        id=row.id,
        district_id=row.district_id,
        email=row.email,
        display_name=row.display_name,
        locale=row.locale,
        time_zone=row.time_zone,
        roles=frozenset(row.roles),
        school_ids=frozenset(row.school_ids),
        permissions=frozenset(row.permissions),
        session_id=session_id,
        district_name=row.district_name,
        district_locale=row.default_locale,
        district_time_zone=row.district_time_zone,
    )


def _build_actor(user: User, session_id: int | None) -> Actor:
    row = db.session.execute(_ACTOR_SQL, {"token_hash": "", "user_id": user.id}).one()
    return _actor_from_row(row, session_id)


def actor_for_user(district_id: int, user_id: int) -> Actor:
    """Jobs: rebuild the actor who asked for the work, under their district."""
    db.set_tenant(district_id, user_id)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    actor = _build_actor(user, None)
    db.set_tenant(district_id, user_id, actor.role)
    return actor


def sign_out(actor: Actor) -> None:
    """The signed-in actor. Revokes this session server-side so every copy of the cookie stops working."""
    if actor.session_id is not None:
        db.session.execute(update(UserSession).where(UserSession.id == actor.session_id).values(revoked_at=_now()))
        record_event(actor, "user.signed_out", "user", actor.id)
        db.session.commit()


def _revoke_sessions(user_id: int, keep: int | None = None) -> None:
    query = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    db.session.execute(query.values(revoked_at=_now()))


def _issue_token(user: User, purpose: str, lifetime: timedelta) -> str:
    raw = secrets.token_urlsafe(32)
    db.session.add(
        OneTimeToken(
            district_id=user.district_id,
            user_id=user.id,
            purpose=purpose,
            token_hash=token_digest(raw),
            expires_at=_now() + lifetime,
        )
    )
    return raw


def request_password_reset(email: str, base_url: str) -> None:
    """Anyone. Mails a reset link if the account exists; says nothing either way (no account probing)."""
    row = db.session.execute(
        text("select user_id, district_id, is_active from auth_lookup_user(:email)"), {"email": email.strip()}
    ).first()
    if row is None or not row.is_active:
        return
    db.set_tenant(row.district_id, row.user_id)
    user = db.session.get(User, row.user_id)
    actor = _build_actor(user, None)
    raw = _issue_token(user, "reset", timedelta(hours=current_app.config["RESET_TOKEN_HOURS"]))
    run = start_job(actor, "mail.password_reset", "jobs.mail.send_mail", total=1)
    queue_mail(
        user.district_id,
        user.email,
        "password_reset",
        user.locale,
        job_run_id=run.id,
        name=user.display_name,
        link=f"{base_url}/password/reset/{raw}",
        hours=current_app.config["RESET_TOKEN_HOURS"],
    )
    record_event(actor, "user.password_reset_requested", "user", user.id)
    db.session.commit()


def _token_problem(token: OneTimeToken | None, purpose: str) -> str | None:
    if token is None or token.purpose != purpose:
        return _("This link is not valid. Ask for a new one.")
    if token.used_at is not None:
        return _("This link has already been used. Ask for a new one if you still need it.")
    if token.expires_at <= _now():
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
    _set_password(user, password)
    token.used_at = _now()
    _revoke_sessions(user.id)
    record_event(_build_actor(user, None), "user.password_reset", "user", user.id)
    db.session.commit()


def accept_invite(raw: str, display_name: str, password: str) -> None:
    """Anyone holding a valid invitation link. Sets name and password so the invitee can sign in."""
    token, user = open_token(raw, "invite")
    if not display_name.strip():
        raise Invalid({"display_name": _("Enter your name.")})
    check_password_rules(password, user.email)
    user.display_name = display_name.strip()[:120]
    _set_password(user, password)
    token.used_at = _now()
    record_event(_build_actor(user, None), "user.invite_accepted", "user", user.id)
    db.session.commit()


def _set_password(user: User, password: str) -> None:
    user.password_hash = hasher.hash(password)
    user.password_changed_at = _now()


def change_password(actor: Actor, current: str, new: str) -> None:
    """The signed-in actor. Raises Invalid on a wrong current password; ends the actor's other sessions."""
    user = db.session.get(User, actor.id)
    try:
        hasher.verify(user.password_hash or _DUMMY_HASH, current)
    except (VerificationError, InvalidHashError):
        raise Invalid({"current_password": _("That is not your current password.")}) from None
    check_password_rules(new, user.email)
    _set_password(user, new)
    _revoke_sessions(user.id, keep=actor.session_id)
    record_event(actor, "user.password_changed", "user", user.id)
    db.session.commit()


def update_profile(actor: Actor, display_name: str, locale: str, time_zone: str) -> None:
    """The signed-in actor, on their own profile. Raises Invalid per field."""
    errors = {}
    if not display_name.strip():
        errors["display_name"] = _("Enter your name.")
    if locale and locale not in current_app.config["SUPPORTED_LOCALES"]:
        errors["locale"] = _("Choose a language from the list.")
    if time_zone and time_zone not in TIME_ZONES:
        errors["time_zone"] = _("Choose a time zone from the list.")
    if errors:
        raise Invalid(errors)
    user = db.session.get(User, actor.id)
    user.display_name, user.locale, user.time_zone = display_name.strip()[:120], locale or None, time_zone or None
    record_event(actor, "user.profile_updated", "user", user.id)
    db.session.commit()


def get_profile(actor: Actor) -> User:
    user = db.session.get(User, actor.id)
    if user is None:
        raise NotFound()
    return user


def schools_for_invites(actor: Actor) -> list[School]:
    return list_schools(actor)


def invite_users(actor: Actor, emails: list[str], role: str, school_id: int | None, base_url: str):
    """Admins with users.invite. Creates the accounts, queues one invitation mail each and returns the
    job run that sends them. Raises Invalid naming each address that cannot be invited."""
    if not can_invite_users(actor):
        raise NotFound()
    if not can_invite_role(actor, role):
        raise Invalid({"role": _("You cannot invite people with that role.")})
    schools = {school.id for school in schools_for_invites(actor)}
    if role != "district_admin" and role != "guardian" and school_id not in schools:
        raise Invalid({"school_id": _("Choose a school.")})
    if school_id is not None and school_id not in schools:
        raise Invalid({"school_id": _("Choose a school from the list.")})
    cleaned, bad = _clean_emails(emails)
    taken = sorted(email for email in cleaned if _exists_anywhere(email))
    problems = []
    if bad:
        problems.append(_("Not valid email addresses: %(emails)s", emails=", ".join(bad[:10])))
    if taken:
        problems.append(_("Already have an account: %(emails)s", emails=", ".join(taken[:10])))
    if not cleaned and not bad:
        problems.append(_("Enter at least one email address."))
    if len(cleaned) > MAX_INVITES:
        problems.append(_("Invite at most %(n)d people at a time.", n=MAX_INVITES))
    if problems:
        raise Invalid({"emails": " ".join(problems)})
    run = start_job(actor, "mail.invitations", "jobs.mail.send_mail", total=len(cleaned))
    days = current_app.config["INVITE_TOKEN_DAYS"]
    for email in cleaned:
        user = User(district_id=actor.district_id, email=email, display_name=email.split("@")[0], is_active=True)
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(district_id=actor.district_id, user_id=user.id, school_id=school_id, role=role))
        raw = _issue_token(user, "invite", timedelta(days=days))
        queue_mail(
            actor.district_id,
            email,
            "invitation",
            None,
            job_run_id=run.id,
            inviter=actor.display_name,
            district=actor.district_name,
            link=f"{base_url}/invite/{raw}",
            days=days,
        )
        record_event(actor, "user.invited", "user", user.id, email=email, role=role, school_id=school_id)
    db.session.commit()
    return run


def _exists_anywhere(email: str) -> bool:
    # Emails are unique across districts; the definer lookup sees past this district's policy.
    return db.session.execute(text("select 1 from auth_lookup_user(:email)"), {"email": email}).first() is not None


def normalized_email(raw: str) -> str:
    """The address normalised and lower-cased; raises email_validator.EmailNotValidError.

    Outside production the reserved `.test` domain is accepted: the demo and test accounts live there.
    """
    from email_validator import validate_email

    allow_test_domain = current_app.config["APP_ENV"] != "production"
    checked = validate_email(raw.strip(), check_deliverability=False, test_environment=allow_test_domain)
    return checked.normalized.lower()


def _clean_emails(emails: list[str]) -> tuple[list[str], list[str]]:
    """Normalised unique addresses, and the entries that are not addresses at all."""
    from email_validator import EmailNotValidError

    cleaned, bad = [], []
    for raw in emails:
        raw = raw.strip()
        if not raw:
            continue
        try:
            cleaned.append(normalized_email(raw))
        except EmailNotValidError:
            bad.append(raw)
    return list(dict.fromkeys(cleaned)), bad


def invite_options(actor: Actor) -> tuple[list[str], list[School]]:
    """Admins with users.invite: the roles they may give and the schools they may invite into."""
    if not can_invite_users(actor):
        raise NotFound()
    roles = [
        role
        for role in ("district_admin", "school_admin", "teacher", "student", "guardian")
        if role in INVITABLE_BY.get(actor.role, set())
    ]
    return roles, schools_for_invites(actor)


def linked_students(actor: Actor) -> list[tuple[User, str]]:
    """A guardian's own linked students, with the relationship."""
    return list(
        db.session.execute(
            select(User, GuardianLink.relationship)
            .join(GuardianLink, GuardianLink.student_id == User.id)
            .where(GuardianLink.guardian_id == actor.id)
            .order_by(User.display_name)
        ).tuples()
    )


def linked_guardians(actor: Actor) -> list[tuple[User, str]]:
    """A student's own guardians, with the relationship."""
    return list(
        db.session.execute(
            select(User, GuardianLink.relationship)
            .join(GuardianLink, GuardianLink.guardian_id == User.id)
            .where(GuardianLink.student_id == actor.id)
            .order_by(User.display_name)
        ).tuples()
    )


def role_counts(actor: Actor) -> dict[str, int]:
    """People per role: the whole district for district admins, their schools for school admins."""
    if not can_view_users(actor):
        raise NotFound()
    query = select(Membership.role, func.count(func.distinct(Membership.user_id))).group_by(Membership.role)
    if actor.role != "district_admin":
        query = query.where(Membership.school_id.in_(actor.school_ids or {-1}))
    return dict(db.session.execute(query).tuples().all())
