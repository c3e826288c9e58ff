"""Rich text: the one pipeline from an editor (or a paste, or an import) to stored, diffable, safe content.

The public API; other packages import only this module.

    doc = to_document(form.body.data, previous=lesson.body, field="body")   # sanitise, split, keep ids
    lesson.body = doc                                                        # a plain dict: store it in JSONB
    {{ lesson.body|rich_text }}                                              # render(doc): safe HTML, MathML
    {{ f.rich_text(form.body, doc=lesson.body) }}                            # the editor (templates/ui/forms.html)
    search_text = plain_text(doc)

The Document's shape is described in app/richtext/document.py; the allow-list in app/richtext/sanitize.py; how
ids stay stable in app/richtext/ids.py; docs/decisions/0011-rich-text.md has the reasons.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from app import db
from app.errors import Invalid, NotFound
from app.richtext.document import (
    empty_document,
    is_empty,
    plain_text,
    to_document,
    to_editor_html,
    units,
    word_count,
)
from app.richtext.fields import RichTextField
from app.richtext.images import MAX_IMAGE_BYTES, inspect_image, too_large_message, without_metadata
from app.richtext.models import RichTextImage
from app.richtext.render import latex_to_mathml, render
from app.richtext.sanitize import MAX_HTML_BYTES, clean_html, clean_stored
from app.storage.services import put_bytes, read_bytes

__all__ = [
    "MAX_HTML_BYTES",
    "MAX_IMAGE_BYTES",
    "RichTextField",
    "clean_html",
    "clean_stored",
    "empty_document",
    "get_image",
    "image_url",
    "is_empty",
    "latex_to_mathml",
    "plain_text",
    "read_image",
    "read_images",
    "render",
    "store_image",
    "store_images",
    "to_document",
    "to_editor_html",
    "too_large_message",
    "units",
    "word_count",
]

KEY = re.compile(r"^[0-9a-f]{64}$")
IMAGE_PATH = "/richtext/images/"


def image_url(key: str) -> str:
    # A fixed path rather than url_for: the sanitiser accepts exactly this form as an image source.
    return IMAGE_PATH + key


def store_image(actor, filename: str, data: bytes, *, commit: bool = True) -> dict:
    """Keep an uploaded image for rich text and return {"url", "key", "content_type", "width", "height",
    "byte_size", "filename"}. Any signed-in actor may upload (the image is then readable by the district's users).

    The type comes from the bytes (PNG, JPEG, GIF or WebP; SVG and everything else refused), at most 5 MB and
    8000 pixels a side. Raises Invalid({"file": message}). Uploading the same bytes again returns the same image.
    `commit=False` leaves the row in the caller's transaction (an import that stores its images all or nothing)."""
    stored = _kept(filename, data)
    _insert_rows(actor, [stored])
    if commit:
        db.session.commit()
    return stored


def store_images(actor, files: list[tuple[str, bytes]]) -> list[dict | Invalid]:
    """Many images at once (an import's), checked like store_image, in one insert in the caller's transaction (not
    committed): for each file, store_image's dict, or the Invalid that refused it."""
    results: list[dict | Invalid] = []
    for filename, data in files:
        try:
            results.append(_kept(filename, data))
        except Invalid as error:
            results.append(error)
    _insert_rows(actor, [r for r in results if isinstance(r, dict)])
    return results


def _kept(filename: str, data: bytes) -> dict:
    data, facts = without_metadata(data, inspect_image(data, field="file"))
    key = put_bytes(data)
    return {
        "url": image_url(key),
        "key": key,
        "content_type": facts.content_type,
        "width": facts.width,
        "height": facts.height,
        "byte_size": len(data),
        "filename": (filename or "")[:255],
    }


def _insert_rows(actor, stored: list[dict]) -> None:
    rows = {
        s["key"]: {
            "district_id": actor.district_id,
            "storage_key": s["key"],
            "content_type": s["content_type"],
            "byte_size": s["byte_size"],
            "width": s["width"],
            "height": s["height"],
            "uploaded_by": actor.id,
        }
        for s in stored
    }
    if rows:
        db.session.execute(
            insert(RichTextImage)
            .values(list(rows.values()))
            .on_conflict_do_nothing(index_elements=["district_id", "storage_key"])
        )


def get_image(actor, key: str) -> RichTextImage:
    """The image row for `key` in the actor's district; raises NotFound for a malformed key, another district's
    image or none at all. Any signed-in actor of the district may read its images."""
    if not isinstance(key, str) or not KEY.match(key):
        raise NotFound()
    row = db.session.scalar(
        select(RichTextImage).where(RichTextImage.storage_key == key, RichTextImage.district_id == actor.district_id)
    )
    if row is None:
        raise NotFound()
    return row


def read_images(actor, keys) -> dict[str, tuple[RichTextImage, bytes]]:
    """{key: (row, bytes)} for the images of the actor's district among `keys`, in one query (an export's); keys
    that are malformed, of another district or gone from storage are left out."""
    wanted = sorted({k for k in keys if isinstance(k, str) and KEY.match(k)})
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(RichTextImage).where(
            RichTextImage.storage_key.in_(wanted), RichTextImage.district_id == actor.district_id
        )
    )
    found = {}
    for row in rows:
        try:
            found[row.storage_key] = (row, read_bytes(row.storage_key))
        except FileNotFoundError:
            continue
    return found


def read_image(actor, key: str) -> tuple[RichTextImage, bytes]:
    """(row, bytes) of an image of the actor's district; raises NotFound as get_image does, or when the blob
    has gone from storage."""
    row = get_image(actor, key)
    try:
        return row, read_bytes(key)
    except FileNotFoundError:
        raise NotFound() from None
