"""The mapping of the error hierarchy (app/errors.py) and of HTTP errors to pages or JSON, in one place."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.errors import NotAllowed, NotFound, StaleEdit, Throttled
from app.ui.render import render_error

ERROR_TEXT = {
    400: (_l("Something was wrong with that request"), _l("Please go back, reload the page and try again.")),
    403: (_l("Not available"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("We could not find that page. It may have moved, or you may not have access.")),
    405: (_l("Not allowed"), _l("That action cannot be done from here.")),
    413: (_l("Too large"), _l("What you sent is larger than we accept. Try a smaller file.")),
    409: (
        _l("Someone else saved a newer version"),
        _l("This was changed while you were editing. Reload to see the newer version; copy your text first."),
    ),
    422: (_l("Please check your input"), _l("Some of what you entered needs another look.")),
    429: (_l("Too many attempts"), _l("Please wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"), _l("The problem has been logged. Please try again in a moment.")),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json" and not request.headers.get("HX-Request")
    )


def error_response(code: int, message: str | None = None):
    title, default = ERROR_TEXT.get(code, ERROR_TEXT[500])
    text = message or str(default)
    if wants_json():
        return jsonify(error={"code": code, "title": str(title), "message": text}), code
    return render_error(code, str(title), text)


def register_error_handlers(app) -> None:
    @app.errorhandler(NotFound)
    @app.errorhandler(NotAllowed)
    def _not_found(exc):
        return error_response(404)

    @app.errorhandler(StaleEdit)
    def _stale(exc):
        # Pages that can show what changed catch StaleEdit themselves; this is the floor for the others.
        return error_response(409)

    @app.errorhandler(Throttled)
    def _throttled(exc):
        response = error_response(429)
        response = app.make_response(response)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = exc.code or 500
        if code == 403:
            code = 404  # another role's page is "not found", never "forbidden"
        message = None
        if code == 400 and "CSRF" in (exc.description or ""):
            message = _("Your session expired or the form was opened too long ago. Reload the page and try again.")
        return error_response(code if code in ERROR_TEXT else 400, message)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.exception("unhandled error")
        return error_response(500)
