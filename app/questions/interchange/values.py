"""Small shared pieces of every parser: ids, numbers, asset types and the problems they report."""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

from app.questions.data import ImportProblem

SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


class Bad(Exception):
    """A question that cannot be imported: `code` (stable key) and `message` (English, names what is wrong)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def made_id(prefix: str, *seed: object) -> str:
    """A stable id ("o-" + 8 of [a-z0-9]) from what identifies the thing in its file, so a re-import keeps it."""
    digest = int.from_bytes(hashlib.sha256("\x1f".join(map(str, seed)).encode()).digest()[:8], "big")
    chars = []
    for _ in range(8):
        digest, rest = divmod(digest, 36)
        chars.append(_ALPHABET[rest])
    return f"{prefix}-{''.join(chars)}"


class Ids:
    """Ids of one question: a file's own id kept when it is safe and unused, else a made one."""

    def __init__(self, source_id: str):
        self.source_id = source_id
        self.used: set[str] = set()

    def take(self, raw: str | None, prefix: str, *seed: object) -> str:
        raw = (raw or "").strip()
        if raw and SAFE_ID.fullmatch(raw) and raw not in self.used:
            self.used.add(raw)
            return raw
        n = 0
        while (candidate := made_id(prefix, self.source_id, raw, *seed, n)) in self.used:
            n += 1
        self.used.add(candidate)
        return candidate


def decimal_of(text: str | None) -> Decimal | None:
    """The finite number written in `text` ("3", "-0.5", "1e3", "2,5" with a decimal comma), else None."""
    cleaned = (text or "").strip().replace("\u2212", "-")
    if re.fullmatch(r"[-+]?\d+,\d+", cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def fraction_of(text: str | None) -> Decimal:
    """A Moodle/Canvas percentage ("100", "33.33333", "-50") as a share of the points."""
    value = decimal_of(text)
    return Decimal(0) if value is None else value / 100


def problem(source_id: str, code: str, message: str, fatal: bool = True) -> ImportProblem:
    return ImportProblem(source_id=source_id, message=message, code=code, fatal=fatal)


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def content_type_of(name: str, data: bytes) -> str:
    """The type the bytes say (PNG, JPEG, GIF, WebP), else the name's, else application/octet-stream."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def resolve(base_dir: str, href: str) -> str | None:
    """The zip path `href` (URL-encoded, relative to `base_dir`) points at, or None when it leaves the zip."""
    href = unquote(href.split("?", 1)[0].split("#", 1)[0]).replace("\\", "/")
    if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(base_dir, href))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return joined
