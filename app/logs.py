"""JSON logs with the request id on every line."""

from __future__ import annotations

import logging
import re
import secrets
from contextvars import ContextVar

from flask import g, request
from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str] = ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


# One-time links carry their token in the path; no log line (the dev server's, gunicorn's access log) keeps it.
_TOKEN_PATH = re.compile(r"(/account/(?:password/reset|invite)/)[^\s/?\"']+")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/account/" in message:
            redacted = _TOKEN_PATH.sub(r"\1[token]", message)
            if redacted != message:
                record.msg, record.args = redacted, None
        return True


def redact_access_logs() -> None:
    """Attach the token filter to the loggers that write request lines (werkzeug's dev server, gunicorn)."""
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", rename_fields={"levelname": "level"}
        )
    )
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic lists each plugin it loads at INFO; that says nothing an operator needs.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def new_request_id() -> str:
    return secrets.token_hex(16)  # 32 hex characters like uuid4().hex, without building a UUID


def init_app(app) -> None:
    if not app.config.get("TESTING"):
        configure_logging()
    redact_access_logs()

    @app.before_request
    def _assign_request_id() -> None:
        incoming = request.environ.get("HTTP_X_REQUEST_ID")
        rid = incoming if incoming and _VALID_ID.match(incoming) else new_request_id()
        g.request_id = rid
        request_id.set(rid)

    @app.after_request
    def _echo_request_id(response):
        response.headers["X-Request-ID"] = g.get("request_id", "-")
        return response
