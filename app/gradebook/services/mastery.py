"""Standards mastery per student and standard, by the district's method (most recent, highest, mean, decaying
average) over the levels of the mastery-graded assignments aligned with each standard. Never averaged into the
percent (mastery assignments do not count there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.gradebook import math as gm
from app.gradebook.services.assignments import graded_section
from app.gradebook.services.book import load_book


@dataclass
class MasteryReport:
    standard_ids: list[int]
    method: str
    scale_max: int
    rows: list[tuple[object, dict[int, Decimal | None]]]  # (book row, standard id -> level)


def mastery_levels(levels_by_standard: dict[int, list[tuple[date, Decimal]]], method: str, decay: Decimal):
    return {standard: gm.mastery(levels, method, decay) for standard, levels in levels_by_standard.items()}


def mastery_report(actor, section_id: int) -> MasteryReport:
    """The section's teachers: each student's mastery of each standard the section's mastery work is aligned to."""
    section = graded_section(actor, section_id)
    book = load_book(actor, section)
    rules = book.rules
    aligned = [
        (index, column)
        for index, column in enumerate(book.columns)
        if column.grading_type == "mastery" and column.standard_ids
    ]
    standards = sorted({sid for _i, column in aligned for sid in column.standard_ids})
    rows = []
    for row, line in zip(book.rows, book.cells, strict=True):
        levels: dict[int, list[tuple[date, Decimal]]] = {sid: [] for sid in standards}
        for index, column in aligned:
            cell = line[index]
            if cell.score is None or cell.excused or not cell.applies:
                continue
            on = column.due_at.date() if column.due_at else date.min
            for sid in column.standard_ids:
                levels[sid].append((on, Decimal(cell.score)))
        rows.append((row, mastery_levels(levels, rules.mastery_method, rules.mastery_decay)))
    return MasteryReport(standards, rules.mastery_method, rules.mastery_scale_max, rows)
