"""The export of one student's complete record: one ZIP with JSON for machines, a CSV per table, a PDF summary
for people (in the requester's locale) and the student's files, built from the data registry so that a new table
with student data cannot be left out.

Other people are redacted (99.12): a column that holds a person's id shows the student, the requester and school
staff by name, another student as "another student" and another guardian by name only (no contact details ever
leave with the export). The ZIP is streamed (zipstream-ng) into storage, so memory stays flat with gigabytes of
files; the requester downloads it through a signed link that expires.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import zipstream
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, text

from app import db
from app.accounts import services as accounts
from app.compliance.models import RecordsRequest
from app.compliance.services.registry import Entry, registry
from app.compliance.services.requests import create_request, get_own_request, notify_requester
from app.csvio import csv_lines
from app.errors import NotFound
from app.events.services import record_event
from app.jobruns import services as runs
from app.storage import services as storage

EXPORT_DAYS = 7
STAFF_ROLES = ("district_admin", "school_admin", "teacher")
SALT = "records-export"


class LinkInvalid(Exception):
    """A tampered link, another person's link, or a link to a copy that was replaced."""


class LinkExpired(Exception):
    """A genuine link whose time is up."""


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


class People:
    """Labels for the people a record mentions, redacted by who they are to the student and the requester."""

    def __init__(self, student_id: int, requester_id: int | None):
        self.student_id, self.requester_id = student_id, requester_id
        self.labels: dict[int, str] = {}

    def load(self, ids) -> None:
        ids = {i for i in ids if isinstance(i, int) and i not in self.labels}
        if not ids:
            return
        rows = db.session.execute(
            text(
                "select u.id, u.display_name, array_agg(m.role) as roles from users u"
                " left join memberships m on m.user_id = u.id where u.id = any(:ids) group by u.id, u.display_name"
            ),
            {"ids": list(ids)},
        ).all()
        for user_id, name, roles in rows:
            roles = {r for r in roles or () if r}
            if user_id in (self.student_id, self.requester_id) or roles & set(STAFF_ROLES):
                self.labels[user_id] = name
            elif "student" in roles:
                self.labels[user_id] = _("another student")
            else:
                self.labels[user_id] = name  # another guardian: the name, never the contact details
        for missing in ids - set(self.labels):
            self.labels[missing] = _("someone")

    def label(self, user_id) -> str | None:
        return None if user_id is None else self.labels.get(user_id, _("someone"))


@dataclass(frozen=True)
class TableRows:
    entry: Entry
    columns: list[str]
    rows: list[dict]


def student_params(student) -> dict:
    return {"student_id": student.id, "email": student.email or None, "name": student.display_name or None}


def exported_columns(entry: Entry) -> list[str]:
    return [c for c in entry.columns if c not in entry.secret and c != "district_id"]


def collect(student, requester_id: int | None) -> tuple[list[TableRows], People]:
    """Every exported table's rows for the student, people columns redacted, in registry order."""
    people = People(student.id, requester_id)
    found = []
    params = student_params(student)
    for entry in registry().entries:
        if entry.export != "rows":
            continue
        columns = exported_columns(entry)
        select_list = ", ".join(f'"{c}"' for c in columns)
        rows = [
            dict(row._mapping)
            for row in db.session.execute(
                text(f"select {select_list} from {entry.table} where {entry.condition} order by 1"), params
            )
        ]
        people.load(row[c] for row in rows for c in entry.people)
        for row in rows:
            for column in entry.people:
                row[column] = people.label(row[column])
        found.append(TableRows(entry, columns, [{k: _plain(v) for k, v in row.items()} for row in rows]))
    return found, people


def _files_of(tables: list[TableRows]) -> list[tuple[str, str]]:
    """(name in the ZIP, storage key) of every file column the registry names, for files that exist."""
    files = []
    for table in tables:
        for row in table.rows:
            for column in table.entry.files:
                key = row.get(column)
                if key and storage.exists(key):
                    files.append((f"files/{table.entry.table}/{row.get('id', 'x')}-{column}", key))
    return files


def summary_pdf(student, tables: list[TableRows], locale: str) -> bytes:
    """The PDF for people, in the requester's locale (rendered in a worker: WeasyPrint holds the document)."""
    from weasyprint import HTML

    with force_locale(locale or "en"):
        html = render_template(
            "compliance/export/summary.html",
            student=student,
            tables=tables,
            exported_at=datetime.now(UTC),
        )
    return HTML(string=html).write_pdf()


def _csv_bytes(table: TableRows):
    # A generator of its own per table: the ZIP reads it later, after the loop that added it has moved on.
    for line in csv_lines(table.columns, ([row[c] for c in table.columns] for row in table.rows)):
        yield line.encode()


def write_zip(student, tables: list[TableRows], locale: str, progress=None) -> tuple[str, int]:
    """Stream the ZIP into storage; returns (key, size)."""
    archive = zipstream.ZipStream(compress_type=zipstream.ZIP_DEFLATED, sized=False)
    record = {
        "exported_at": datetime.now(UTC).isoformat(),
        "student_id": student.id,
        "tables": {t.entry.table: t.rows for t in tables},
    }
    archive.add(json.dumps(record, ensure_ascii=False, indent=1, default=str).encode(), "record.json")
    for table in tables:
        archive.add(_csv_bytes(table), f"csv/{table.entry.table}.csv")
    archive.add(summary_pdf(student, tables, locale), "summary.pdf")
    files = _files_of(tables)
    for name, key in files:
        # Stored, not deflated: students' files (photos, PDFs, documents) are compressed already, and deflating a
        # gigabyte would cost the job most of its time for nothing.
        archive.add_path(str(storage.path_of(key)), name, compress_type=zipstream.ZIP_STORED)
    if progress:
        progress(2, 3, _("Writing the archive"))
    return storage.put_chunks(iter(archive))


def start_export(actor, request: RecordsRequest):
    """Start the export job for a copy (or an inspection) request, for the requester or a records staff member."""
    request.status = "in_progress"
    run = runs.start_job(
        actor,
        "records.export",
        "jobs.compliance.export_record",
        request.id,
        queue="exports",
        total=3,
    )
    request.export_run_id = run.id
    return run


def build_export(actor, request_id: int, progress=None) -> dict:
    """The job: build the requester's ZIP and make the request ready. Rerun safely: a rerun builds a fresh copy
    and replaces the previous one (whose link stops working)."""
    request = db.scoped_get(actor, RecordsRequest, request_id)
    if request is None:
        raise NotFound()
    student = accounts.get_user(request.student_id)
    if student is None:
        raise NotFound()
    if progress:
        progress(0, 3, _("Collecting the record"))
    tables, _people = collect(student, request.requester_id)
    if progress:
        progress(1, 3, _("Writing the summary"))
    old = request.export_key
    key, size = write_zip(student, tables, request.locale, progress)
    request.export_key, request.export_size = key, size
    request.export_expires_at = datetime.now(UTC) + timedelta(days=EXPORT_DAYS)
    request.status = "ready"
    record_event(actor, "records_request.exported", "records_request", request.id, size=size)
    notify_requester(request)
    db.session.commit()
    if progress:
        progress(3, 3, _("Ready to download"))
    if old and old != key:
        storage.delete(old)
    return {"request_id": request.id, "size": size, "rows": sum(len(t.rows) for t in tables)}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def download_token(request: RecordsRequest) -> str:
    return _serializer().dumps({"r": request.id, "u": request.requester_id, "k": (request.export_key or "")[:16]})


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str


def open_download(actor, request_id: int, token: str) -> Download:
    """The signed-in requester with a valid, unexpired link to the current copy; LinkInvalid or LinkExpired."""
    try:
        data = _serializer().loads(token, max_age=EXPORT_DAYS * 86400)
    except SignatureExpired:
        raise LinkExpired() from None
    except BadSignature:
        raise LinkInvalid() from None
    if not isinstance(data, dict) or data.get("r") != request_id or data.get("u") != actor.id:
        raise LinkInvalid()
    try:
        request = get_own_request(actor, request_id)
    except NotFound:
        raise LinkInvalid() from None
    if request.status == "expired" or (request.export_expires_at and request.export_expires_at < datetime.now(UTC)):
        raise LinkExpired()
    if not request.export_key or data.get("k") != request.export_key[:16]:
        raise LinkInvalid()
    if not storage.exists(request.export_key):
        raise LinkExpired()
    return Download(storage.path_of(request.export_key), f"record-{request.id}.zip")


def expire_exports(now: datetime | None = None) -> int:
    """Periodic, per district: copies past their time are removed from storage and their requests marked expired."""
    now = now or datetime.now(UTC)
    stale = list(
        db.session.scalars(
            select(RecordsRequest).where(RecordsRequest.export_expires_at < now, RecordsRequest.export_key.is_not(None))
        )
    )
    for request in stale:
        storage.delete(request.export_key)
        request.export_key, request.export_size = None, None
        if request.status == "ready":
            request.status, request.closed_at = "expired", now
    db.session.commit()
    return len(stale)


def submit_request(
    actor, student_id: int, kind: str, details: str = "", record_part: str = "", locale: str | None = None
) -> RecordsRequest:
    """A parent or eligible student asks; a copy is prepared at once (a job), the rest waits for staff.
    NotFound for a student they may not request for, Invalid for bad input."""
    request = create_request(actor, student_id, kind, details, record_part, locale)
    if kind == "copy":
        start_export(actor, request)
        db.session.commit()
    return request


@dataclass(frozen=True)
class RequesterView:
    request: RecordsRequest
    student_name: str
    run: object | None
    token: str | None

    @property
    def is_working(self) -> bool:
        return bool(self.run is not None and self.run.is_active)


def requester_view(actor, request_id: int) -> RequesterView:
    """The requester's own request, its export job and (when ready) the download token; NotFound otherwise."""
    request = get_own_request(actor, request_id)
    run = runs.get_run_of(actor, request.export_run_id)
    names = accounts.names_by_id([request.student_id])
    ready = request.status == "ready" and request.export_key is not None
    return RequesterView(request, names.get(request.student_id, ""), run, download_token(request) if ready else None)
