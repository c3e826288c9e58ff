"""Sign-in, the server-checked session behind each cookie, and the Actor every request and job acts as."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, text, update

from app import db
from app.accounts.models import User, UserSession
from app.accounts.services.passwords import hash_password, needs_rehash, verify_password
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.identity.data import Actor

TOUCH_EVERY = timedelta(minutes=5)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


def _bad_credentials() -> Invalid:
    return Invalid({"": _("That email and password do not match an account. Check both and try again.")})


def _lookup(email: str):
    """(user_id, district_id, is_active) of the account with this email, through the definer lookup; or None."""
    return db.session.execute(
        text("select user_id, district_id, is_active from auth_lookup_user(:email)"), {"email": email.strip()[:254]}
    ).first()


def sign_in_key(email: str) -> str:
    """What the per-account sign-in limits count against: the account the lookup finds (however the email was
    spelled: case, a dotted capital I, compatibility forms), or for no account the typed address normalised."""
    row = _lookup(email)
    if row is not None:
        return f"user:{row.user_id}"
    return "email:" + unicodedata.normalize("NFKC", email.strip()).casefold()[:254]


def authenticate(email: str, password: str, user_agent: str = "") -> tuple[Actor, str]:
    """Anyone. Returns the actor and a new raw session token; raises Invalid with one message for every failure.

    The lookup returns ids only; the hash is read under the account's own district (row-level security)."""
    row = _lookup(email)
    user = None
    if row is not None:
        db.set_tenant(row.district_id, row.user_id)
        user = db.session.scalar(select(User).where(User.id == row.user_id))
    verified = verify_password(user.password_hash if user is not None else None, password)
    if not verified or not row.is_active:
        db.set_tenant(None)
        raise _bad_credentials()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = now()
    raw = secrets.token_urlsafe(32)
    user_session = UserSession(
        district_id=user.district_id,
        user_id=user.id,
        token_hash=token_digest(raw),
        expires_at=now() + timedelta(hours=current_app.config["SESSION_HOURS"]),
        user_agent=(user_agent or "")[:300],
    )
    db.session.add(user_session)
    db.session.flush()
    actor = build_actor(user.id, user_session.id)
    record_event(actor, "user.signed_in", "user", user.id)
    db.session.commit()
    return actor, raw


# One round trip per request for who is asking: user, session, district, and per scope (each school where the
# person holds a membership, and the district as a whole) the roles held there and the permissions they grant.
_ACTOR_SQL = text(
    """
    select u.id, u.district_id, u.email, u.display_name, u.locale, u.time_zone, u.is_active,
           s.id as session_id, s.revoked_at, s.expires_at, s.last_seen_at,
           d.name as district_name, d.default_locale, d.time_zone as district_time_zone,
           coalesce((select json_agg(json_build_object('school', g.school_id, 'roles', g.roles, 'codes', g.codes))
                     from (select m.school_id, array_agg(m.role) as roles,
                                  array(select effective_permissions(array_agg(m.role))) as codes
                           from memberships m where m.user_id = u.id group by m.school_id) g), '[]') as scopes
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
    moment = now()
    rejected = row is None or row.session_id is None or row.revoked_at is not None
    if rejected or row.expires_at <= moment or not row.is_active:
        # Answered as anonymous from here on: the cookie's district must not stay the tenant of this request.
        db.set_tenant(None)
        return None
    if moment - row.last_seen_at > TOUCH_EVERY:
        db.session.execute(update(UserSession).where(UserSession.id == row.session_id).values(last_seen_at=moment))
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
        memberships=frozenset((role, scope["school"]) for scope in row.scopes for role in scope["roles"]),
        grants={scope["school"]: frozenset(scope["codes"]) for scope in row.scopes},
        session_id=session_id,
        district_name=row.district_name,
        district_locale=row.default_locale,
        district_time_zone=row.district_time_zone,
    )


def build_actor(user_id: int, session_id: int | None = None) -> Actor:
    """The Actor of a user of the current tenant (no session check: sign-in and jobs)."""
    row = db.session.execute(_ACTOR_SQL, {"token_hash": "", "user_id": user_id}).first()
    if row is None:
        raise NotFound()
    return _actor_from_row(row, session_id)


def actor_for_user(district_id: int, user_id: int) -> Actor:
    """Jobs and tests: rebuild the actor who asked for the work, under their district. NotFound if gone."""
    db.set_tenant(district_id, user_id)
    actor = build_actor(user_id)
    db.set_tenant(district_id, user_id, actor.role)
    return actor


def sign_out(actor: Actor) -> None:
    """The signed-in actor. Revokes this session server-side so every copy of the cookie stops working."""
    if actor.session_id is not None:
        db.session.execute(update(UserSession).where(UserSession.id == actor.session_id).values(revoked_at=now()))
        record_event(actor, "user.signed_out", "user", actor.id)
        db.session.commit()


def revoke_sessions(user_ids, keep: int | None = None) -> None:
    """End every open session of these users (but `keep`), in the caller's transaction."""
    query = update(UserSession).where(UserSession.user_id.in_(list(user_ids)), UserSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    db.session.execute(query.values(revoked_at=now()))
