"""The one file storage interface: content-addressed blobs on local disk (S3-compatible later, same calls)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


def _root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def _path(key: str) -> Path:
    if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
        raise ValueError("not a storage key")
    return _root() / key[:2] / key


def put_bytes(data: bytes) -> str:
    """Store `data` and return its key (SHA-256). Storing the same bytes twice keeps one copy."""
    key = hashlib.sha256(data).hexdigest()
    path = _path(key)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    return key


def read_bytes(key: str) -> bytes:
    return _path(key).read_bytes()


def put_chunks(chunks) -> tuple[str, int]:
    """Store a stream of byte chunks without holding it in memory; returns (key, size)."""
    digest, size = hashlib.sha256(), 0
    _root().mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=_root())
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
        key = digest.hexdigest()
        path = _path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return key, size


def path_of(key: str) -> Path:
    """Where a blob is on local disk (for streaming it to a response or into a ZIP)."""
    return _path(key)


def exists(key: str) -> bool:
    return _path(key).exists()


def delete(key: str) -> bool:
    """Remove a blob (the caller checked that nothing else refers to it). False when it was not there."""
    try:
        _path(key).unlink()
    except FileNotFoundError:
        return False
    return True
