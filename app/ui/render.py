"""The one render helper: a whole page, or for an HTMX request the named block of the same template."""

from __future__ import annotations

import json

from flask import make_response, render_template, request
from jinja2_fragments.flask import render_block

# htmx stops polling an element when its response has this status (the one polling widget: ui.live).
STOP_POLLING = 286


def is_fragment_request() -> bool:
    # History restores need the whole page even though htmx sends HX-Request with them.
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def render(
    template: str,
    block: str | None = None,
    status: int = 200,
    toast: str | None = None,
    polling: bool | None = None,
    **ctx,
):
    """Render `template`, or only `block` of it for HTMX; `toast` rides along as an HX-Trigger.

    `polling=False` on a fragment answers 286 so a `ui.live` region stops polling: the work it watched is over."""
    if block and is_fragment_request():
        body = render_block(template, block, **ctx)
        if polling is False and status == 200:
            status = STOP_POLLING
    else:
        body = render_template(template, **ctx)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    if toast:
        response.headers["HX-Trigger"] = json.dumps({"toast": {"message": toast, "level": "success"}})
    return response


def render_error(code: int, title: str, message: str):
    return render("errors/error.html", status=code, code=code, title=title, message=message)


def redirect_to(url: str, toast: str | None = None):
    """After a successful POST: 303 for plain forms, HX-Redirect for HTMX ones."""
    from flask import flash, redirect

    if toast:
        flash(toast, "success")
    if is_fragment_request():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def updated(url: str, page, toast: str | None = None):
    """After a successful POST that changed part of a page: an HTMX request gets `page()` (the page rendered with
    render(..., block=...), so only the block) with the toast; a plain form post is redirected to `url` (303)."""
    if not is_fragment_request():
        return redirect_to(url, toast=toast)
    response = page()
    if toast:
        response.headers["HX-Trigger"] = json.dumps({"toast": {"message": toast, "level": "success"}})
    return response
