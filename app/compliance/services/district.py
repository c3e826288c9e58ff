"""The end of a contract: export the whole district, then delete it.

The export is one ZIP streamed to a file: every tenant table of the district as CSV (read with a server-side cursor,
so memory stays flat), each student's record as JSON (the same registry collection as a single export), and the
files the registry names. The deletion refuses while any student of the district is held, then removes every row of
every tenant table of the district (the logs through `audit_forget_district`), the blobs only the district used, and
leaves one receipt (scope "district") with counts.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import zipstream
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import db
from app.audit import services as audit
from app.compliance.models import Deletion
from app.compliance.services.exports import collect
from app.compliance.services.holds import held_students
from app.compliance.services.registry import registry
from app.csvio import csv_lines
from app.errors import Invalid
from app.storage import services as storage

KEEP = ("districts", "deletions")  # the district row (its name is no one's personal data) and the receipts
LOGS = ("access_audit", "disclosures")  # append-only: only audit_forget_district removes their rows
# Storage keys of district files that hold student data without the registry listing them per student (the SIS
# extracts). Rich-text images are teachers' content and, being content-addressed, may be the very bytes another
# district uploaded too: they are left in storage (their rows go).
DISTRICT_FILES = (("oneroster_imports", "file_key"),)


def tenant_tables() -> list[str]:
    rows = db.session.execute(
        text(
            """
            select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind = 'r'
              and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'district_id'
                          and not a.attisdropped)
            order by 1
            """
        )
    )
    return [row[0] for row in rows]


def _student_ids() -> list[int]:
    return list(db.session.scalars(text("select distinct user_id from memberships where role = 'student'")))


def _table_csv(table: str, district_id: int):
    result = db.session.execute(
        text(f"select * from {table} where district_id = :d order by 1").execution_options(yield_per=1000),
        {"d": district_id},
    )
    header = list(result.keys())
    for line in csv_lines(header, ([_cell(v) for v in row] for row in result)):
        yield line.encode()


def _cell(value):
    if isinstance(value, dict | list):
        return json.dumps(value, default=str)
    return value


def _student_json(student_id: int):
    from app.accounts import services as accounts

    student = accounts.get_user(student_id)
    tables, _people = collect(student, None)
    yield json.dumps(
        {"student_id": student_id, "tables": {t.entry.table: t.rows for t in tables}}, default=str
    ).encode()


def district_zip(actor):
    """The chunks of the district's ZIP (iterate them inside the app context and the district's tenant)."""
    archive = zipstream.ZipStream(compress_type=zipstream.ZIP_DEFLATED, sized=False)
    for table in tenant_tables():
        archive.add(_table_csv(table, actor.district_id), f"tables/{table}.csv")
    for student_id in _student_ids():
        archive.add(_student_json(student_id), f"students/{student_id}.json")
    for key in _district_keys():
        if storage.exists(key):
            archive.add_path(str(storage.path_of(key)), f"files/{key}", compress_type=zipstream.ZIP_STORED)
    return iter(archive)


def _district_keys() -> set[str]:
    keys: set[str] = set()
    columns = [(e.table, c) for e in registry().entries for c in (*e.files, *e.copies)] + list(DISTRICT_FILES)
    for table, column in columns:
        keys |= set(db.session.scalars(text(f'select "{column}" from {table} where "{column}" is not null')))
    return keys


def delete_district(actor, confirmation: str, slug: str) -> Deletion:
    """System or district staff at contract end, with the district's slug typed. Refuses while anyone is held."""
    if (confirmation or "").strip() != slug:
        raise Invalid({"confirmation": _("Type the district's slug to confirm.")})
    held = held_students(_student_ids())
    if held:
        message = ngettext(
            "%(num)d student is held; release the hold first.",
            "%(num)d students are held; release the holds first.",
            len(held),
        )
        raise Invalid({"": message})
    keys = _district_keys()
    deletion = Deletion(district_id=actor.district_id, scope="district", basis="contract_end", status="running")
    db.session.add(deletion)
    db.session.flush()
    counts = {"audit": audit.forget_district()}
    remaining = [t for t in tenant_tables() if t not in (*KEEP, *LOGS)]
    # Foreign keys decide the order; rather than rebuild the graph, delete what can go and retry the rest.
    for _pass in range(len(remaining) + 1):
        blocked = []
        for table in remaining:
            try:
                with db.session.begin_nested():
                    done = db.session.execute(
                        text(f"delete from {table} where district_id = :d"), {"d": actor.district_id}
                    )
                if done.rowcount:
                    counts[table] = done.rowcount
            except IntegrityError:
                blocked.append(table)
        if not blocked:
            break
        remaining = blocked
    else:
        raise RuntimeError(f"could not delete {remaining}")
    files = sum(1 for key in keys if storage.delete(key))
    deletion.status, deletion.finished_at = "done", datetime.now(UTC)
    deletion.receipt = {"rows": counts, "files": files, "basis": "contract_end", "scope": "district"}
    db.session.commit()
    return deletion
