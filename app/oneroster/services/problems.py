"""What a check found: errors (the import cannot be applied) and warnings (applied as stated), with file, line,
field and value. A hostile file can hold millions of bad rows, so only the first KEEP of each are kept; the
counts, in all and per kind (code, file, field), stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KEEP = 1000
VALUE_SIZE = 200


@dataclass
class Problems:
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    # (level, code, file, field) -> how many; one group per kind the preview lists with its count.
    groups: dict[tuple, int] = field(default_factory=dict)

    def error(self, code: str, file: str = "", line: int | None = None, fld: str = "", value="", expected="") -> None:
        self.error_count += 1
        self._add("error", self.errors, code, file, line, fld, value, expected)

    def warn(self, code: str, file: str = "", line: int | None = None, fld: str = "", value="", expected="") -> None:
        self.warning_count += 1
        self._add("warning", self.warnings, code, file, line, fld, value, expected)

    def _add(self, level, kept, code, file, line, fld, value, expected) -> None:
        key = (level, code, file, fld)
        self.groups[key] = self.groups.get(key, 0) + 1
        if len(kept) < KEEP:
            kept.append(
                {
                    "code": code,
                    "file": file,
                    "line": line,
                    "field": fld,
                    "value": str(value)[:VALUE_SIZE],
                    "expected": str(expected)[:VALUE_SIZE],
                }
            )

    def has(self, *codes: str) -> bool:
        return any(key[0] == "error" and key[1] in codes for key in self.groups)

    def summary(self) -> list[dict]:
        """The kinds found, errors first, most frequent first: {level, code, file, field, count}."""
        rows = [
            {"level": level, "code": code, "file": file, "field": fld, "count": count}
            for (level, code, file, fld), count in self.groups.items()
        ]
        return sorted(rows, key=lambda r: (r["level"] != "error", -r["count"], r["file"], r["code"], r["field"]))

    def sorted(self) -> None:
        """Kept problems in file and line order (checks that run after a file's pass add theirs late)."""
        for kept in (self.errors, self.warnings):
            kept.sort(key=lambda p: (p["file"], p["line"] or 0))
