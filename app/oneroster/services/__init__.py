"""OneRoster 1.1 CSV import and export for a district.

Upload -> a validate job checks everything and stores a preview (nothing written) -> an apply job writes
the whole set in one transaction, or nothing. The CLI runs the same steps in-process. Every function takes
the acting user first and raises NotFound (also for a user without the permission) or Invalid.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.jobruns.services import get_job_run, start_job
from app.oneroster.models import OneRosterImport
from app.oneroster.policy import can_import_rosters
from app.oneroster.services import export as exporter
from app.oneroster.services.apply import apply_plan
from app.oneroster.services.messages import ENTITIES, error_line, error_text, preview_lines
from app.oneroster.services.parse import RosterSet, files_from_path, files_from_zip, parse_files
from app.oneroster.services.validate import KEYED, PAIRED, Plan, build_plan
from app.storage.services import put_bytes, read_bytes

__all__ = [
    "ENTITIES",
    "JOB_KINDS",
    "apply_import",
    "apply_path",
    "check_path",
    "error_line",
    "error_text",
    "export_roster",
    "export_zip",
    "get_import",
    "import_details",
    "import_errors",
    "preview_lines",
    "recent_imports",
    "start_apply",
    "upload_import",
    "validate_import",
]
JOB_KINDS = {
    "oneroster.validate": _l("Checking a roster import"),
    "oneroster.apply": _l("Applying a roster import"),
}
# Errors kept per import: enough to fix a file, small enough for one JSONB value.
ERRORS_KEPT = 1000
VALIDATE_STEPS = 3


def _require(actor) -> None:
    if not can_import_rosters(actor):
        raise NotFound()


def _limit() -> int:
    return int(current_app.config["MAX_CONTENT_LENGTH"] or 16 * 1024 * 1024)


def _megabytes(size: int) -> str:
    return _("%(size)s MB", size=f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip("."))


def _bundle(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """One stored blob per upload: a ZIP as sent, or the CSV files zipped together."""
    if len(files) == 1 and files[0][0].lower().endswith(".zip"):
        return files[0][1], files[0][0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(Path(name).name, data)
    return buffer.getvalue(), ", ".join(Path(name).name for name, _data in files)[:255]


def upload_import(actor, files: list[tuple[str, bytes]]) -> OneRosterImport:
    """District admins: store the upload and start its validation. Invalid (field `files`) for a missing,
    too large, or not ZIP/CSV upload."""
    _require(actor)
    files = [(name or "", data) for name, data in files if name]
    if not files:
        raise Invalid({"files": _("Choose the OneRoster ZIP file, or its CSV files, to import.")})
    total = sum(len(data) for _name, data in files)
    if total > _limit():
        raise Invalid(
            {
                "files": _(
                    "The upload is %(size)s; the limit is %(limit)s.",
                    size=_megabytes(total),
                    limit=_megabytes(_limit()),
                )
            }
        )
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
    blob, file_name = _bundle(files)
    record = OneRosterImport(
        district_id=actor.district_id,
        user_id=actor.id,
        status="validating",
        file_key=put_bytes(blob),
        file_name=file_name,
        errors=[],
    )
    db.session.add(record)
    db.session.flush()
    run = start_job(
        actor, "oneroster.validate", "jobs.oneroster.validate_import", record.id, actor.id, total=VALIDATE_STEPS
    )
    record.validate_run_id = run.id
    db.session.commit()
    return record


def get_import(actor, import_id: int) -> OneRosterImport:
    """One import of the actor's district; NotFound for another district's or without the permission."""
    _require(actor)
    record = db.session.get(OneRosterImport, import_id)
    if record is None or record.district_id != actor.district_id:
        raise NotFound()
    return record


def recent_imports(actor, limit: int = 10) -> list[OneRosterImport]:
    _require(actor)
    return list(db.session.scalars(select(OneRosterImport).order_by(OneRosterImport.created_at.desc()).limit(limit)))


def import_errors(actor, import_id: int, page: int, per_page: int) -> tuple[list[dict], int]:
    """A page of an import's errors, each with its `message`, and how many were found in all."""
    record = get_import(actor, import_id)
    errors = record.errors or []
    rows = [e | {"message": error_text(e)} for e in errors[(page - 1) * per_page : page * per_page]]
    return rows, (record.preview or {}).get("error_count", len(errors))


def import_details(actor, import_id: int, page: int, per_page: int) -> dict:
    """What the import page shows: the import, its current job run, a page of errors and the totals."""
    record = get_import(actor, import_id)
    errors, total = import_errors(actor, import_id, page, per_page)
    run_id = record.apply_run_id if record.status in ("applying", "applied", "failed") else record.validate_run_id
    return {
        "record": record,
        "run": get_job_run(actor, run_id) if run_id else None,
        "active": record.status in ("validating", "applying"),
        "errors": errors,
        "error_total": total,
        "kept": len(record.errors or []),
    }


def start_apply(actor, import_id: int) -> OneRosterImport:
    """District admins: apply a validated import. Invalid unless it is ready (checked, without errors)."""
    record = get_import(actor, import_id)
    if record.status != "ready":
        raise Invalid(_("Only a checked import without errors can be applied."))
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


def _check(district_id: int, files: dict[str, bytes] | None, set_: RosterSet | None = None) -> tuple[RosterSet, Plan]:
    set_ = set_ or parse_files(files or {})
    # Row errors do not stop the cross-file checks: one pass reports everything there is to fix.
    plan = build_plan(set_, district_id) if files is not None else Plan()
    return set_, plan


def _stored_files(record: OneRosterImport) -> tuple[dict[str, bytes] | None, RosterSet]:
    problems = RosterSet()
    try:
        return files_from_zip(read_bytes(record.file_key), _limit()), problems
    except ValueError as exc:
        problems.error(str(exc), "", None, "", "", _megabytes(_limit()))
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


def _counts(preview: dict) -> dict:
    return {e: {k: v[k] for k in ("create", "update", "deactivate")} for e, v in preview.items() if e in ENTITIES}


def apply_import(actor, import_id: int, progress=None) -> dict:
    """The apply job: check again, then write everything in one transaction; on failure nothing is changed."""
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
        record_event(actor, "roster.imported", "oneroster_import", record.id, counts=_counts(plan.preview))
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
    return {"status": "applied", "counts": _counts(plan.preview)}


def check_path(actor, path: Path) -> tuple[list[dict], dict]:
    """The CLI's dry run: (errors, preview) for a ZIP, one CSV or a directory of CSVs."""
    _require(actor)
    try:
        files = files_from_path(path, _limit())
    except ValueError as exc:
        problems = RosterSet()
        problems.error(str(exc), path.name, None, "", "", _megabytes(_limit()))
        return problems.errors, {}
    set_, plan = _check(actor.district_id, files)
    return set_.errors, plan.preview


def apply_path(actor, path: Path) -> tuple[list[dict], dict]:
    """The CLI's import: check, then write all or nothing and commit. Returns (errors, preview)."""
    _require(actor)
    files = files_from_path(path, _limit())
    set_, plan = _check(actor.district_id, files)
    if set_.errors:
        return set_.errors, {}
    try:
        apply_plan(plan, actor.district_id)
        record_event(actor, "roster.imported", "oneroster_import", None, counts=_counts(plan.preview))
        db.session.commit()
    except DBAPIError as exc:
        db.session.rollback()
        return [{"code": "apply_failed", "file": "", "line": None, "value": _first_line(exc)}], {}
    return [], plan.preview


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).splitlines()[0][:300]


def export_roster(actor, directory: Path) -> list[Path]:
    """District admins and the CLI: write the district's OneRoster files into `directory` (made if missing)."""
    _require(actor)
    directory.mkdir(parents=True, exist_ok=True)
    files = exporter.render_files(actor.district_id)
    db.session.commit()  # the sourcedIds stamped on records made in Chalkline
    paths = []
    for name, data in files.items():
        (directory / name).write_bytes(data)
        paths.append(directory / name)
    return paths


def export_zip(actor) -> bytes:
    """The same files as one ZIP, for a download."""
    _require(actor)
    files = exporter.render_files(actor.district_id)
    db.session.commit()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def import_count(actor) -> int:
    _require(actor)
    return db.session.scalar(select(func.count()).select_from(OneRosterImport)) or 0
