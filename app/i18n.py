"""Locale choice: the user's own, then the browser's Accept-Language, then the district default."""

from __future__ import annotations

import functools

from babel import Locale
from flask import current_app, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

RTL = {"ar", "he", "fa", "ur"}


@functools.cache
def _locale(code: str) -> Locale:
    # flask-babel parses whatever the selector returns on every request; a Locale object it takes as it is.
    return Locale.parse(code)


@functools.cache
def _lang_and_dir(locale: Locale) -> tuple[str, str]:
    code = str(locale)
    return code, "rtl" if code.split("_")[0] in RTL else "ltr"


def select_locale() -> Locale:
    return _locale(_select_locale_code())


def _select_locale_code() -> str:
    supported = current_app.config["SUPPORTED_LOCALES"]
    if not has_request_context():
        # Jobs and CLI commands render in an explicit locale (force_locale) or the platform default.
        return supported[0]
    user = current_user if current_user and current_user.is_authenticated else None
    if user is not None and user.locale in supported:
        return user.locale
    best = request.accept_languages.best_match(supported)
    if best:
        return best
    district_default = user.district_locale if user is not None else None
    return district_default if district_default in supported else supported[0]


def select_timezone() -> str | None:
    if not has_request_context():
        return None
    user = current_user if current_user and current_user.is_authenticated else None
    if user is None:
        return None
    return user.time_zone or user.district_time_zone


def locale_choices() -> list[tuple[str, str]]:
    return [
        (code, Locale.parse(code).get_display_name(code).capitalize())
        for code in current_app.config["SUPPORTED_LOCALES"]
    ]


def init_app(app) -> None:
    @app.before_request
    def _text_direction() -> None:
        locale = get_locale()
        g.locale, g.text_dir = _lang_and_dir(locale) if locale else ("en", "ltr")
