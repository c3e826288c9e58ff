"""The one error hierarchy services raise on purpose. Its mapping to HTTP is app/ui/errorpages.py:

NotFound and NotAllowed both answer 404 (another district's or another role's record is "not found", never
"forbidden"); Invalid is caught by the view's form flow (app/ui/formflow.py) and answers 422 with the form and
the user's input; StaleEdit answers 409; Throttled 429 with Retry-After.
"""

from __future__ import annotations


class AppError(Exception):
    """Base for errors services raise on purpose."""


class NotFound(AppError):
    """The record does not exist, or the actor may not know it exists."""


class NotAllowed(AppError):
    """The actor may see the record but not do this; shown as 404 like NotFound."""


class Invalid(AppError):
    """Input broke a rule; `fields` maps form field names to messages, '' for form-level ones."""

    def __init__(self, fields: dict[str, str] | str):
        if isinstance(fields, str):
            fields = {"": fields}
        self.fields = fields
        super().__init__("; ".join(str(v) for v in fields.values()))


class StaleEdit(AppError):
    """Someone saved a newer version since this edit began."""

    def __init__(self, current, message: str = ""):
        self.current = current
        super().__init__(message or "stale edit")


class Throttled(AppError):
    """Too many attempts; `retry_after` in seconds."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"retry after {retry_after}s")
