"""The import pipeline: check a stored upload into a preview, then write it all or nothing.

The validate and apply jobs run these for the pages; the CLI runs the very same functions in-process on an
import record of its own, so every import (and every `roster.imported` event) has a record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from app import db
from app.events.services import record_event
from app.oneroster.models import OneRosterImport
from app.oneroster.services.apply import apply_plan
from app.oneroster.services.imports import VALIDATE_STEPS, get_import, megabytes, require, store_upload, upload_limit
from app.oneroster.services.messages import ENTITIES
from app.oneroster.services.parse import RosterSet, files_from_path, files_from_zip, parse_files
from app.oneroster.services.validate import Plan, build_plan
from app.storage.services import read_bytes

# Errors kept per import: enough to fix a file, small enough for one JSONB value.
ERRORS_KEPT = 1000


def _check(district_id: int, files: dict[str, bytes] | None, set_: RosterSet | None = None) -> tuple[RosterSet, Plan]:
    set_ = set_ or parse_files(files or {})
    # Row errors do not stop the cross-file checks: one pass reports everything there is to fix.
    plan = build_plan(set_, district_id) if files is not None else Plan()
    return set_, plan


def _stored_files(record: OneRosterImport) -> tuple[dict[str, bytes] | None, RosterSet]:
    problems = RosterSet()
    try:
        return files_from_zip(read_bytes(record.file_key), upload_limit()), problems
    except ValueError as exc:
        problems.error(str(exc), "", None, "", "", megabytes(upload_limit()))
        return None, problems


def validate_import(actor, import_id: int, progress=None) -> dict:
    """The validate job: parse and check everything, store errors or the preview. Writes no roster data."""
    record = get_import(actor, import_id)
    files, problems = _stored_files(record)
    if progress:
        progress(1, VALIDATE_STEPS)
    set_, plan = _check(actor.district_id, files, problems if files is None else None)
    if progress:
        progress(2, VALIDATE_STEPS)
    record = get_import(actor, import_id)
    record.errors = set_.errors[:ERRORS_KEPT]
    record.preview = (plan.preview or {}) | {"error_count": len(set_.errors)}
    record.status = "invalid" if set_.errors else "ready"
    db.session.commit()
    return {"status": record.status, "errors": len(set_.errors)}


def counts(preview: dict) -> dict:
    return {e: {k: v[k] for k in ("create", "update", "deactivate")} for e, v in preview.items() if e in ENTITIES}


def apply_import(actor, import_id: int, progress=None) -> dict:
    """The apply job: check again, then write everything in one transaction; on failure nothing is changed,
    the import is marked failed and the exception re-raised (the job runner records it)."""
    record = get_import(actor, import_id)
    if record.status == "applied":
        return {"status": "applied"}  # a retried job finds its work done
    files, problems = _stored_files(record)
    set_, plan = _check(actor.district_id, files, problems if files is None else None)
    if set_.errors:
        record.status, record.errors = "invalid", set_.errors[:ERRORS_KEPT]
        record.preview = {"error_count": len(set_.errors)}
        db.session.commit()
        return {"status": "invalid", "errors": len(set_.errors)}
    try:
        apply_plan(plan, actor.district_id)
        record_event(actor, "roster.imported", "oneroster_import", record.id, counts=counts(plan.preview))
        record.status, record.applied_at = "applied", datetime.now(UTC)
        record.preview = plan.preview | {"error_count": 0}
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        record = get_import(actor, import_id)
        record.status = "failed"
        record.errors = [{"code": "apply_failed", "value": _first_line(exc)}]
        db.session.commit()
        raise
    return {"status": "applied", "counts": counts(plan.preview)}


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).splitlines()[0][:300]


def import_path(actor, path: Path, apply: bool = False) -> OneRosterImport:
    """The CLI: a ZIP, one CSV or a directory of CSVs becomes an import record, checked in-process; with
    `apply`, a ready import is then written (a failed write leaves the record failed, nothing changed).
    Invalid as `store_upload`; NotFound without the permission."""
    require(actor)
    files = files_from_path(path)
    record = store_upload(actor, files, raw_limit=False)
    db.session.commit()
    validate_import(actor, record.id)
    record = get_import(actor, record.id)
    if apply and record.status == "ready":
        record.status = "applying"
        db.session.commit()
        try:
            apply_import(actor, record.id)
        except DBAPIError:
            pass  # apply_import marked the import failed and kept its error
        record = get_import(actor, record.id)
    return record
