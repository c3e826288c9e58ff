"""What an uploaded image must be: one of four raster formats, told by its bytes (never by its name or the type
the browser claims), at most MAX_IMAGE_BYTES and MAX_IMAGE_SIDE pixels a side."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from app.errors import Invalid
from app.richtext.sanitize import MAX_IMAGE_SIDE

MAX_IMAGE_BYTES = 5 * 1024 * 1024
# Pillow's format name -> the one content type we serve it with.
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


@dataclass(frozen=True)
class ImageFacts:
    content_type: str
    width: int
    height: int


def sniff(data: bytes) -> str | None:
    """The content type the leading bytes announce, or None for anything but PNG, JPEG, GIF and WebP."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def inspect_image(data: bytes, field: str = "file") -> ImageFacts:
    """The facts of an acceptable image; raises Invalid({field: message}) for anything else."""
    if not data:
        raise Invalid({field: _("The file is empty.")})
    if len(data) > MAX_IMAGE_BYTES:
        raise Invalid({field: too_large_message()})
    announced = sniff(data)
    if announced is None:
        raise Invalid({field: wrong_type_message()})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # open() reads the header only and verify() checks the file's structure without decoding the pixels
            # (an 8000 x 8000 picture would take 256 MB to decode).
            with Image.open(BytesIO(data)) as image:
                width, height = image.size
                if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
                    raise Invalid({field: too_wide_message()})
                found = FORMATS.get(image.format or "")
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise Invalid({field: _("This image could not be read. It may be damaged.")}) from None
    if found != announced:
        raise Invalid({field: wrong_type_message()})
    return ImageFacts(found, width, height)


def too_large_message() -> str:
    return _("This image is larger than %(limit)s MB. Make it smaller and try again.", limit=MAX_IMAGE_BYTES >> 20)


def wrong_type_message() -> str:
    return _("Only PNG, JPEG, GIF and WebP images can be added.")


def too_wide_message() -> str:
    return _("This image is more than %(side)s pixels wide or high.", side=MAX_IMAGE_SIDE)
