"""Deletion by district policy or contract, and the scan an auditor runs afterwards.

FERPA gives no right to deletion; districts delete by state law, data-privacy agreements and their own decisions.
A deletion is asked for, approved with the student's name typed as confirmation, checked for holds (a legal hold,
an open inspection request), then run as one job in one transaction, table by table from the data registry:
the student's rows, their files and the copies (finished exports), queued mail, job results; the two logs lose the
student link. What stays is the deletion row as a receipt (what was deleted, when, by whose decision), without
personal data. Rerunning a job that died redoes everything (it is one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, text

from app import db
from app.accounts import services as accounts
from app.audit import services as audit
from app.compliance import policy
from app.compliance.models import Deletion
from app.compliance.services.holds import holds_on
from app.compliance.services.registry import registry
from app.compliance.services.students import records_student
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.jobruns import services as runs
from app.storage import services as storage

OPEN = ("pending", "approved", "running")
BASES = ("district_policy", "state_law", "contract_end", "retention")


def request_deletion(actor, student_id: int, basis: str, reason: str) -> Deletion:
    """Records staff: ask for a student's deletion. Invalid for a second open one or bad input."""
    student = records_student(actor, student_id)
    if basis not in BASES:
        raise Invalid({"basis": _("Choose the basis for the deletion.")})
    if not (reason or "").strip():
        raise Invalid({"reason": _("Say why.")})
    if db.session.scalar(select(Deletion.id).where(Deletion.student_id == student.id, Deletion.status.in_(OPEN))):
        raise Invalid({"": _("A deletion of this student is already under way.")})
    deletion = Deletion(
        district_id=actor.district_id,
        student_id=student.id,
        student_label=student.display_name,
        basis=basis,
        reason=reason.strip()[:2000],
        requested_by=getattr(actor, "id", None),
    )
    db.session.add(deletion)
    db.session.flush()
    record_event(actor, "deletion.requested", "deletion", deletion.id, basis=basis, scope="student")
    db.session.commit()
    return deletion


def get_deletion(actor, deletion_id: int) -> Deletion:
    """Records staff; NotFound otherwise."""
    if not policy.can_manage_records(actor):
        raise NotFound()
    deletion = db.scoped_get(actor, Deletion, deletion_id)
    if deletion is None:
        raise NotFound()
    return deletion


def approve_deletion(actor, deletion_id: int, confirmation: str):
    """Records staff: typed confirmation (the student's name), no holds; starts the irreversible job."""
    deletion = get_deletion(actor, deletion_id)
    if deletion.status != "pending" or deletion.student_id is None:
        raise Invalid({"": _("This deletion is not waiting for approval.")})
    if (confirmation or "").strip().casefold() != (deletion.student_label or "").strip().casefold():
        raise Invalid({"confirmation": _("Type the student's name exactly as shown.")})
    held = holds_on(deletion.student_id)
    if held:
        raise Invalid({"": _("The record is held: %(reasons)s", reasons="; ".join(held))})
    deletion.status, deletion.approved_by, deletion.approved_at = "approved", actor.id, datetime.now(UTC)
    run = runs.start_job(actor, "records.delete", "jobs.compliance.delete_record", deletion.id, total=1)
    deletion.job_run_id = run.id
    record_event(actor, "deletion.approved", "deletion", deletion.id)
    db.session.commit()
    return run


def delete_student_data(student, tables_only: set[str] | None = None) -> tuple[dict[str, int], int]:
    """Delete one student's rows and files (see delete_students_data)."""
    return delete_students_data([student], tables_only)


def _params(student) -> dict:
    return {"student_id": student.id, "email": student.email or None, "name": student.display_name or None}


def _each(entry, students, sql: str):
    """Run `sql` (with {cond}) for these students: once with all their ids, or once per student."""
    if entry.batch_condition is not None:
        yield db.session.execute(
            text(sql.format(cond=entry.batch_condition)), {"student_ids": [s.id for s in students]}
        )
    else:
        for student in students:
            yield db.session.execute(text(sql.format(cond=entry.condition)), _params(student))


def delete_students_data(students, tables_only: set[str] | None = None) -> tuple[dict[str, int], int]:
    """Delete these students' rows table by table from the registry (rows first, the person's own row last) and
    their files; without tables_only, the two logs forget them (a running deletion of each must exist). Returns
    ({table: rows}, files removed). The caller holds the transaction and checked the holds."""
    entries = [e for e in registry().entries if tables_only is None or e.table in tables_only]
    keys: set[str] = set()
    for entry in entries:
        for column in (*entry.files, *entry.copies):
            sql = f'select "{column}" from {entry.table} where ({{cond}}) and "{column}" is not null'
            for result in _each(entry, students, sql):
                keys |= set(result.scalars())
    counts: dict[str, int] = {}
    if tables_only is None:
        counts["audit"] = sum(audit.forget_student(student.id) for student in students)
    for entry in sorted(entries, key=lambda e: e.delete == "root"):  # the person's own row last
        if entry.delete not in ("rows", "root"):
            continue
        deleted = sum(result.rowcount for result in _each(entry, students, f"delete from {entry.table} where {{cond}}"))
        if deleted:
            counts[entry.table] = deleted
    removed = sum(1 for key in keys if not _still_used(key) and storage.delete(key))
    return counts, removed


def _still_used(key: str) -> bool:
    """Content-addressed storage: the same bytes may belong to another row; keep the blob then."""
    for entry in registry().entries:
        for column in (*entry.files, *entry.copies):
            if db.session.scalar(text(f'select 1 from {entry.table} where "{column}" = :k limit 1'), {"k": key}):
                return True
    return False


def run_deletion(actor, deletion_id: int, progress=None) -> dict:
    """The job: re-check holds, delete, leave the receipt. A held record is left alone and says why."""
    deletion = db.scoped_get(actor, Deletion, deletion_id)
    if deletion is None or deletion.status == "done":
        return {"status": "done" if deletion else "gone"}
    student = accounts.get_user(deletion.student_id) if deletion.student_id else None
    if student is None:
        raise NotFound()
    held = holds_on(student.id)
    if held:
        deletion.status = "pending"
        db.session.commit()
        return {"held": held}
    deletion.status = "running"
    db.session.flush()
    counts, files = delete_student_data(student)
    deletion.receipt = {"rows": counts, "files": files, "basis": deletion.basis, "approved_by": deletion.approved_by}
    deletion.student_id, deletion.student_label, deletion.reason = None, None, ""
    deletion.status, deletion.finished_at = "done", datetime.now(UTC)
    record_event(actor, "deletion.done", "deletion", deletion.id, rows=sum(counts.values()), files=files)
    db.session.commit()
    if progress:
        progress(1, 1)
    return {"deletion_id": deletion.id, "rows": sum(counts.values()), "files": files}


@dataclass(frozen=True)
class Hit:
    table: str
    column: str
    term: str
    rows: int


def scan_terms(student) -> list[str]:
    terms = [
        student.email,
        student.display_name,
        student.identifier,
        student.sourced_id,
        student.master_identifier,
        " ".join(p for p in (student.given_name, student.family_name) if p) or None,
    ]
    return [t for t in dict.fromkeys(terms) if t and len(t) >= 3]


def scan(student_id: int | None, terms: list[str]) -> list[Hit]:
    """Where the student's id (in every column that holds a person) and their name, email and identifiers (in
    every text column of every table) still appear, and in stored files. Empty after a deletion."""
    hits: list[Hit] = []
    columns = db.session.execute(
        text(
            """
            select c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
            from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
              and format_type(a.atttypid, a.atttypmod) ~ '^(text|character varying|jsonb|json)'
            order by 1, 2
            """
        )
    ).all()
    for table, column, kind in columns:
        if student_id is not None and kind.startswith("json"):
            pattern = rf'"[a-z_]*(student|user|subject|guardian|actor)_id": {student_id}[,}}]'
            found = db.session.scalar(text(f'select count(*) from {table} where "{column}"::text ~ :p'), {"p": pattern})
            if found:
                hits.append(Hit(table, column, str(student_id), found))
        for term in terms:
            found = db.session.scalar(
                text(f'select count(*) from {table} where strpos(lower("{column}"::text), lower(:t)) > 0'), {"t": term}
            )
            if found:
                hits.append(Hit(table, column, term, found))
    if student_id is not None:
        from app.compliance.services.registry import person_linked_tables

        for table, person_columns in person_linked_tables().items():
            for column in person_columns:
                query = text(f'select count(*) from {table} where "{column}" = :i')
                found = db.session.scalar(query, {"i": student_id})
                if found:
                    hits.append(Hit(table, column, str(student_id), found))
        for entry in registry().entries:
            found = db.session.scalar(
                text(f"select count(*) from {entry.table} where {entry.condition}"),
                {"student_id": student_id, "email": None, "name": None},
            )
            if found and not any(h.table == entry.table and h.term == str(student_id) for h in hits):
                hits.append(Hit(entry.table, entry.condition, str(student_id), found))
    hits += _scan_files(terms)
    return hits


def _scan_files(terms: list[str]) -> list[Hit]:
    root = Path(current_app.config["STORAGE_DIR"])
    needles = [t.lower().encode() for t in terms]
    hits = []
    overlap = max((len(n) for n in needles), default=1)
    for path in root.glob("*/*") if root.exists() else ():
        found, tail = set(), b""
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):  # a megabyte at a time: stored files may be large
                window = tail + chunk.lower()
                found |= {term for term, needle in zip(terms, needles, strict=True) if needle in window}
                tail = window[-overlap:]
        hits += [Hit("storage", path.name, term, 1) for term in sorted(found)]
    return hits
