"""The one CSV writer for every export: spreadsheet formulas are neutralised, rows stream.

A cell that starts with = + - @ (or tab / carriage return, OWASP's extras) would run as a formula when a
district opens the file in a spreadsheet (CSV injection); such cells get a leading apostrophe, which every
spreadsheet shows as text. Importers that read Chalkline's own exports back strip it again (`unsafe_cell`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def unsafe_cell(value: str) -> str:
    """The value `safe_cell` wrote, for an importer reading an export back."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The header and rows as CSV lines (CRLF, minimal quoting), one string per row, for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in _chain(header, rows):
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def _chain(header, rows):
    yield header
    yield from rows


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """A whole CSV file as UTF-8 bytes (for ZIP members and stored files)."""
    return "".join(csv_lines(header, rows)).encode("utf-8")
