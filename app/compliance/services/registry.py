"""The data registry: every kind of student data the platform holds, generated from the schema plus annotations.

Each table that holds a student's data says so next to its model, in `Table.info["student_data"]` (the format is
in docs/decisions/0021-records-and-privacy.md). The registry page, the export and the deletion all read these
entries, so they cannot disagree; `unannotated_tables` finds, from the database catalog, any table that links to
a person and carries no annotation (a test fails on it, so a new domain's table cannot be forgotten).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from app import db
from app.audit import services as audit
from app.compliance import policy
from app.db import Base
from app.errors import NotFound

CATEGORIES = {
    "profile": _l("Profile and directory information"),
    "enrollment": _l("Enrollment"),
    "family": _l("Family and guardians"),
    "education_record": _l("Education record"),
    "grades": _l("Grades and assessments"),
    "work": _l("Student work and files"),
    "records_request": _l("Records requests"),
    "consent": _l("Consents and opt-outs"),
    "rights": _l("Rights, holds and deletions"),
    "activity": _l("Sign-ins and activity"),
    "contact": _l("Messages sent"),
    "audit": _l("Access audit"),
    "disclosure": _l("Disclosure record"),
    "aggregate": _l("Aggregates"),
}
EXPORTS = ("rows", "none")
# rows: delete the student's rows; root: the person's own row, deleted last; forget: the append-only logs lose the
# student link (audit_forget_student); receipt: the deletion itself, kept without personal data; keep: district
# policy keeps it (aggregates without a student link), with a reason.
DELETES = ("rows", "root", "forget", "receipt", "keep")
# Columns that hold a person's id: a table with one of these, or a foreign key to users, must be annotated.
PERSON_COLUMNS = frozenset({"student_id", "user_id", "guardian_id", "learner_id", "requester_id", "member_id"})
# The whole record: a retention rule on this group deletes the student (the same job as a deletion by policy).
WHOLE_RECORD = "record"


@dataclass(frozen=True)
class Entry:
    table: str
    condition: str
    category: str
    purpose: str
    retention: str
    export: str
    delete: str
    group: str
    columns: tuple[str, ...]
    people: tuple[str, ...] = ()
    secret: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    copies: tuple[str, ...] = ()
    reason: str = ""

    @property
    def category_label(self) -> str:
        return str(CATEGORIES.get(self.category, self.category))

    @property
    def batch_condition(self) -> str | None:
        """The condition for many students at once (:student_ids), or None when it needs one person's email or
        name (then it runs once per student)."""
        if ":email" in self.condition or ":name" in self.condition:
            return None
        return self.condition.replace("= :student_id", "= any(:student_ids)")


@dataclass(frozen=True)
class Registry:
    entries: list[Entry]
    exempt: dict[str, str] = field(default_factory=dict)  # table -> why it holds no student data

    def by_table(self) -> dict[str, Entry]:
        return {entry.table: entry for entry in self.entries}

    @property
    def groups(self) -> list[str]:
        return sorted({entry.group for entry in self.entries if entry.delete == "rows"} | {WHOLE_RECORD})


class AnnotationError(ValueError):
    pass


def _tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def entry_of(table) -> Entry | None:
    """The registry entry of one SQLAlchemy Table, None for a table annotated as holding no student data.

    Raises AnnotationError for an annotation that is incomplete or names a column the table lacks."""
    spec = dict(table.info.get("student_data") or {})
    link, where = spec.pop("link", None), spec.pop("where", None)
    if link is None and where is None:
        if not spec.get("reason"):
            raise AnnotationError(f"{table.name}: an annotation without link or where needs a reason")
        return None
    columns = tuple(column.name for column in table.columns)
    missing = [
        name
        for name in (link, *_tuple(spec.get("people")), *_tuple(spec.get("files")), *_tuple(spec.get("copies")))
        if name and name not in columns
    ]
    if missing:
        raise AnnotationError(f"{table.name}: annotation names columns it lacks: {missing}")
    for key, allowed in (("category", CATEGORIES), ("export", EXPORTS), ("delete", DELETES)):
        if spec.get(key) not in allowed:
            raise AnnotationError(f"{table.name}: {key} must be one of {sorted(allowed)}, not {spec.get(key)!r}")
    if not (spec.get("purpose") and spec.get("retention")):
        raise AnnotationError(f"{table.name}: purpose and retention are required")
    if where and where.count(":student_id") != where.count("= :student_id"):
        raise AnnotationError(f"{table.name}: write the student in a where as '= :student_id'")
    if spec["delete"] == "keep" and not spec.get("reason"):
        raise AnnotationError(f"{table.name}: delete='keep' needs the policy's reason")
    return Entry(
        table=table.name,
        condition=f"{link} = :student_id" if link else f"({where})",
        category=spec["category"],
        purpose=str(spec["purpose"]),
        retention=str(spec["retention"]),
        export=spec["export"],
        delete=spec["delete"],
        group=spec.get("group", WHOLE_RECORD),
        columns=columns,
        people=_tuple(spec.get("people")),
        secret=_tuple(spec.get("secret")),
        files=_tuple(spec.get("files")),
        copies=_tuple(spec.get("copies")),
        reason=str(spec.get("reason", "")),
    )


def registry() -> Registry:
    """Every annotated table of the metadata (create_app has imported every domain's models)."""
    entries, exempt = [], {}
    for table in Base.metadata.sorted_tables:
        if "student_data" not in table.info:
            continue
        entry = entry_of(table)
        if entry is None:
            exempt[table.name] = str(table.info["student_data"]["reason"])
        else:
            entries.append(entry)
    return Registry(entries, exempt)


def person_linked_tables() -> dict[str, list[str]]:
    """From the catalog: tables with a column that holds a person's id (by name, or a foreign key to users)."""
    rows = db.session.execute(
        text(
            """
            select c.relname, a.attname
            from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
              and a.attname = any(:names)
            union
            select c.relname, a.attname
            from pg_constraint k
            join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
            where n.nspname = 'public' and k.contype = 'f' and k.confrelid = 'public.users'::regclass
              and a.attname <> 'district_id'
            """
        ),
        {"names": sorted(PERSON_COLUMNS)},
    ).all()
    linked: dict[str, list[str]] = {}
    for table, column in rows:
        linked.setdefault(table, []).append(column)
    return {table: sorted(columns) for table, columns in sorted(linked.items())}


def unannotated_tables(linked: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Tables that link to a person but carry no student_data annotation (and so no export or deletion rule)."""
    annotated = {table.name for table in Base.metadata.sorted_tables if "student_data" in table.info}
    linked = person_linked_tables() if linked is None else linked
    return {table: columns for table, columns in linked.items() if table not in annotated}


@dataclass(frozen=True)
class RegistryPage:
    entries: list[Entry]
    exempt: dict[str, str]
    unannotated: dict[str, list[str]]
    coppa: object | None = None
    can_manage: bool = False


def registry_page(actor) -> RegistryPage:
    """Records staff and auditors (records.manage or records.audit); NotFound otherwise."""
    if not (policy.can_manage_records(actor) or policy.can_read_audit(actor)):
        raise NotFound()
    found = registry()
    entries = sorted(found.entries, key=lambda e: (e.category_label, e.table))
    return RegistryPage(
        entries, found.exempt, unannotated_tables(), audit.coppa_authorisation(), policy.can_manage_records(actor)
    )
