"""The curriculum pages. The blueprint lives in blueprint.py; each module here adds its routes to it."""

from app.curriculum.views import compare, history, lessons, planner, search, templates, units  # noqa: F401 - routes register
from app.curriculum.views.blueprint import NAV, bp

__all__ = ["NAV", "bp"]
