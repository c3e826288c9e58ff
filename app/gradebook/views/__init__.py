"""The gradebook pages. The blueprint lives in blueprint.py; each module here adds its routes to it."""

from app.gradebook.views import approvals, assignments, grid, students, terms, transfer  # noqa: F401 - routes register
from app.gradebook.views.blueprint import NAV, bp

__all__ = ["NAV", "bp"]
