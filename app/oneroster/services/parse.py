"""Reading a OneRoster 1.1 or 1.2 CSV set: the manifest, each file's header, and each row's own syntax, one row
at a time (no database). Values are read as SIS software writes them (letter case, `inactive`, dates with a
time, BOM, CRLF); what is read differently from what is written is a warning, what cannot be read an error.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.oneroster.services import schema
from app.oneroster.services.problems import Problems
from app.oneroster.services.source import EXPANSION, Source, SourceError, cell
from app.oneroster.services.values import BAD, boolean, day, enum, user_ids

ALIASES = {alias.lower(): name for alias, name in schema.ALIASES.items()}


@dataclass
class RosterSet:
    """An opened set: its version, the files to read with their mode (bulk or delta), and what was found."""

    source: Source | None = None
    problems: Problems = field(default_factory=Problems)
    version: str = "1.1"
    modes: dict[str, str] = field(default_factory=dict)
    system: str = ""
    manifest: bool = False
    columns: dict[str, tuple] = field(default_factory=dict)
    # sourcedId -> first line, per file: duplicates name the line they repeat.
    seen: dict[str, dict] = field(default_factory=dict)
    # One object per distinct sourcedId, reference or date, shared by the rows, the plan and the database's
    # records: a district's enrollments name a few thousand classes hundreds of thousands of times.
    strings: dict = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.source is not None and not self.problems.has("version", "no_files", *SOURCE_CODES)

    def mode(self, file: str) -> str | None:
        return self.modes.get(file)

    def sourced_ids(self, file: str) -> set[str]:
        return sourced_ids(self, file) if self.source is not None else set()

    def rows(self, file: str) -> Iterator[dict]:
        """The file's rows, read and checked one at a time; nothing when the set has no such file to read."""
        if file in self.modes and self.source is not None:
            yield from _rows(self, file)


SOURCE_CODES = ("bad_zip", "too_large", "too_many_files")


def open_set(data: bytes, limit: int) -> RosterSet:
    """The stored upload as a set: manifest read, files chosen; problems so far in `problems`."""
    set_ = RosterSet()
    try:
        set_.source = Source(data, limit)
    except SourceError as exc:
        set_.problems.error(exc.code, "", None, "", "", expansion_mb(limit))
        return set_
    source = set_.source
    for path in source.duplicates:
        set_.problems.warn("duplicate_member", path)
    try:
        if source.has("manifest.csv"):
            set_.manifest = True
            _manifest(set_)
        else:
            set_.version = "1.2" if source.has("roles.csv") else "1.1"
            set_.problems.warn("no_manifest", "", None, "", set_.version)
        if not set_.problems.has("version"):
            _choose_files(set_)
    except SourceError as exc:
        set_.problems.error(exc.code, "", None, "", "", expansion_mb(limit))
    return set_


def expansion_mb(limit: int) -> str:
    """The expansion budget in MB, as the too_large message states it."""
    return f"{limit * EXPANSION / 1024 / 1024:.0f}"


def _manifest(set_: RosterSet) -> None:
    try:
        with set_.source.text("manifest.csv") as text:
            pairs = {cell(r[0]).lower(): cell(r[1]) for r in csv.reader(text) if len(r) >= 2}
    except (UnicodeDecodeError, csv.Error):
        set_.problems.error("not_csv", "manifest.csv")
        return
    version = pairs.get("oneroster.version", "")
    if version in schema.VERSIONS or version.startswith("1.2."):
        set_.version = version[:3]
    else:
        set_.problems.error("version", "manifest.csv", None, "oneroster.version", version or "-", "1.1, 1.2")
        return
    set_.system = pairs.get("source.systemname", "")[:120]
    for file in schema.MANIFEST_FILES[set_.version]:
        mode = pairs.get(f"file.{file.lower()}", "")
        listed = mode.lower()
        if listed in ("bulk", "delta", "absent"):
            if mode != listed:
                set_.problems.warn("case", "manifest.csv", None, f"file.{file}", mode, listed)
            set_.modes[file] = listed
        elif mode:
            set_.problems.error("enum", "manifest.csv", None, f"file.{file}", mode, "absent, bulk, delta")


def _choose_files(set_: RosterSet) -> None:
    """Which files are read, and how: the manifest's word is kept (absent is absent, not an error)."""
    source, listed = set_.source, dict(set_.modes)
    set_.modes = {}
    readable = (
        schema.READ if set_.version == "1.2" else tuple(f for f in schema.READ if f not in ("roles", "userProfiles"))
    )
    stated = bool(listed)
    if set_.manifest and not stated:
        set_.problems.warn("manifest_without_files", "manifest.csv", None, "", set_.version)
    for file in readable:
        name = f"{file}.csv"
        mode = listed.get(file, "" if stated else "bulk")
        if source.has(name):
            if mode == "absent":
                set_.problems.warn("absent_file", name, None, f"file.{file}")
            else:
                if not mode:
                    set_.problems.warn("unlisted_file", name, None, f"file.{file}")
                set_.modes[file] = mode or "bulk"
        elif mode in ("bulk", "delta"):
            set_.problems.warn("missing_file", "manifest.csv", None, f"file.{file}", mode, name)
    known = {f"{f.lower()}.csv" for f in set_.modes} | {"manifest.csv"}
    for name in source.names():
        if name.lower() in known:
            continue
        set_.problems.warn("not_read" if name.lower().endswith(".csv") else "not_csv_name", Path(name).name)
    if not set_.modes:
        set_.problems.error("no_files", "", None, "", "", ", ".join(f"{f}.csv" for f in readable))


def _header(set_: RosterSet, file: str, header: list[str]) -> list[str | None] | None:
    """Each column's canonical name (None: not read); None when a required column is missing."""
    name, known = f"{file}.csv", schema.KNOWN[file]
    by_lower = {k.lower(): k for k in known}
    cells = [cell(h) for h in header]
    width = len(cells)
    while width and not cells[width - 1]:
        width -= 1
    if width < len(cells):
        set_.problems.warn("empty_columns", name, 1, "", len(cells) - width)
    mapping: list[str | None] = []
    for found in cells[:width]:
        canonical = _canonical(found, known, by_lower)
        if canonical in mapping:
            set_.problems.warn("duplicate_column", name, 1, found)
            canonical = None
        elif canonical and canonical != found:
            set_.problems.warn("header_renamed", name, 1, found, found, canonical)
        mapping.append(canonical)
    required = schema.REQUIRED[file] + (schema.REQUIRED_11_USERS if file == "users" and set_.version == "1.1" else ())
    missing = [c for c in required if c not in mapping]
    if width < 2 and missing:
        set_.problems.error("not_csv", name)
        return None
    for column in missing:
        set_.problems.error("missing_column", name, 1, column)
    set_.columns[file] = tuple(c for c in mapping if c)
    return None if missing else mapping


def _canonical(found: str, known: tuple, by_lower: dict) -> str | None:
    """The column a header cell names: as spelled, in another letter case, an exporter's known misspelling, or
    (for a name unknown so far) the one it is very close to."""
    canonical = found if found in known else by_lower.get(found.lower()) or ALIASES.get(found.lower())
    if canonical is None and found:
        close = difflib.get_close_matches(found, known, n=1, cutoff=0.85)
        canonical = close[0] if close else None
    return canonical


def sourced_ids(set_: RosterSet, file: str) -> set[str]:
    """The sourcedIds a file lists, read ahead and without checks (the file's own pass reports its problems):
    a delta's people and enrollments are loaded from Chalkline by them."""
    known = schema.KNOWN[file]
    by_lower = {k.lower(): k for k in known}
    found: set[str] = set()
    try:
        with set_.source.text(f"{file}.csv") as text:
            reader = csv.reader(text)
            header = [_canonical(cell(h), known, by_lower) for h in next(reader, [])]
            if "sourcedId" not in header:
                return found
            at = header.index("sourcedId")
            for cells in reader:
                if len(cells) > at and cells[at].strip():
                    sid = cell(cells[at])
                    found.add(set_.strings.setdefault(sid, sid))
    except (UnicodeDecodeError, csv.Error):
        pass
    return found


def _rows(set_: RosterSet, file: str) -> Iterator[dict]:
    name, problems = f"{file}.csv", set_.problems
    trailing = 0
    reader = None
    try:
        with set_.source.text(name) as text:
            reader = csv.reader(text, strict=True)
            header = next(reader, None)
            mapping = _header(set_, file, header) if header else None
            if header is None:
                problems.error("not_csv", name)
            if mapping is None:
                return
            width = len(mapping)
            ids_at = mapping.index("userIds") if "userIds" in mapping else None
            for cells in reader:
                line = reader.line_num
                if len(cells) > width:
                    extra = cells[width:]
                    if any(c.strip() for c in extra):
                        if not _join_user_ids(problems, name, line, cells, ids_at, width):
                            problems.error("extra_cells", name, line)
                            continue
                    else:
                        trailing += 1
                row = {column: cell(cells[i]) for i, column in enumerate(mapping) if column and i < len(cells)}
                if not any(row.values()):
                    continue
                set_.source.spend_row(file)
                row["_line"] = line
                _check(set_, file, row)
                yield row
    except (UnicodeDecodeError, csv.Error):
        problems.error("not_csv", name, reader.line_num + 1 if reader and reader.line_num else None)
    if trailing:
        problems.warn("trailing_cells", name, None, "", trailing)


def _join_user_ids(problems: Problems, name: str, line: int, cells: list[str], at: int | None, width: int) -> bool:
    """`{LDAP:12},{LTI:15}` written without quotes spills into the next cells; put it back together."""
    if at is None:
        return False
    spill = len(cells) - width
    parts = cells[at : at + spill + 1]
    if not all(user_ids(p.strip()) for p in parts):
        return False
    cells[at : at + spill + 1] = [",".join(p.strip() for p in parts)]
    problems.warn("user_ids_joined", name, line, "userIds", cells[at])
    return True


def _check(set_: RosterSet, file: str, row: dict) -> None:
    """One row's own rules; values are replaced by what they are read as (dates, booleans, enumerations)."""
    name, line, problems = f"{file}.csv", row["_line"], set_.problems
    raw = row.get("status", "")
    status = enum(raw, schema.STATUSES) if raw else "active"
    if status is None and raw.lower() in schema.OLD_STATUSES:
        status = "tobedeleted"
        problems.warn("inactive", name, line, "status", raw)
    elif status is None:
        problems.error("enum", name, line, "status", raw, ", ".join(schema.STATUSES))
        status = "active"
    elif raw and status != raw:
        problems.warn("case", name, line, "status", raw, status)
    elif not raw and set_.modes.get(file) == "delta":
        problems.warn("blank_status", name, line, "status")
    row["status"] = status
    active = status == "active"
    required = schema.REQUIRED[file] + (schema.REQUIRED_11_USERS if file == "users" and set_.version == "1.1" else ())
    for column in required:
        if not row.get(column):
            if active or column == "sourcedId":
                problems.error("empty", name, line, column)
            else:
                # A row that only deletes needs nothing but its sourcedId: it switches off what Chalkline has.
                row["_partial"] = True
    for column in schema.DATE_FIELDS.get(file, ()):
        value = day(row.get(column, ""))
        if value is BAD:
            problems.error("date", name, line, column, row[column], "YYYY-MM-DD")
            value = None
        row[column] = value
    for column in schema.BOOLEANS.get(file, ()):
        raw = row.get(column, "")
        value = boolean(raw)
        if value is BAD:
            problems.error("enum", name, line, column, raw, "true, false")
            value = None
        elif value is not None and raw != str(value).lower():
            problems.warn("case", name, line, column, raw, str(value).lower())
        row[column] = value
    _enums(problems, file, name, line, row)
    sid = row.get("sourcedId", "")
    if sid:
        sid = row["sourcedId"] = set_.strings.setdefault(sid, sid)
        first = set_.seen.setdefault(file, {}).setdefault(sid, line)
        if first != line:
            problems.error("duplicate", name, line, "sourcedId", sid, first)


ENUMS = {
    ("orgs", "type"): (schema.ORG_TYPES, "error"),
    ("academicSessions", "type"): (schema.SESSION_TYPES, "term"),
    ("roles", "roleType"): (schema.ROLE_TYPES, "secondary"),
    ("users", "role"): (tuple(schema.ROLES), "keep"),
    ("roles", "role"): (tuple(schema.ROLES), "keep"),
    ("enrollments", "role"): (schema.ENROLLMENT_ROLES, "keep"),
}


def _enums(problems: Problems, file: str, name: str, line: int, row: dict) -> None:
    """Enumerations in any letter case; an unknown one is an error, or read as a stated default, or kept
    for the plan to decide (roles: an unknown one means no Chalkline role)."""
    for (enum_file, column), (allowed, otherwise) in ENUMS.items():
        raw = row.get(column, "")
        if enum_file != file or not raw:
            continue
        value = enum(raw, allowed)
        if value is not None:
            if value != raw:
                problems.warn("case", name, line, column, raw, value)
            row[column] = value
        elif otherwise == "error":
            problems.error("enum", name, line, column, raw, ", ".join(allowed))
        elif otherwise != "keep":
            problems.warn("read_as", name, line, column, raw, otherwise)
            row[column] = otherwise
