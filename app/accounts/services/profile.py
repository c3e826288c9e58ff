"""A signed-in person's own profile: name, language, time zone and password."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask import current_app
from flask_babel import gettext as _

from app import db
from app.accounts.models import User
from app.accounts.services.links import end_open_tokens, set_password
from app.accounts.services.passwords import check_password_rules, verify_password
from app.accounts.services.signin import revoke_sessions
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.identity.data import Actor

TIME_ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def get_profile(actor: Actor) -> User:
    """The signed-in actor's own account; NotFound if it is gone."""
    user = db.session.get(User, actor.id)
    if user is None:
        raise NotFound()
    return user


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
    user = get_profile(actor)
    user.display_name, user.locale, user.time_zone = display_name.strip()[:120], locale or None, time_zone or None
    record_event(actor, "user.profile_updated", "user", user.id)
    db.session.commit()


def change_password(actor: Actor, current: str, new: str) -> None:
    """The signed-in actor. Raises Invalid on a wrong current password; ends the actor's other sessions."""
    user = get_profile(actor)
    if not verify_password(user.password_hash, current):
        raise Invalid({"current_password": _("That is not your current password.")})
    check_password_rules(new, user.email)
    set_password(user, new)
    end_open_tokens([user.id])
    revoke_sessions([user.id], keep=actor.session_id)
    record_event(actor, "user.password_changed", "user", user.id)
    db.session.commit()
