"""Export services: the district's roster as OneRoster files, into a directory (the CLI) or as one ZIP.

Both take the acting user first and raise NotFound without the permission. The rows and bytes of each file
are made in `export_files.py`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from flask_babel import gettext as _

from app import db
from app.errors import Invalid
from app.oneroster.services import export_files
from app.oneroster.services.imports import require
from app.oneroster.services.schema import VERSIONS


def _version(version: str) -> str:
    if version not in VERSIONS:
        raise Invalid({"version": _("Choose OneRoster 1.1 or 1.2.")})
    return version


def export_roster(actor, directory: Path, version: str = "1.1") -> list[Path]:
    """District admins and the CLI: write the district's OneRoster files (1.1 or 1.2) into `directory` (made
    if missing). Invalid for another version."""
    require(actor)
    files = export_files.render_files(actor.district_id, _version(version))
    directory.mkdir(parents=True, exist_ok=True)
    db.session.commit()  # the sourcedIds stamped on records made in Chalkline
    paths = []
    for name, data in files.items():
        (directory / name).write_bytes(data)
        paths.append(directory / name)
    return paths


def export_zip(actor, version: str = "1.1") -> bytes:
    """The same files as one ZIP, for a download. Invalid for another version."""
    require(actor)
    files = export_files.render_files(actor.district_id, _version(version))
    db.session.commit()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
