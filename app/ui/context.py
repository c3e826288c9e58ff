"""Template helpers that belong to no domain (dates and numbers through Babel, the kit's macros, navigation).

The one way to add a template helper: a blueprint's `app_template_filter` / `app_context_processor`, on the
blueprint of the package that owns the vocabulary (grade labels on org's, job titles on jobruns'). This module
does the same for the domain-free ones with a route-less `ui` blueprint that `create_app` registers first.
Navigation entries come from each domain's views module (`NAV`), gathered explicitly by `create_app`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, current_app, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, format_percent
from flask_login import current_user

bp = Blueprint("ui", __name__)
NAV_KEY = "navigation"


@dataclass(frozen=True)
class NavEntry:
    """A main-menu link: shown to signed-in actors for whom `visible(actor)` holds (always when None)."""

    order: int
    endpoint: str
    label: object
    visible: Callable | None = None


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


def set_navigation(app, entries: list[NavEntry]) -> None:
    app.extensions[NAV_KEY] = sorted(entries, key=lambda entry: entry.order)


def nav_items() -> list[NavItem]:
    if not has_request_context() or not current_user or not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    return [
        NavItem(url_for(entry.endpoint), str(entry.label), _is_active(endpoint, entry.endpoint))
        for entry in current_app.extensions.get(NAV_KEY, [])
        if entry.visible is None or entry.visible(current_user)
    ]


def _is_active(endpoint: str, target: str) -> bool:
    # A section of the menu stays marked on its sub-pages: rosters.show_section lights "My sections".
    return endpoint == target or endpoint.startswith(target.rsplit("_", 1)[0] + "_")


@bp.app_template_filter("datetime")
def _datetime(value, fmt: str = "medium") -> str:
    return format_datetime(value, fmt) if value else ""


@bp.app_template_filter("day")
def _day(value) -> str:
    return format_date(value, "medium") if value else ""


@bp.app_template_filter("number")
def _number(value) -> str:
    return format_decimal(value or 0)


@bp.app_template_filter("percent")
def _percent(value) -> str:
    return format_percent(value or 0)


@bp.app_context_processor
def _globals() -> dict:
    # The kit's macro modules ride in the context as well as being imported at the top of pages:
    # an HTMX block rendered alone (render_block) does not run the template's top-level imports.
    env = current_app.jinja_env
    return {
        "nav_items": nav_items(),
        "is_development": current_app.config["APP_ENV"] == "development",
        "f": env.get_template("ui/forms.html").module,
        "ui": env.get_template("ui/components.html").module,
    }
