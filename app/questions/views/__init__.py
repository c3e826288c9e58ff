"""The question bank's pages. The blueprint lives in blueprint.py; each module here adds its routes to it."""

from app.questions.views import banks, compare, editor, history, imports  # noqa: F401 - routes register
from app.questions.views.blueprint import NAV, bp

__all__ = ["NAV", "bp"]
