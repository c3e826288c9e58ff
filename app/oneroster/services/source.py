"""The stored upload (always a ZIP: CSV files are zipped when they arrive) and its members, read as streams.

A ZIP can expand a thousandfold, so the whole set may expand to at most EXPANSION times the upload limit,
checked on the sizes the archive declares and again on the bytes actually read; members are never held in
memory whole, and only the files Chalkline reads are decompressed.
"""

from __future__ import annotations

import io
import zipfile

from app.csvio import unsafe_cell

# Uncompressed bytes a set may hold, as a multiple of the upload limit: the large seeded district (25,000
# students, 52 MB of CSV) is 0.8 of it at the default 16 MiB limit.
EXPANSION = 4
MAX_MEMBERS = 100
# What checking a row holds in memory, in units of about 100 bytes (measured with tracemalloc: a user about
# 730 bytes at its peak, an enrollment 285; perf/oneroster_memory.py), and how many units a set may spend per
# byte of the upload limit: a tenth, so 1.68 million at 16 MiB. The seeded large district spends 1.4 million.
ROW_COST = {
    "users": 8,
    "classes": 4,
    "courses": 4,
    "enrollments": 3,
    "roles": 2,
    "demographics": 2,
    "userProfiles": 1,
    "orgs": 12,
    "academicSessions": 15,
}
ROW_UNITS_PER_BYTE = 0.1


class SourceError(Exception):
    """The upload cannot be read at all: `code` is bad_zip, too_large or too_many_files."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


class _Counted(io.RawIOBase):
    """A member's bytes, counted against the set's expansion budget as they are decompressed."""

    def __init__(self, raw, source: Source):
        self.raw, self.source = raw, source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.raw.read(len(buffer))
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise SourceError("bad_zip") from exc
        self.source.spend(len(data))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


class Source:
    """The members of a ZIP by lower-case base name. Raises SourceError when it cannot be opened, has too many
    members, or declares more than the expansion budget."""

    def __init__(self, data: bytes, limit: int):
        self.budget = limit * EXPANSION
        self.read = 0
        self.row_budget = int(limit * ROW_UNITS_PER_BYTE)
        self.rows_spent = 0
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            members = [m for m in self.archive.infolist() if not m.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise SourceError("bad_zip") from None
        if len(members) > MAX_MEMBERS:
            raise SourceError("too_many_files")
        if sum(m.file_size for m in members) > self.budget:
            raise SourceError("too_large")
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.duplicates: list[str] = []
        self.ignored: list[str] = []
        for member in members:
            path = member.filename.replace("\\", "/")
            name = path.rsplit("/", 1)[-1]
            if name.startswith(".") or path.startswith("__MACOSX/"):
                continue
            if name.lower() in self.members:
                self.duplicates.append(path)
            else:
                self.members[name.lower()] = member

    def spend(self, size: int) -> None:
        self.read += size
        if self.read > self.budget:
            raise SourceError("too_large")

    def spend_row(self, file: str) -> None:
        self.rows_spent += ROW_COST.get(file, 1)
        if self.rows_spent > self.row_budget:
            raise SourceError("too_many_rows")

    def names(self) -> list[str]:
        return [m.filename.replace("\\", "/").rsplit("/", 1)[-1] for m in self.members.values()]

    def has(self, name: str) -> bool:
        return name.lower() in self.members

    def text(self, name: str) -> io.TextIOWrapper:
        """A member as UTF-8 text (a byte-order mark is dropped), newlines left to the CSV reader."""
        try:
            raw = self.archive.open(self.members[name.lower()])
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
            raise SourceError("bad_zip") from None
        return io.TextIOWrapper(io.BufferedReader(_Counted(raw, self), 64 * 1024), encoding="utf-8-sig", newline="")


def cell(value: str | None) -> str:
    """One cell as the import reads it: trimmed, and a formula Chalkline's export neutralised put back."""
    return unsafe_cell((value or "").strip())


def files_from_path(path) -> list[tuple[str, bytes]]:
    """The CLI's input as an upload would send it: a ZIP or one CSV file, or the CSV files of a directory."""
    if path.is_dir():
        return [(p.name, p.read_bytes()) for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() == ".csv"]
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04" and path.suffix.lower() != ".zip":
        return [(f"{path.name}.zip", data)]
    return [(path.name, data)]
