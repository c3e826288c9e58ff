"""No pages: the request hooks that tell the audit where an access came from and write what no commit carried."""

from __future__ import annotations

from flask import Blueprint, request

from app.audit import services

bp = Blueprint("audit", __name__)


@bp.before_app_request
def _note_origin() -> None:
    services.set_origin(f"{request.remote_addr or ''} {request.endpoint or ''}".strip())


@bp.after_app_request
def _write_accesses(response):
    services.flush_pending()
    return response
