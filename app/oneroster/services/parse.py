"""Reading a OneRoster 1.1 CSV set: the files, their columns and each row's own syntax (no database).

Errors are plain dicts `{code, file, line, field, value, expected}`; `messages.error_text` words them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.csvio import unsafe_cell

# Every file of the set, in the order they are checked and applied.
FILES = ("orgs", "academicSessions", "courses", "classes", "users", "enrollments", "demographics")
REQUIRED_COLUMNS = {
    "orgs": ("sourcedId", "name", "type"),
    "academicSessions": ("sourcedId", "title", "type", "startDate", "endDate"),
    "courses": ("sourcedId", "title", "orgSourcedId"),
    "classes": ("sourcedId", "title", "courseSourcedId", "schoolSourcedId", "termSourcedIds"),
    "users": ("sourcedId", "orgSourcedIds", "role", "givenName", "familyName"),
    "enrollments": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
    "demographics": ("sourcedId",),
}
DATE_FIELDS = {
    "academicSessions": ("startDate", "endDate"),
    "enrollments": ("beginDate", "endDate"),
    "demographics": ("birthDate",),
}
ENUMS = {
    ("orgs", "type"): ("department", "district", "local", "national", "school", "state"),
    ("academicSessions", "type"): ("gradingPeriod", "schoolYear", "semester", "term"),
    ("users", "role"): ("administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"),
    ("enrollments", "role"): (
        "administrator",
        "aide",
        "guardian",
        "parent",
        "proctor",
        "relative",
        "student",
        "teacher",
    ),
    ("users", "enabledUser"): ("true", "false"),
    ("enrollments", "primary"): ("true", "false"),
}
STATUSES = ("active", "tobedeleted")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Uncompressed bytes a ZIP may expand to, as a multiple of the upload limit (a guard against ZIP bombs).
EXPANSION_LIMIT = 40


@dataclass
class RosterSet:
    """The parsed files: rows keep their line number in `_line`; `modes` says bulk or delta per file present."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    modes: dict[str, str] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    def error(self, code: str, file: str = "", line: int | None = None, fld: str = "", value="", expected="") -> None:
        self.errors.append(
            {"code": code, "file": file, "line": line, "field": fld, "value": str(value)[:200], "expected": expected}
        )


def files_from_zip(data: bytes, limit: int) -> dict[str, bytes] | dict:
    """The members of a ZIP by base name; raises ValueError('bad_zip'|'too_large')."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError):
        raise ValueError("bad_zip") from None
    if sum(m.file_size for m in members) > limit * EXPANSION_LIMIT:
        raise ValueError("too_large")
    files = {}
    for member in members:
        name = member.filename.replace("\\", "/").rsplit("/", 1)[-1]
        if name.startswith(".") or member.filename.startswith("__MACOSX/"):
            continue
        try:
            files[name] = archive.read(member)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            raise ValueError("bad_zip") from None
    return files


def files_from_path(path: Path) -> list[tuple[str, bytes]]:
    """The CLI's input as an upload would send it: a ZIP or one CSV file, or the CSV files of a directory."""
    if path.is_dir():
        return [(p.name, p.read_bytes()) for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() == ".csv"]
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04" and path.suffix.lower() != ".zip":
        return [(f"{path.name}.zip", data)]
    return [(path.name, data)]


def _read_csv(set_: RosterSet, file: str, data: bytes) -> list[dict] | None:
    try:
        text = data.decode("utf-8-sig")
        if "\x00" in text:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL byte")
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        missing = [c for c in REQUIRED_COLUMNS[file] if c not in header]
        if not header or (missing and len(header) < 2):
            set_.error("not_csv", f"{file}.csv")
            return None
        for column in missing:
            set_.error("missing_column", f"{file}.csv", 1, column)
        if missing:
            return None
        rows = []
        for row in reader:
            if None in row:  # more cells than the header names
                set_.error("extra_cells", f"{file}.csv", reader.line_num)
                continue
            clean = {k: unsafe_cell((v or "").strip()) for k, v in row.items()}
            if not any(clean.values()):
                continue
            clean["_line"] = reader.line_num
            rows.append(clean)
        return rows
    except (UnicodeDecodeError, csv.Error):
        set_.error("not_csv", f"{file}.csv")
        return None


def _check_rows(set_: RosterSet, file: str, rows: list[dict]) -> None:
    name = f"{file}.csv"
    first_line: dict[str, int] = {}
    for row in rows:
        line = row["_line"]
        for column in REQUIRED_COLUMNS[file]:
            if not row.get(column):
                set_.error("empty", name, line, column)
        status = row.get("status", "")
        if status and status not in STATUSES:
            set_.error("enum", name, line, "status", status, ", ".join(STATUSES))
        for column in DATE_FIELDS.get(file, ()):
            value = row.get(column, "")
            if value and not _is_date(value):
                set_.error("date", name, line, column, value, "YYYY-MM-DD")
        for (enum_file, column), allowed in ENUMS.items():
            value = row.get(column, "")
            if enum_file == file and value and value not in allowed:
                set_.error("enum", name, line, column, value, ", ".join(allowed))
        sid = row.get("sourcedId", "")
        if sid:
            if sid in first_line:
                set_.error("duplicate", name, line, "sourcedId", sid, first_line[sid])
            else:
                first_line[sid] = line


def _is_date(value: str) -> bool:
    if not DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _manifest(set_: RosterSet, data: bytes) -> None:
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        pairs = {(r[0] or "").strip(): (r[1] or "").strip() for r in reader if len(r) >= 2}
    except (UnicodeDecodeError, csv.Error):
        set_.error("not_csv", "manifest.csv")
        return
    version = pairs.get("oneroster.version", "")
    if version != "1.1":
        set_.error("version", "manifest.csv", None, "oneroster.version", version or "-", "1.1")
    for file in FILES:
        mode = pairs.get(f"file.{file}", "").lower()
        if mode in ("bulk", "delta"):
            set_.modes[file] = mode


def parse_files(files: dict[str, bytes]) -> RosterSet:
    """Read and check every file's columns and rows; nothing here looks at the database."""
    set_ = RosterSet()
    by_name = {name.lower(): data for name, data in files.items()}
    for name in by_name:
        if not name.endswith(".csv"):
            set_.error("not_csv_name", name)
    if "manifest.csv" in by_name:
        _manifest(set_, by_name["manifest.csv"])
        if any(e["code"] == "version" for e in set_.errors):
            return set_
    for file in FILES:
        data = by_name.get(f"{file.lower()}.csv")
        if data is None:
            set_.modes.pop(file, None)
            continue
        set_.modes.setdefault(file, "bulk")
        rows = _read_csv(set_, file, data)
        if rows is not None:
            _check_rows(set_, file, rows)
            set_.rows[file] = rows
    if not set_.rows and not set_.errors:
        set_.error("no_files", "", None, "", "", ", ".join(f"{f}.csv" for f in FILES))
    return set_
