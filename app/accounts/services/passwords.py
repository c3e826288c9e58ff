"""Password hashing (argon2id) and the password rules; the hasher's cost comes from the configuration."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from app.errors import Invalid

MIN_PASSWORD = 10
_KEY = "password_hasher"


def hasher() -> PasswordHasher:
    """The process's argon2id hasher, built once from ARGON2_TIME_COST, ARGON2_MEMORY_KIB and ARGON2_PARALLELISM."""
    app = current_app._get_current_object()
    built = app.extensions.get(_KEY)
    if built is None:
        config = app.config
        built = PasswordHasher(
            time_cost=config["ARGON2_TIME_COST"],
            memory_cost=config["ARGON2_MEMORY_KIB"],
            parallelism=config["ARGON2_PARALLELISM"],
        )
        # Verified against when the email is unknown, so both failures cost the same.
        app.extensions[_KEY + ".dummy"] = built.hash("chalkline-timing-equaliser")
        app.extensions[_KEY] = built
    return built


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when `password` matches `stored`; with no stored hash it still spends a verification's time."""
    ph = hasher()
    try:
        return ph.verify(stored or current_app.extensions[_KEY + ".dummy"], password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return hasher().check_needs_rehash(stored)


def check_password_rules(password: str, email: str = "") -> None:
    """Raises Invalid (field `password`) for a password that is too short or equals the email."""
    if len(password) < MIN_PASSWORD:
        raise Invalid({"password": _("Use at least %(n)d characters.", n=MIN_PASSWORD)})
    if email and password.strip().lower() == (email or "").strip().lower():
        raise Invalid({"password": _("Your password cannot be your email address.")})
