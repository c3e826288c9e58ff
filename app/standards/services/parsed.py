"""What a parser understood of a file, before anything is compared with the database: plain data, no I/O.

Problems carry a code (worded when shown, see messages.py), the item identifier or CSV line they are about, the
field and the value. A hostile file can hold millions of bad items, so only the first KEEP are kept; the counts
stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KEEP = 500
VALUE_SIZE = 200
MAX_PACKAGE_BYTES = 50 * 1024 * 1024  # a state's whole CASE catalog is a few MB; 50 MB is far beyond any framework


@dataclass
class Problems:
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0

    def error(self, code: str, item: str = "", line: int | None = None, fld: str = "", value="", expected="") -> None:
        self.error_count += 1
        if len(self.errors) < KEEP:
            self.errors.append(_problem(code, item, line, fld, value, expected))

    def warn(self, code: str, item: str = "", line: int | None = None, fld: str = "", value="", expected="") -> None:
        self.warning_count += 1
        if len(self.warnings) < KEEP:
            self.warnings.append(_problem(code, item, line, fld, value, expected))

    def codes(self, level: str = "error") -> set[str]:
        return {p["code"] for p in (self.errors if level == "error" else self.warnings)}


def _problem(code, item, line, fld, value, expected) -> dict:
    return {
        "code": code,
        "item": str(item)[:VALUE_SIZE],
        "line": line,
        "field": fld,
        "value": str(value)[:VALUE_SIZE],
        "expected": str(expected)[:VALUE_SIZE],
    }


@dataclass
class ParsedItem:
    identifier: str
    human_code: str | None = None
    full_statement: str = ""
    abbreviated_statement: str | None = None
    item_type: str | None = None
    education_levels: list[str] = field(default_factory=list)
    subject: str | None = None
    list_enumeration: str | None = None
    sequence_number: int | None = None
    uri: str | None = None
    line: int | None = None  # the CSV line, for messages
    # Filled by tree.arrange: depth-first order, depth, whether anything sits under it.
    position: int = 0
    depth: int = 0
    is_leaf: bool = True


@dataclass(frozen=True)
class ParsedEdge:
    child: str
    parent: str | None  # None: the framework's top level
    sequence: int | None


@dataclass(frozen=True)
class ParsedLink:
    origin: str
    link_type: str
    target: str
    target_uri: str | None = None
    target_title: str | None = None


@dataclass
class ParsedFramework:
    source: str  # case | csv
    identifier: str = ""
    title: str = ""
    creator: str | None = None
    subject: str | None = None
    version: str | None = None
    adoption_status: str | None = None
    uri: str | None = None
    items: dict[str, ParsedItem] = field(default_factory=dict)
    edges: list[ParsedEdge] = field(default_factory=list)
    links: list[ParsedLink] = field(default_factory=list)
    # replacedBy: old identifier -> new identifier (the old one may be absent from the package).
    replacements: dict[str, str] = field(default_factory=dict)
    # (child, parent) -> its place among the parent's children, set by tree.arrange.
    places: dict[tuple[str, str | None], int] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
