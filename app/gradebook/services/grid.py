"""The gradebook page of a section: the book filtered for display (category, grading period, missing only)."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import NotFound
from app.gradebook import policy
from app.gradebook.services.assignments import graded_section
from app.gradebook.services.book import Book, Column, load_book
from app.rosters import services as rosters


@dataclass
class GridPage:
    book: Book
    columns: list[Column]
    rows: list  # [(Row, [Cell, ...])] with only the shown columns' cells
    category_id: int | None
    period_id: int | None
    missing_only: bool
    can_edit: bool
    categories: list[tuple[int, str]]
    periods: list[tuple[int, str]]

    @property
    def section(self):
        return self.book.section


def _shown(book: Book, category_id, period_id) -> list[int]:
    return [
        index
        for index, column in enumerate(book.columns)
        if (category_id is None or column.category_id == category_id)
        and (period_id is None or column.period_id == period_id)
    ]


def gradebook_page(actor, section_id: int, category_id=None, period_id=None, missing_only: bool = False) -> GridPage:
    """The section's teachers (editing) and admins of its school (reading): students x assignments, filtered.
    A filter naming no category or period of this section is ignored. Raises NotFound for anyone else."""
    section = rosters.get_section(actor, section_id)
    teaches = rosters.teaches_section(actor, section.id)
    if teaches:
        section = graded_section(actor, section_id)
    book = load_book(actor, section)
    categories = [(c.id, c.name) for c in book.rules.categories]
    periods = [(p.id, p.name) for p in book.periods if p.id is not None]
    category_id = category_id if category_id in dict(categories) else None
    period_id = period_id if period_id in dict(periods) else None
    shown = _shown(book, category_id, period_id)
    rows = []
    for row, line in zip(book.rows, book.cells, strict=True):
        cells = [line[i] for i in shown]
        if missing_only and not any(cell.missing for cell in cells):
            continue
        rows.append((row, cells))
    return GridPage(
        book,
        [book.columns[i] for i in shown],
        rows,
        category_id,
        period_id,
        missing_only,
        policy.can_grade(actor, [actor.id] if teaches else []) and not section.is_archived,
        categories,
        periods,
    )


def row_page(actor, section_id: int, student_id: int, category_id=None, period_id=None, book=None) -> GridPage:
    """One student's row as the grid shows it (after a save: `book` is the one the save returned)."""
    if book is None:
        section = graded_section(actor, section_id)
        book = load_book(actor, section, student_ids=[student_id])
    shown = _shown(book, category_id, period_id)
    rows = [(row, [line[i] for i in shown]) for row, line in zip(book.rows, book.cells, strict=True)]
    return GridPage(book, [book.columns[i] for i in shown], rows, category_id, period_id, False, True, [], [])


@dataclass
class ColumnEntry:
    section: object
    column: Column
    rows: list  # [(Row, Cell)]
    locked: bool
    locked_why: str
    published: bool


def column_entry(actor, section_id: int, assignment_id: int) -> ColumnEntry:
    """The section's teachers: one assignment's column for every student, for typing a column on one page."""
    from app.gradebook.services.grading import lock_state

    section = graded_section(actor, section_id)
    book = load_book(actor, section)
    index = book.column_index(assignment_id)
    if index is None:
        raise NotFound()
    column = book.columns[index]
    locked, why = lock_state(actor, section, column.due_at)
    rows = [(row, line[index]) for row, line in zip(book.rows, book.cells, strict=True)]
    return ColumnEntry(section, column, rows, locked, why, column.is_published)
