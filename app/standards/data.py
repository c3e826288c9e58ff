"""Standards as plain data other packages read (questions, gradebook, coverage), and the job kinds."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

JOB_KINDS = {
    "standards.validate": _l("Checking a standards import"),
    "standards.apply": _l("Applying a standards import"),
}


@dataclass(frozen=True)
class Standard:
    """One standard as other packages see it: what a page needs to name it, and whether it still stands."""

    id: int
    framework_id: int
    framework_title: str
    code: str | None
    statement: str
    short_statement: str | None
    item_type: str | None
    education_levels: tuple[str, ...]
    is_leaf: bool
    retired: bool
    replaced_by_id: int | None
    depth: int = 0
    position: int = 0
    identifier: str = ""  # the CASE identifier (a UUID), stable across re-imports and districts

    @property
    def label(self) -> str:
        """ "6.RP.A.1 Understand the concept of a ratio…": the code and a short statement."""
        text = self.short_statement or self.statement
        text = text if len(text) <= 120 else text[:119] + "…"
        return f"{self.code} {text}" if self.code else text
