"""Gradebook CSV files in the layouts teachers already have: Canvas's export and a plain spreadsheet.

Pure parsing and writing, no database: the gradebook's import pipeline matches the parsed students and columns
to its own and plans the changes. The parser accepts what real files do: UTF-8 with or without a BOM, UTF-16 with
a BOM, Windows-1252; `,`, `;` or tab separators; decimal commas; Canvas's header variants (`Student` or
`LastName`/`FirstName`, `ID`, then `SIS User ID`, `SIS Login ID`, `Integration ID`, `Root Account` where present,
`Section`, custom columns, assignments as `Title (id)`, then computed read-only columns whose names can repeat);
the posting-policy row under the header; the `Points Possible` row (first cell possibly indented); the test
student. Problem and cell codes (stable, for translation): empty_file, no_student_column, no_assignment_columns,
duplicate_title, custom_column, bad_points, no_student, malformed, too_many_rows; cells: not_a_number, negative,
percent, decimal_comma.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.csvio import csv_bytes, unsafe_cell

MAX_ROWS = 20_000
# Chalkline's own exports carry this in the ID cell of the Points Possible row, which Canvas's importer ignores:
# it is how an import knows the `(id)` numbers are Chalkline's own assignment ids and not another system's.
MARKER = "chalkline"
READ_ONLY_TEXT = "(read only)"
POINTS_POSSIBLE = "Points Possible"

_IDENTITY = {
    "student": "name",
    "student name": "name",
    "name": "name",
    "full name": "name",
    "lastname": "last",
    "last name": "last",
    "firstname": "first",
    "first name": "first",
    "id": "canvas_id",
    "sis user id": "sis_user_id",
    "sis id": "sis_user_id",
    "student id": "sis_user_id",
    "sis login id": "sis_login_id",
    "login id": "sis_login_id",
    "login": "sis_login_id",
    "username": "sis_login_id",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "section": "section",
    "integration id": "ignored",
    "root account": "ignored",
}
# Canvas's computed columns, alone or with an assignment-group prefix, "Unposted" and a grading-period suffix.
_COMPUTED = re.compile(
    r"(current|final|override) (score|points|grade|status)|^(total|average|percent|letter grade)$", re.IGNORECASE
)
_TITLE_ID = re.compile(r"^(?P<title>.*\S)\s+\((?P<id>\d+)\)$")
_POSTING = re.compile(r"^(muted|manual posting.*)$", re.IGNORECASE)
_NUMBER_DOT = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
_NUMBER_COMMA = re.compile(r"^-?(\d+(,\d*)?|,\d+)$")
_LETTER = re.compile(r"^([a-f][+-]?|complete|incomplete|pass|fail)$", re.IGNORECASE)
_TEST_STUDENT = {"student, test", "test student"}


@dataclass
class CsvStudent:
    line: int  # 1-based line in the file
    name: str  # as written ("Last, First" or "First Last")
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    email: str = ""
    section: str = ""
    cells: dict[int, str] = field(default_factory=dict)  # column index -> raw cell text
    is_test_student: bool = False


@dataclass
class CsvColumn:
    index: int
    title: str  # without the " (id)" suffix
    external_id: str = ""  # the "(id)" number when present
    points_possible: Decimal | None = None
    read_only: bool = False  # computed columns (Current Score, Final Grade, ...), custom columns


@dataclass
class CellValue:
    kind: str  # "score", "blank", "not_assigned", "excused", "missing", "letter", "invalid"
    value: Decimal | None = None
    raw: str = ""
    message: str = ""  # for "invalid": what is wrong, English; code for translation:
    code: str = ""


@dataclass
class ParsedGradebook:
    layout: str  # "canvas" or "plain"
    students: list[CsvStudent]
    columns: list[CsvColumn]  # assignment columns only (identity and read-only columns excluded)
    problems: list[tuple[int, str, str]]  # (line, code, English message)
    decimal_comma: bool = False  # pass to parse_cell for this file's cells
    from_chalkline: bool = False  # written by Chalkline: `(id)` numbers are Chalkline assignment ids


def parse_cell(raw: str, decimal_comma: bool = False) -> CellValue:
    """What one grade cell says. A blank (or Canvas's "-") never clears a grade; N/A is "leave it alone"."""
    text = raw.strip()
    upper = text.upper()
    if text in ("", "-"):
        return CellValue("blank", raw=raw)
    if upper == "N/A":
        return CellValue("not_assigned", raw=raw)
    if upper == "EX":
        return CellValue("excused", raw=raw)
    if upper in ("MI", "MISSING"):
        return CellValue("missing", raw=raw)
    if _LETTER.match(text):
        return CellValue("letter", raw=raw)
    number = _number(text, decimal_comma)
    if number is not None:
        if number < 0:
            return CellValue("invalid", number, raw, f"{text} is negative", "negative")
        return CellValue("score", number, raw)
    if text.endswith("%") and _number(text[:-1].strip(), decimal_comma) is not None:
        return CellValue("invalid", None, raw, f"{text} is a percentage: write the points", "percent")
    if not decimal_comma and _NUMBER_COMMA.match(text):
        message = f"{text} has a decimal comma: write {text.replace(',', '.')}"
        return CellValue("invalid", None, raw, message, "decimal_comma")
    return CellValue("invalid", None, raw, f"{text} is not a score", "not_a_number")


def _number(text: str, decimal_comma: bool) -> Decimal | None:
    pattern = _NUMBER_COMMA if decimal_comma else _NUMBER_DOT
    if not pattern.match(text):
        return None
    try:
        return Decimal(text.replace(",", ".") if decimal_comma else text)
    except InvalidOperation:
        return None


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte decodes; a stray byte shows as a wrong letter, not an error


def _separator(text: str) -> str:
    """The separator that splits the first lines into the same, largest number of fields (as Canvas decides)."""
    lines = [line for line in text.splitlines() if line.strip(" ,;\t")][:3]
    best, best_count = ",", 0
    for separator in (",", ";", "\t"):
        try:
            counts = {len(row) for row in csv.reader(lines, delimiter=separator)}
        except csv.Error:
            continue
        if len(counts) == 1 and (count := counts.pop()) > best_count:
            best, best_count = separator, count
    return best


def _norm(header: str) -> str:
    return " ".join(unsafe_cell(header).replace("\ufeff", "").split()).lower()


def _is_blank(row: list[str]) -> bool:
    return all(not cell.strip() for cell in row)


class _Columns:
    """The header's columns sorted into identity, assignment and read-only ones."""

    def __init__(self, header: list[str], line: int, problems: list):
        self.identity: dict[str, int] = {}
        self.assignments: list[CsvColumn] = []
        self.layout = "plain"
        roles = [_IDENTITY.get(_norm(h)) for h in header]
        if roles[:2] == ["name", "canvas_id"] or roles[:3] == ["last", "first", "canvas_id"]:
            self.layout = "canvas"
        for index, role in enumerate(roles):
            if role and role not in self.identity:
                self.identity[role] = index
        if not {"name", "last", "sis_user_id", "sis_login_id", "email"} & self.identity.keys():
            problems.append((line, "no_student_column", "No column names the students (Student, SIS User ID or Email)"))
        with_id = [i for i, h in enumerate(header) if _TITLE_ID.match(unsafe_cell(h).strip())]
        first_with_id = with_id[0] if with_id else len(header)
        last_identity = max((i for i, r in enumerate(roles) if r), default=-1)
        seen: dict[str, int] = {}
        for index, raw in enumerate(header):
            if roles[index]:
                continue
            text = " ".join(unsafe_cell(raw).split())
            match = _TITLE_ID.match(text)
            title, external_id = (match["title"], match["id"]) if match else (text, "")
            if not text or (not match and _COMPUTED.search(text)):
                continue
            if self.layout == "canvas" and not match and last_identity < index < first_with_id:
                problems.append((line, "custom_column", f"Column {text!r} is a custom column and is not imported"))
                continue
            if title in seen:
                problems.append((line, "duplicate_title", f"Two columns are called {title!r}"))
            seen[title] = index
            self.assignments.append(CsvColumn(index, title, external_id))
        if not self.assignments:
            problems.append((line, "no_assignment_columns", "No assignment columns were found"))

    def get(self, row: list[str], role: str) -> str:
        index = self.identity.get(role)
        return unsafe_cell(row[index]).strip() if index is not None and index < len(row) else ""


def parse_gradebook_csv(data: bytes) -> ParsedGradebook:
    """Students, assignment columns and problems of a Canvas-layout or plain gradebook file; never raises."""
    problems: list[tuple[int, str, str]] = []
    text = _decode(data)
    separator = _separator(text)
    rows: list[tuple[int, list[str]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        previous = 0
        for row in reader:  # a quoted cell may span lines: a row is reported at the line it starts on
            rows.append((previous + 1, row))
            previous = reader.line_num
    except csv.Error as error:
        return ParsedGradebook("plain", [], [], [(1, "malformed", f"The file is not readable CSV: {error}")])
    rows = [(line, row) for line, row in rows if not _is_blank(row)]
    if not rows:
        return ParsedGradebook("plain", [], [], [(1, "empty_file", "The file is empty")])
    header_line, header = rows[0]
    columns = _Columns(header, header_line, problems)
    read_only: set[int] = set()
    students: list[CsvStudent] = []
    decimal_comma = separator == ";" or _looks_decimal_comma(rows[1:], columns.assignments)
    from_chalkline = False
    for line, row in rows[1:]:
        first = unsafe_cell(row[0]).strip() if row else ""
        if first.lower() == POINTS_POSSIBLE.lower():
            from_chalkline = columns.get(row, "canvas_id") == MARKER or (len(row) > 1 and row[1].strip() == MARKER)
            read_only |= _points_row(row, line, columns.assignments, decimal_comma, problems)
            continue
        if _is_posting_row(row):
            continue
        if len(students) >= MAX_ROWS:
            problems.append((line, "too_many_rows", f"Only the first {MAX_ROWS} students are read"))
            break
        student = _student(row, line, columns)
        if student is None:
            problems.append((line, "no_student", "This row names no student"))
            continue
        students.append(student)
    assignment_columns = [c for c in columns.assignments if c.index not in read_only]
    layout = columns.layout
    return ParsedGradebook(layout, students, assignment_columns, problems, decimal_comma, from_chalkline)


def _looks_decimal_comma(rows, assignments: list[CsvColumn]) -> bool:
    comma = dot = 0
    for _line, row in rows:
        for column in assignments:
            cell = row[column.index].strip() if column.index < len(row) else ""
            comma += bool(re.match(r"^\d+,\d+$", cell))
            dot += bool(re.match(r"^\d+\.\d+$", cell))
    return comma > 0 and dot == 0


def _is_posting_row(row: list[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    return bool(cells) and all(_POSTING.match(cell) for cell in cells)


def _points_row(row, line, assignments, decimal_comma, problems) -> set[int]:
    read_only = set()
    for column in assignments:
        cell = row[column.index].strip() if column.index < len(row) else ""
        if READ_ONLY_TEXT in cell.lower():
            read_only.add(column.index)
        elif cell:
            points = _number(cell, decimal_comma)
            if points is None or points < 0:
                problems.append((line, "bad_points", f"Points possible {cell!r} for {column.title!r} is not a number"))
            else:
                column.points_possible = points
    return read_only


def _student(row: list[str], line: int, columns: _Columns) -> CsvStudent | None:
    name = columns.get(row, "name")
    last, first = columns.get(row, "last"), columns.get(row, "first")
    if not name and (last or first):
        name = f"{last}, {first}" if last and first else last or first
    student = CsvStudent(
        line=line,
        name=name,
        canvas_id=columns.get(row, "canvas_id"),
        sis_user_id=columns.get(row, "sis_user_id"),
        sis_login_id=columns.get(row, "sis_login_id"),
        email=columns.get(row, "email"),
        section=columns.get(row, "section"),
        cells={c.index: unsafe_cell(row[c.index]) if c.index < len(row) else "" for c in columns.assignments},
    )
    if not (student.name or student.sis_user_id or student.sis_login_id or student.email or student.canvas_id):
        return None
    student.is_test_student = _norm(student.name) in _TEST_STUDENT and not student.sis_user_id
    return student


def _points(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _title(column: CsvColumn) -> str:
    return f"{column.title} ({column.external_id})" if column.external_id and not column.read_only else column.title


def write_canvas_csv(columns: list[CsvColumn], students: list[CsvStudent]) -> bytes:
    """Canvas's layout: Student, ID, SIS User ID, SIS Login ID, Section, `Title (id)` columns, read-only columns
    last, and the Points Possible row (indented, as Canvas writes it). UTF-8 with a BOM, for spreadsheets."""
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *(_title(c) for c in columns)]
    points = ["    " + POINTS_POSSIBLE, MARKER, "", "", ""]
    points += [READ_ONLY_TEXT if c.read_only else _points(c.points_possible) for c in columns]
    rows = [points]
    for s in students:
        identity = [s.name, s.canvas_id, s.sis_user_id, s.sis_login_id, s.section]
        rows.append(identity + [s.cells.get(c.index, "") for c in columns])
    return codecs.BOM_UTF8 + csv_bytes(header, rows)


def write_plain_csv(columns: list[CsvColumn], students: list[CsvStudent]) -> bytes:
    """One row per student, one column per assignment (with its points in a second row). UTF-8 with a BOM."""
    header = ["Student", "SIS User ID", "SIS Login ID", "Email", "Section", *(_title(c) for c in columns)]
    points = [POINTS_POSSIBLE, MARKER, "", "", ""]
    points += [READ_ONLY_TEXT if c.read_only else _points(c.points_possible) for c in columns]
    rows = [points]
    for s in students:
        identity = [s.name, s.sis_user_id, s.sis_login_id, s.email, s.section]
        rows.append(identity + [s.cells.get(c.index, "") for c in columns])
    return codecs.BOM_UTF8 + csv_bytes(header, rows)
