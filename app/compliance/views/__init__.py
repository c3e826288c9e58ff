"""The records pages. The blueprint lives in blueprint.py; each module here adds its routes to it."""

from app.compliance.views import privacy, requester, retention, staff  # noqa: F401 - routes register
from app.compliance.views.blueprint import NAV, bp

__all__ = ["NAV", "bp"]
