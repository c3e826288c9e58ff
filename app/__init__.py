"""Chalkline: the app factory only wires, in named steps; nothing here does work at import time."""

from __future__ import annotations

from importlib import import_module

from flask import Flask

# Every package with pages, in registration order. `ui` has no routes: it carries the domain-free template helpers.
BLUEPRINTS = (
    "ui",
    "system",
    "home",
    "accounts",
    "events",
    "jobruns",
    "org",
    "rosters",
    "rollover",
    "oneroster",
    "richtext",
    "curriculum",
    "gradebook",
    "notifications",
)
# Packages whose services declare JOB_KINDS (the background jobs they start, with the title users see).
JOB_KIND_OWNERS = ("accounts", "rollover", "oneroster", "gradebook")


def create_app(overrides: dict | None = None) -> Flask:
    from app.config import ROOT, load_config

    config = load_config(overrides)
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=config.INSTANCE_DIR,
    )
    app.config.from_mapping(config.as_flask())
    _resolve_services(app)
    _trust_proxies(app)
    _configure_sessions(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_job_kinds(app)
    _register_event_consumers(app)
    _register_cli(app)
    _register_error_handlers(app)
    _serve_static_files(app)
    return app


def _resolve_services(app: Flask) -> None:
    """Unset DATABASE_URL / REDIS_URL mean the embedded servers, with data under instance/."""
    from app import embedded

    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = embedded.start_postgres(app.config["INSTANCE_DIR"])
    if not app.config["REDIS_URL"]:
        app.config["REDIS_URL"] = embedded.start_redis(app.config["INSTANCE_DIR"])


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, the client address and scheme come from their headers; with none,
    the headers are ignored (a client could set them to anything)."""
    count = app.config["TRUSTED_PROXIES"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _configure_sessions(app: Flask) -> None:
    from datetime import timedelta

    app.config.update(
        SESSION_COOKIE_NAME="chalkline_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.config["APP_ENV"] == "production",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["SESSION_HOURS"]),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session; sign-out ends both
        RATELIMIT_STORAGE_URI=_limits_uri(app.config["REDIS_URL"]),
        RATELIMIT_KEY_PREFIX=app.config.get("RATELIMIT_KEY_PREFIX", "chalkline"),
        RATELIMIT_HEADERS_ENABLED=True,
        BABEL_TRANSLATION_DIRECTORIES=str(app.root_path + "/../translations"),
    )


def _init_extensions(app: Flask) -> None:
    from app import db, i18n, logs, security
    from app.extensions import babel, csrf, limiter, login_manager

    logs.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = None  # the server-side session row is the check
    login_manager.login_message = None
    _install_session_loader(app)
    i18n.init_app(app)
    security.init_app(app)


def _install_session_loader(app: Flask) -> None:
    from flask import session
    from flask_login import current_user

    from app.accounts.services import load_actor
    from app.extensions import login_manager

    @login_manager.user_loader
    def _load(user_id: str):
        district_id, token = session.get("did"), session.get("sid")
        if not (district_id and token and user_id.isdigit()):
            return None
        return load_actor(int(district_id), int(user_id), token, session.get("role", ""))

    @app.before_request
    def _load_actor_first() -> None:
        # Resolve the actor (and with it the tenant) before any view touches the database.
        current_user._get_current_object()


def _register_blueprints(app: Flask) -> None:
    """The blueprints of BLUEPRINTS, and the main-menu entries their views modules declare (NAV)."""
    from app.ui.context import set_navigation

    entries = []
    for name in BLUEPRINTS:
        views = import_module(f"app.{name}.views" if name != "ui" else "app.ui.context")
        app.register_blueprint(views.bp)
        entries.extend(getattr(views, "NAV", ()))
    set_navigation(app, entries)
    if app.config["APP_ENV"] == "development":
        app.register_blueprint(import_module("app.system.views").dev_bp)


def _register_job_kinds(app: Flask) -> None:
    from app.jobruns.services import register_kinds

    for name in JOB_KIND_OWNERS:
        register_kinds(app, import_module(f"app.{name}.services").JOB_KINDS)


def _register_event_consumers(app: Flask) -> None:
    """Consumers of the event outbox (webhooks, notifications, analytics rollups) subscribe here, by type.

    Events no consumer wants are stored already dispatched and start no dispatch job."""
    from app.events.services import subscribe
    from app.gradebook.digest import notify_grades_posted

    subscribe(app, "notifications.grade_posted", ["grade.posted"], notify_grades_posted)


def _register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)


def _register_error_handlers(app: Flask) -> None:
    from app.ui.errorpages import register_error_handlers

    register_error_handlers(app)


def _serve_static_files(app: Flask) -> None:
    from app import assets

    assets.init_app(app)


def _limits_uri(redis_url: str) -> str:
    # The limits library spells a unix-socket Redis (the embedded one) as redis+unix://.
    return "redis+unix://" + redis_url.removeprefix("unix://") if redis_url.startswith("unix://") else redis_url
