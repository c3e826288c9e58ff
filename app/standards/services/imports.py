"""Standards imports, the one pipeline's shape (as OneRoster's): store the upload, a validate job checks it into a
preview (nothing written), an apply job writes it in one transaction, or nothing; the CLI runs the same steps
in-process on an import record of its own.

Every function takes the acting user first and raises NotFound (also for a user without the permission) or
Invalid.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.jobruns.services import get_job_run, start_job
from app.standards.models import StandardImport
from app.standards.policy import can_manage_standards
from app.standards.services.apply import apply_plan
from app.standards.services.case import parse_case
from app.standards.services.csvfile import parse_csv
from app.standards.services.messages import problem_text
from app.standards.services.parsed import MAX_PACKAGE_BYTES, ParsedFramework
from app.standards.services.plan import build_plan, preview_of
from app.storage.services import put_bytes, read_bytes

VALIDATE_STEPS = 3
APPLY_STEPS = 3
NAME_SIZE = 255


def require(actor) -> None:
    if not can_manage_standards(actor):
        raise NotFound()


def kind_of(name: str, data: bytes) -> str | None:
    """case (JSON) or csv, from the name and the first bytes; None for anything else."""
    lower = (name or "").lower()
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.endswith(".json") or start[:1] == b"{":
        return "case"
    if lower.endswith((".csv", ".txt")) and b"\x00" not in data[:4096]:
        return "csv"
    return None


def store_upload(actor, name: str, data: bytes, framework_name: str | None = None) -> StandardImport:
    """District admins and the CLI: check and store the file as a new import (status validating), flushed, not
    committed. Invalid (field `file`, or `framework_name` for a CSV without one)."""
    require(actor)
    if not name or not data:
        raise Invalid({"file": _("Choose the CASE package (JSON) or CSV file to import.")})
    if len(data) > MAX_PACKAGE_BYTES:
        raise Invalid({"file": _("The file is larger than the limit of %(limit)s MB.", limit=50)})
    kind = kind_of(name, data)
    if kind is None:
        raise Invalid({"file": _("Upload a CASE 1.0 package (a .json file) or a CSV file.")})
    framework_name = " ".join((framework_name or "").split())[:500] or None
    if kind == "csv" and not framework_name:
        raise Invalid({"framework_name": _("Name the framework this spreadsheet holds.")})
    record = StandardImport(
        district_id=actor.district_id,
        user_id=getattr(actor, "id", None),
        status="validating",
        kind=kind,
        file_key=put_bytes(data),
        file_name=Path(name).name[:NAME_SIZE],
        framework_name=framework_name if kind == "csv" else None,
        errors=[],
        warnings=[],
    )
    db.session.add(record)
    db.session.flush()
    return record


def upload_import(actor, name: str, data: bytes, framework_name: str | None = None) -> StandardImport:
    """District admins: store the upload and start its validation job. Invalid as `store_upload`."""
    record = store_upload(actor, name, data, framework_name)
    run = start_job(
        actor, "standards.validate", "jobs.standards.validate_import", record.id, actor.id, total=VALIDATE_STEPS
    )
    record.validate_run_id = run.id
    db.session.commit()
    return record


def get_import(actor, import_id: int) -> StandardImport:
    """One import of the actor's district; NotFound for another district's or without the permission."""
    require(actor)
    record = db.scoped_get(actor, StandardImport, import_id)
    if record is None:
        raise NotFound()
    return record


def recent_imports(actor, limit: int = 10) -> list[StandardImport]:
    require(actor)
    return list(db.session.scalars(select(StandardImport).order_by(StandardImport.created_at.desc()).limit(limit)))


def _parse(record: StandardImport) -> ParsedFramework:
    data = read_bytes(record.file_key)
    return parse_case(data) if record.kind == "case" else parse_csv(data, record.framework_name or "")


def _keep(record: StandardImport, parsed: ParsedFramework, preview: dict | None) -> None:
    problems = parsed.problems
    record.errors, record.warnings = problems.errors, problems.warnings
    record.preview = (preview or {}) | {"error_count": problems.error_count, "warning_count": problems.warning_count}


def validate_import(actor, import_id: int, progress=None) -> dict:
    """The validate job: parse and compare with the district's frameworks; store problems and the preview."""
    record = get_import(actor, import_id)
    if progress:
        progress(1, VALIDATE_STEPS)
    parsed = _parse(record)
    preview = None if parsed.problems.error_count else preview_of(build_plan(parsed))
    if progress:
        progress(2, VALIDATE_STEPS)
    _keep(record, parsed, preview)
    record.status = "invalid" if parsed.problems.error_count else "ready"
    db.session.commit()
    return {"status": record.status, "errors": parsed.problems.error_count, "warnings": parsed.problems.warning_count}


def start_apply(actor, import_id: int, acknowledged: int | None = None) -> StandardImport:
    """District admins: apply a checked import. Invalid unless it is ready and, when it has warnings,
    `acknowledged` is their number as the admin saw it."""
    record = get_import(actor, import_id)
    if record.status != "ready":
        raise Invalid(_("Only a checked import without errors can be applied."))
    warnings = (record.preview or {}).get("warning_count", 0)
    if warnings and acknowledged != warnings:
        raise Invalid(_("The warnings have changed since the page was shown. Look at them again, then apply."))
    record.status = "applying"
    run = start_job(
        actor,
        "standards.apply",
        "jobs.standards.apply_import",
        record.id,
        actor.id,
        total=APPLY_STEPS,
        dedupe_key=f"standards-apply-{record.id}",
    )
    record.apply_run_id = run.id
    db.session.commit()
    return record


def apply_import(actor, import_id: int, progress=None) -> dict:
    """The apply job: parse and plan again against the database as it is now, then write it all in one
    transaction with its events; on failure nothing is changed, the import is marked failed and the exception
    re-raised (the job runner records it). A retried job finds its work done."""
    record = get_import(actor, import_id)
    if record.status == "applied":
        return {"status": "applied"}
    parsed = _parse(record)
    if progress:
        progress(1, APPLY_STEPS)
    if parsed.problems.error_count:
        _keep(record, parsed, None)
        record.status = "invalid"
        db.session.commit()
        return {"status": "invalid", "errors": parsed.problems.error_count}
    try:
        plan = build_plan(parsed)
        preview = preview_of(plan)
        framework, retired = apply_plan(plan, actor.district_id)
        if progress:
            progress(2, APPLY_STEPS)
        counts = preview["items"]
        record_event(
            actor, "standards.imported", "standard_framework", framework.id, import_id=record.id, counts=counts
        )
        codes = {e.id: e.code for e in plan.existing.values()}
        replaced = {plan.existing[old].id: new for old, new in parsed.replacements.items() if old in plan.existing}
        for standard_id in retired:
            record_event(
                actor,
                "standard.retired",
                "standard",
                standard_id,
                framework_id=framework.id,
                code=codes.get(standard_id),
                replaced_by=replaced.get(standard_id),
            )
        record = get_import(actor, import_id)
        _keep(record, parsed, preview)
        record.framework_id = framework.id
        record.status, record.applied_at = "applied", datetime.now(UTC)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        record = get_import(actor, import_id)
        record.status = "failed"
        record.errors = [{"code": "apply_failed", "value": str(getattr(exc, "orig", exc)).splitlines()[0][:300]}]
        db.session.commit()
        raise
    return {"status": "applied", "framework_id": framework.id, "counts": counts}


def import_path(actor, path: Path, framework_name: str | None = None, apply: bool = False) -> StandardImport:
    """The CLI: the file becomes an import record, checked in-process; with `apply`, a ready import is written
    (warnings included: the CLI printed them). Invalid as `store_upload`; NotFound without the permission."""
    name = framework_name or (path.stem.replace("_", " ").replace("-", " ") if path.suffix.lower() != ".json" else None)
    return import_data(actor, path.name, path.read_bytes(), name, apply=apply)


def import_data(actor, name: str, data: bytes, framework_name: str | None = None, apply: bool = False):
    """The CLI and the seed: one file checked in-process as an import record, and applied when `apply` and it
    has no errors. Invalid as `store_upload`; NotFound without the permission."""
    require(actor)
    record = store_upload(actor, name, data, framework_name)
    db.session.commit()
    validate_import(actor, record.id)
    record = get_import(actor, record.id)
    if apply and record.status == "ready":
        record.status = "applying"
        db.session.commit()
        with contextlib.suppress(Exception):  # apply_import marked the import failed and kept its error
            apply_import(actor, record.id)
        record = get_import(actor, record.id)
    return record


def import_details(actor, import_id: int) -> dict:
    """What the import page shows: the import, its job run, its problems worded, the preview."""
    record = get_import(actor, import_id)
    preview = record.preview or {}
    listing = "errors" if record.status in ("invalid", "failed") else "warnings"
    kept = (record.errors if listing == "errors" else record.warnings) or []
    run_id = record.apply_run_id if record.status in ("applying", "applied", "failed") else record.validate_run_id
    return {
        "record": record,
        "run": get_job_run(actor, run_id) if run_id else None,
        "active": record.status in ("validating", "applying"),
        "listing": listing,
        "problems": [p | {"message": problem_text(p)} for p in kept],
        "error_total": preview.get("error_count", len(record.errors or [])),
        "warning_total": preview.get("warning_count", len(record.warnings or [])),
        "preview": preview,
    }
