"""The import pipeline: check a stored upload into a preview, then write it all or nothing, with a report.

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
from app.oneroster.services.imports import VALIDATE_STEPS, get_import, require, store_upload, upload_limit
from app.oneroster.services.messages import ENTITIES
from app.oneroster.services.parse import RosterSet, open_set
from app.oneroster.services.report import write_report
from app.oneroster.services.source import files_from_path
from app.oneroster.services.validate import Plan, build_plan
from app.storage.services import put_bytes, read_bytes


def _check(district_id: int, record: OneRosterImport) -> tuple[RosterSet, Plan]:
    # Problems do not stop the checks: one pass reports everything there is to fix.
    set_ = open_set(read_bytes(record.file_key), upload_limit())
    return set_, build_plan(set_, district_id)


def _keep(record: OneRosterImport, set_: RosterSet, plan: Plan) -> None:
    """Store what the check found on the import: kept problems, counts per kind, and the preview."""
    problems = set_.problems
    record.errors, record.warnings = problems.errors, problems.warnings
    record.preview = (plan.preview or {}) | {
        "error_count": problems.error_count,
        "warning_count": problems.warning_count,
        "problems": problems.summary(),
        "set": {"version": set_.version, "system": set_.system, "modes": set_.modes, "manifest": set_.manifest},
    }


def validate_import(actor, import_id: int, progress=None) -> dict:
    """The validate job: parse and check everything, store problems and the preview. Writes no roster data."""
    record = get_import(actor, import_id)
    if progress:
        progress(1, VALIDATE_STEPS)
    set_, plan = _check(actor.district_id, record)
    if progress:
        progress(2, VALIDATE_STEPS)
    record = get_import(actor, import_id)
    _keep(record, set_, plan)
    record.status = "invalid" if set_.problems.error_count else "ready"
    db.session.commit()
    return {"status": record.status, "errors": set_.problems.error_count, "warnings": set_.problems.warning_count}


def counts(preview: dict) -> dict:
    return {e: {k: v[k] for k in ("create", "update", "deactivate")} for e, v in preview.items() if e in ENTITIES}


def apply_import(actor, import_id: int, progress=None) -> dict:
    """The apply job: check again, then write everything in one transaction with its report; on failure
    nothing is changed, the import is marked failed and the exception re-raised (the job runner records it).
    Files that now give other warnings than the ones shown go back to ready, to be looked at again."""
    record = get_import(actor, import_id)
    if record.status == "applied":
        return {"status": "applied"}  # a retried job finds its work done
    shown = (record.preview or {}).get("warning_count", 0)
    set_, plan = _check(actor.district_id, record)
    problems = set_.problems
    if problems.error_count or problems.warning_count != shown:
        _keep(record, set_, plan)
        record.status = "invalid" if problems.error_count else "ready"
        db.session.commit()
        return {"status": record.status, "errors": problems.error_count, "warnings": problems.warning_count}
    try:
        record.report_key = put_bytes(write_report(plan, problems))
        apply_plan(plan, actor.district_id)
        record_event(actor, "roster.imported", "oneroster_import", record.id, counts=counts(plan.preview))
        record.status, record.applied_at = "applied", datetime.now(UTC)
        _keep(record, set_, plan)
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
    `apply`, a ready import is then written with its warnings (the CLI printed them). A failed write leaves
    the record failed and nothing changed. Invalid as `store_upload`; NotFound without the permission."""
    require(actor)
    record = store_upload(actor, files_from_path(path), raw_limit=False)
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
