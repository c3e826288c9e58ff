"""Import records: storing an upload, reading an import back for its page, and asking for it to be applied.

Every function takes the acting user first and raises NotFound (also for a user without the permission) or
Invalid. The checking and writing themselves are in `pipeline.py`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.jobruns.services import get_job_run, start_job
from app.oneroster.models import OneRosterImport
from app.oneroster.policy import can_import_rosters
from app.oneroster.services.messages import COUNTED, error_text, kind_text, role_text
from app.oneroster.services.plan import KEYED, PAIRED
from app.oneroster.services.report import report_lines
from app.storage.services import put_bytes, read_bytes

VALIDATE_STEPS = 3


def require(actor) -> None:
    if not can_import_rosters(actor):
        raise NotFound()


def upload_limit() -> int:
    return int(current_app.config["MAX_CONTENT_LENGTH"] or 16 * 1024 * 1024)


def megabytes(size: int) -> str:
    return _("%(size)s MB", size=f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip("."))


NAME_SIZE = 255  # oneroster_imports.file_name


def stored_name(names: list[str]) -> str:
    """The upload's name as listed: the base names, cut to the column with an ellipsis (the extension kept)."""
    name = ", ".join(Path(n).name for n in names)
    if len(name) <= NAME_SIZE:
        return name
    suffix = Path(name).suffix[:10]
    return name[: NAME_SIZE - len(suffix) - 1] + "…" + suffix


def _bundle(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """One stored blob per upload: a ZIP as sent, or the CSV files zipped together."""
    name = stored_name([n for n, _data in files])
    if len(files) == 1 and files[0][0].lower().endswith(".zip"):
        return files[0][1], name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files:
            archive.writestr(Path(member).name[:NAME_SIZE], data)
    return buffer.getvalue(), name


def _too_large(size: int) -> Invalid:
    return Invalid(
        {
            "files": _(
                "The upload is %(size)s; the limit is %(limit)s.",
                size=megabytes(size),
                limit=megabytes(upload_limit()),
            )
        }
    )


def _check_kinds(files: list[tuple[str, bytes]]) -> None:
    for name, data in files:
        lower = name.lower()
        if lower.endswith(".zip") and data[:4] == b"PK\x03\x04":
            continue
        if lower.endswith(".csv") and b"\x00" not in data[:4096]:
            try:
                data[:4096].decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                if exc.start < 4090:  # a multi-byte character cut at the end of the sample is fine
                    raise Invalid({"files": _("%(name)s is not a CSV text file.", name=Path(name).name)}) from None
            continue
        raise Invalid({"files": _("%(name)s is not a ZIP or CSV file.", name=Path(name).name)})


def store_upload(actor, files: list[tuple[str, bytes]], *, raw_limit: bool = True) -> OneRosterImport:
    """District admins and the CLI: check and store the files as a new import (status validating), flushed, not
    committed. Invalid (field `files`) for a missing, too large, or not ZIP/CSV upload. `raw_limit=False` (the
    CLI, whose folder of CSVs is zipped here) checks only the stored ZIP against the upload limit."""
    require(actor)
    files = [(name or "", data) for name, data in files if name]
    if not files:
        raise Invalid({"files": _("Choose the OneRoster ZIP file, or its CSV files, to import.")})
    total = sum(len(data) for _name, data in files)
    if raw_limit and total > upload_limit():
        raise _too_large(total)
    _check_kinds(files)
    blob, file_name = _bundle(files)
    if len(blob) > upload_limit():
        raise _too_large(len(blob))
    record = OneRosterImport(
        district_id=actor.district_id,
        user_id=getattr(actor, "id", None),
        status="validating",
        file_key=put_bytes(blob),
        file_name=file_name,
        errors=[],
    )
    db.session.add(record)
    db.session.flush()
    return record


def upload_import(actor, files: list[tuple[str, bytes]]) -> OneRosterImport:
    """District admins: store the upload and start its validation job. Invalid as `store_upload`."""
    record = store_upload(actor, files)
    run = start_job(
        actor, "oneroster.validate", "jobs.oneroster.validate_import", record.id, actor.id, total=VALIDATE_STEPS
    )
    record.validate_run_id = run.id
    db.session.commit()
    return record


def get_import(actor, import_id: int) -> OneRosterImport:
    """One import of the actor's district; NotFound for another district's or without the permission."""
    require(actor)
    record = db.session.get(OneRosterImport, import_id)
    if record is None or record.district_id != actor.district_id:
        raise NotFound()
    return record


def recent_imports(actor, limit: int = 10) -> list[OneRosterImport]:
    require(actor)
    return list(db.session.scalars(select(OneRosterImport).order_by(OneRosterImport.created_at.desc()).limit(limit)))


def import_details(actor, import_id: int, page: int, per_page: int) -> dict:
    """What the import page shows: the import, its current job run, the problems grouped by kind with their
    counts, a page of the kept errors (while it has errors) or warnings, the role mapping and sign-in."""
    record = get_import(actor, import_id)
    preview = record.preview or {}
    listing = "errors" if record.status in ("invalid", "failed") else "warnings"
    kept = (record.errors if listing == "errors" else record.warnings) or []
    rows = [
        p | {"message": error_text(p)} | ({"value": ""} if p.get("code") in COUNTED else {})
        for p in kept[(page - 1) * per_page : page * per_page]
    ]
    groups = [g | {"kind": kind_text(g["code"])} for g in preview.get("problems", [])]
    run_id = record.apply_run_id if record.status in ("applying", "applied", "failed") else record.validate_run_id
    return {
        "record": record,
        "run": get_job_run(actor, run_id) if run_id else None,
        "active": record.status in ("validating", "applying"),
        "listing": listing,
        "problems": rows,
        "kept": len(kept),
        "error_total": preview.get("error_count", len(record.errors or [])),
        "warning_total": preview.get("warning_count", len(record.warnings or [])),
        "error_groups": [g for g in groups if g["level"] == "error"],
        "warning_groups": [g for g in groups if g["level"] == "warning"],
        "roles": [r | {"mapped": role_text(r["chalkline"])} for r in preview.get("roles", [])],
        "sign_in": preview.get("sign_in"),
        "roster": preview.get("set", {}),
        "has_report": bool(record.report_key),
    }


def start_apply(actor, import_id: int, acknowledged: int | None = None) -> OneRosterImport:
    """District admins: apply a validated import. Invalid unless it is ready (checked, without errors) and,
    when it has warnings, `acknowledged` is their number as the admin saw it on the page."""
    record = get_import(actor, import_id)
    if record.status != "ready":
        raise Invalid(_("Only a checked import without errors can be applied."))
    warnings = (record.preview or {}).get("warning_count", 0)
    if warnings and acknowledged != warnings:
        raise Invalid(_("The warnings have changed since the page was shown. Look at them again, then apply."))
    record.status = "applying"
    run = start_job(
        actor,
        "oneroster.apply",
        "jobs.oneroster.apply_import",
        record.id,
        actor.id,
        total=len(KEYED + PAIRED),
        dedupe_key=f"oneroster-apply-{record.id}",
    )
    record.apply_run_id = run.id
    db.session.commit()
    return record


def import_report(actor, import_id: int) -> tuple[str, Iterator[str]]:
    """District admins: (file name, CSV lines) of an applied import's report; NotFound when it has none."""
    record = get_import(actor, import_id)
    if not record.report_key:
        raise NotFound()
    return f"oneroster-import-{record.id}-report.csv", report_lines(read_bytes(record.report_key))
