"""Template globals and filters: navigation by permission, dates and numbers through Babel."""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, request, url_for
from flask_babel import format_datetime, format_decimal, format_percent
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.data import ROLE_LABELS
from app.jobruns.services import kind_title


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


# (endpoint, label, permission needed or None for everyone signed in)
NAV = (
    ("home.index", _l("Home"), None),
    ("rosters.my_sections", _l("My sections"), "sections.teach"),
    ("rosters.my_students", _l("My students"), "students.view_own"),
    ("rosters.list_people", _l("People"), "users.view"),
    ("events.list_activity", _l("Activity"), "activity.view"),
    ("org.list_years", _l("School year"), "structure.manage"),
    ("oneroster.new_import", _l("Roster import"), "rosters.import"),
    ("accounts.profile", _l("Profile"), None),
)


def nav_items() -> list[NavItem]:
    if not has_request_context() or not current_user or not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    return [
        NavItem(url_for(target), str(label), endpoint == target or endpoint.startswith(target.rsplit("_", 1)[0] + "_"))
        for target, label, permission in NAV
        if permission is None or current_user.can(permission)
    ]


def register(app) -> None:
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["number"] = lambda value: format_decimal(value or 0)
    app.jinja_env.filters["percent"] = lambda value: format_percent(value or 0)
    app.jinja_env.filters["role_label"] = lambda role: str(ROLE_LABELS.get(role, role))
    app.jinja_env.filters["job_title"] = kind_title

    @app.context_processor
    def _globals() -> dict:
        # The kit's macro modules ride in the context as well as being imported at the top of pages:
        # an HTMX block rendered alone (render_block) does not run the template's top-level imports.
        env = app.jinja_env
        return {
            "nav_items": nav_items(),
            "is_development": app.config["APP_ENV"] == "development",
            "f": env.get_template("ui/forms.html").module,
            "ui": env.get_template("ui/components.html").module,
        }
