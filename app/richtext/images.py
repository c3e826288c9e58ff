"""What an uploaded image must be: one of four raster formats, told by its bytes (never by its name or the type
the browser claims), at most MAX_IMAGE_BYTES and MAX_IMAGE_SIDE pixels a side."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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


# What an image may carry besides its pixels and stay as it is: colour and density, no words about it.
HARMLESS_INFO = frozenset(
    {"dpi", "gamma", "transparency", "icc_profile", "srgb", "chromaticity", "aspect", "jfif", "jfif_version",
     "jfif_unit", "jfif_density", "progressive", "progression", "adobe", "adobe_transform", "loop", "duration",
     "background", "interlace", "lossless", "version", "extension"}
)  # fmt: skip


def without_metadata(data: bytes, facts: ImageFacts) -> tuple[bytes, ImageFacts]:
    """The image without EXIF, XMP and text metadata (a phone photo of a class carries where and when it was
    taken), turned upright first when its EXIF says it is rotated. An image without any is kept byte for byte;
    GIFs are kept as they are (no location metadata, and re-encoding would break animations)."""
    if facts.content_type == "image/gif":
        return data, facts
    with Image.open(BytesIO(data)) as image:
        if not (set(image.info) - HARMLESS_INFO) and not image.getexif():
            return data, facts
        upright = ImageOps.exif_transpose(image)
        options = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
        if image.format in ("JPEG", "WEBP"):
            options["quality"] = 90
        if image.format == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        out = BytesIO()
        upright.save(out, image.format, **options)
    return out.getvalue(), ImageFacts(facts.content_type, upright.width, upright.height)


def too_large_message() -> str:
    return _("This image is larger than %(limit)s MB. Make it smaller and try again.", limit=MAX_IMAGE_BYTES >> 20)


def wrong_type_message() -> str:
    return _("Only PNG, JPEG, GIF and WebP images can be added.")


def too_wide_message() -> str:
    return _("This image is more than %(side)s pixels wide or high.", side=MAX_IMAGE_SIDE)
