"""Rich text over HTTP: the editor's image upload and the images themselves, plus the template filters.

Images are answered only to signed-in users of the image's district (another district's key is a 404 like any
unknown one), with the type recorded at upload, never sniffed by the browser, and cached privately for a year
(the key is the content's hash, so the bytes behind a URL never change).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Invalid
from app.extensions import limiter
from app.richtext import services

bp = Blueprint("richtext", __name__, url_prefix="/richtext")
# Room for the multipart envelope around a file at the limit.
UPLOAD_OVERHEAD = 64 * 1024
ONE_YEAR = 365 * 24 * 60 * 60


@bp.app_template_filter("rich_text")
def _rich_text(doc):
    return services.render(doc)


@bp.app_template_filter("rich_text_editor")
def _rich_text_editor(value):
    """Editor HTML for a stored Document, or for HTML a user posted (a plain field used with the kit's macro)."""
    if isinstance(value, dict):
        return services.to_editor_html(value)
    return services.clean_html(value, limit=None) if isinstance(value, str) else ""


def _upload_key() -> str:
    return f"richtext-upload:{current_user.district_id}:{current_user.id}"


@bp.post("/images")
@login_required
@limiter.limit(lambda: current_app.config.get("RICHTEXT_UPLOAD_LIMIT", "60 per 10 minutes"), key_func=_upload_key)
def upload_image():
    """The editor's upload: multipart with one `file`. 201 {url, href, ...}, or a 4xx {error: {code, message}}."""
    # Refused from the header, before any of the body is read.
    if request.content_length is not None and request.content_length > services.MAX_IMAGE_BYTES + UPLOAD_OVERHEAD:
        return _error(413, services.too_large_message())
    upload = request.files.get("file")
    if upload is None:
        return _error(400, _("Choose an image to add."))
    data = upload.stream.read(services.MAX_IMAGE_BYTES + 1)
    try:
        image = services.store_image(current_user, upload.filename or "", data)
    except Invalid as error:
        return _error(422, next(iter(error.fields.values())))
    return jsonify(href=image["url"], **image), 201


@bp.get("/images/<key>")
@login_required
def show_image(key: str):
    image, data = services.read_image(current_user, key)
    if request.if_none_match.contains(key):
        response = Response(status=304)
    else:
        response = Response(data, mimetype=image.content_type)
    response.set_etag(key)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = f"private, max-age={ONE_YEAR}, immutable"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    # Opened on its own, an image is a document with nothing allowed to run.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def _error(code: int, message: str):
    return jsonify(error={"code": code, "message": message}), code
