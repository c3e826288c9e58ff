"""A framework a district keeps in a spreadsheet (CSV: code, statement, grade levels, subject, parent code) into a
ParsedFramework. Pure: bytes in, plain data out.

Headers are matched leniently (case, spaces, a few common names). Codes key the rows: each needs one, once; a
parent code must be the code of another row. Identifiers are name-based UUIDs of the framework and the code, so
importing the sheet again updates the same standards.
"""

from __future__ import annotations

import csv
import io
import re
import uuid

from app.standards.services.levels import expand
from app.standards.services.parsed import MAX_PACKAGE_BYTES, ParsedEdge, ParsedFramework, ParsedItem
from app.standards.services.tree import arrange

NAMESPACE = uuid.UUID("6f1c6f0e-3b1a-4d52-9a35-17a0e1f2c3d4")
COLUMNS = {
    "code": ("code", "humancodingscheme", "standardcode", "standard", "id"),
    "statement": ("statement", "fullstatement", "description", "text", "standardtext"),
    "grades": ("gradelevels", "grades", "grade", "gradelevel", "educationlevel", "levels"),
    "subject": ("subject",),
    "parent": ("parentcode", "parent", "parentstandard", "parentid"),
    "short": ("shortstatement", "abbreviatedstatement", "short", "title"),
    "type": ("type", "itemtype", "cfitemtype"),
}
_NON_WORD = re.compile(r"[^a-z0-9]")
MAX_ROWS = 100_000


def framework_identifier(title: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "csv:" + " ".join(title.split()).casefold()))


def _header(names: list[str], parsed: ParsedFramework) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(names):
        key = _NON_WORD.sub("", (name or "").lower())
        for column, aliases in COLUMNS.items():
            if key in aliases and column not in found:
                found[column] = index
                if key != aliases[0]:
                    parsed.problems.warn("column_read_as", "", 1, column, name)
    for required in ("code", "statement"):
        if required not in found:
            parsed.problems.error("missing_column", "", 1, required, ", ".join(names)[:200])
    return found


def parse_csv(data: bytes, title: str) -> ParsedFramework:
    """The sheet in `data` as the framework called `title`, its tree checked and numbered."""
    title = " ".join((title or "").split())[:500]
    parsed = ParsedFramework(source="csv", identifier=framework_identifier(title), title=title)
    problems = parsed.problems
    if len(data) > MAX_PACKAGE_BYTES:
        problems.error("too_large", "", None, "", len(data), MAX_PACKAGE_BYTES)
        return parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.error("not_csv")
        return parsed
    if "\x00" in text[:4096]:
        problems.error("not_csv")
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        columns = _header(next(reader, []), parsed)
    except csv.Error:
        problems.error("not_csv")
        return parsed
    if problems.error_count:
        return parsed
    by_code: dict[str, str] = {}
    first_line: dict[str, int] = {}
    parents: list[tuple[str, str, int]] = []
    subjects: dict[str, int] = {}

    def cell(row: list[str], column: str) -> str:
        index = columns.get(column)
        return (row[index] if index is not None and index < len(row) else "").strip()

    try:
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(by_code) >= MAX_ROWS:
                problems.error("too_many_rows", "", line, "", MAX_ROWS)
                break
            code = cell(row, "code")[:100]
            if not code:
                problems.error("csv_no_code", "", line, "code")
                continue
            if code in by_code:
                problems.error("csv_duplicate_code", code, line, "code", code, first_line[code])
                continue
            statement = cell(row, "statement")
            if not statement:
                problems.warn("no_statement", code, line, "statement", code)
            levels, unknown = expand(cell(row, "grades"))
            for token in unknown:
                problems.warn("level_unknown", code, line, "grades", token)
            subject = cell(row, "subject")[:200] or None
            if subject:
                subjects[subject] = subjects.get(subject, 0) + 1
            identifier = str(uuid.uuid5(NAMESPACE, f"{parsed.identifier}:{code}"))
            by_code[code], first_line[code] = identifier, line
            parsed.items[identifier] = ParsedItem(
                identifier=identifier,
                human_code=code,
                full_statement=statement[:20000],
                abbreviated_statement=cell(row, "short")[:20000] or None,
                item_type=cell(row, "type")[:100] or None,
                education_levels=levels,
                subject=subject,
                line=line,
            )
            parent = cell(row, "parent")
            if parent:
                parents.append((identifier, parent, line))
            else:
                parsed.edges.append(ParsedEdge(identifier, None, line))
    except csv.Error as exc:
        problems.error("not_csv", "", reader.line_num, "", str(exc))
        return parsed
    for identifier, parent, line in parents:
        if parent not in by_code:
            problems.error("csv_unknown_parent", parsed.items[identifier].human_code, line, "parent code", parent)
        elif by_code[parent] == identifier:
            problems.error("cycle", parent, line, "parent code", f"{parent} → {parent}")
        else:
            # The sheet's row order is the order of siblings.
            parsed.edges.append(ParsedEdge(identifier, by_code[parent], line))
    if not parsed.items and not problems.error_count:
        problems.error("no_items", "", None, "code")
    if subjects:
        parsed.subject = max(subjects, key=lambda s: subjects[s])
    if parsed.items:
        arrange(parsed)  # cycles are reported with the other errors; the numbering only for a usable file
    return parsed
