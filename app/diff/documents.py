"""The diff of two rich-text Documents: blocks, list items and table cells paired by their stable ids, then word
by word inside each pair (app/diff/words.py).

Pairs whose relative order changed are moves (the longest run of pairs kept in order stays put, the rest moved),
so a reordered paragraph is one move, not a deletion and an insertion. A block, item or cell without a usable
id (a document written before ids, or a hand-edited row) is paired by position instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from app.diff.words import Op, apply_ops, change_count, diff_html
from app.richtext.services import clean_stored

LISTS = ("ul", "ol")
CONTENT_KEYS = ("html", "items", "rows")

EQUAL_STATUS, EDITED, INSERTED, DELETED = "equal", "edited", "inserted", "deleted"


@dataclass
class UnitDiff:
    """One block, list item or table cell: its status, whether it moved, and the word ops of its text."""

    key: str
    status: str
    old: dict | None
    new: dict | None
    old_position: int | None = None
    new_position: int | None = None
    moved: bool = False
    ops: list[Op] = field(default_factory=list)
    # Lists: their items; tables: their cells (the new grid is `grid`, rows of cell keys).
    children: list[UnitDiff] = field(default_factory=list)
    grid: list[list[str]] = field(default_factory=list)
    old_grid: list[list[str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status != EQUAL_STATUS or self.moved

    @property
    def kind(self) -> str:
        unit = self.new if self.new is not None else self.old
        block_type = unit.get("type") if isinstance(unit, dict) else None
        if block_type in LISTS:
            return "list"
        if block_type == "table":
            return "table"
        return "leaf"

    def attrs(self) -> dict:
        """The new unit's own values (id, type, depth, header, spans) without its content."""
        return {key: value for key, value in (self.new or {}).items() if key not in CONTENT_KEYS}

    def old_attrs(self) -> dict:
        return {key: value for key, value in (self.old or {}).items() if key not in CONTENT_KEYS}

    def change_count(self) -> int:
        if self.status in (INSERTED, DELETED):
            return 1
        inner = sum(child.change_count() for child in self.children)
        own = int(self.moved) + int(self.attrs() != self.old_attrs())
        own += change_count(self.ops)
        return own + inner


@dataclass
class DocumentDiff:
    blocks: list[UnitDiff]
    meta: dict = field(default_factory=dict)  # the new Document's keys besides its blocks ("version")

    @property
    def changed(self) -> bool:
        return any(block.changed for block in self.blocks)

    def change_count(self) -> int:
        return sum(block.change_count() for block in self.blocks)


def _keyed(units: list) -> list[tuple[str, dict]]:
    """(key, unit) for each dict in `units`: its id, or its position when the id is missing or repeated."""
    seen: set[str] = set()
    out = []
    for index, unit in enumerate(units):
        if not isinstance(unit, dict):
            continue
        key = unit.get("id")
        if not isinstance(key, str) or not key or key in seen:
            key = f"#{index}"
        seen.add(key)
        out.append((key, unit))
    return out


def _html(unit: dict | None) -> str:
    return clean_stored(unit.get("html")) if isinstance(unit, dict) else ""


def pair_keyed(old: list[tuple[str, Any]], new: list[tuple[str, Any]]) -> list[tuple]:
    """(key, old item, new item, old position, new position, moved) for two keyed lists, in display order: the new
    order, each deleted item where it stood. A side's position is None where the item is not on it; an item is moved
    when it lies outside the longest common run of the keys both sides share."""
    old_index = {key: index for index, (key, _item) in enumerate(old)}
    new_keys = {key for key, _item in new}
    common_old = [key for key, _item in old if key in new_keys]
    common_new = [key for key, _item in new if key in old_index]
    matcher = SequenceMatcher(None, common_old, common_new, autojunk=False)
    stable = {common_old[m.a + k] for m in matcher.get_matching_blocks() for k in range(m.size)}
    out: list[tuple] = []
    pointer = 0

    def flush(until: int) -> None:
        nonlocal pointer
        while pointer < until:
            key, item = old[pointer]
            if key not in new_keys:
                out.append((key, item, None, pointer + 1, None, False))
            pointer += 1

    for position, (key, item) in enumerate(new, start=1):
        if key not in old_index:
            out.append((key, None, item, None, position, False))
            continue
        if key in stable:
            flush(old_index[key])
            pointer = max(pointer, old_index[key] + 1)
        out.append((key, old[old_index[key]][1], item, old_index[key] + 1, position, key not in stable))
    flush(len(old))
    return out


def _pair(old_units: list, new_units: list, make) -> list[UnitDiff]:
    """Pair units by key, in display order: the new order, with each deleted unit where it stood."""
    out: list[UnitDiff] = []
    for key, before, after, old_position, new_position, moved in pair_keyed(_keyed(old_units), _keyed(new_units)):
        if new_position is None:
            out.append(UnitDiff(key, DELETED, before, None, old_position=old_position))
        elif old_position is None:
            out.append(UnitDiff(key, INSERTED, None, after, new_position=new_position))
        else:
            diff = make(key, before, after)
            diff.old_position, diff.new_position, diff.moved = old_position, new_position, moved
            out.append(diff)
    return out


def _leaf(key: str, old: dict, new: dict) -> UnitDiff:
    if old == new:
        return UnitDiff(key, EQUAL_STATUS, old, new)
    old_html, new_html = _html(old), _html(new)
    ops = diff_html(old_html, new_html)
    changed = old_html != new_html or {k: v for k, v in old.items() if k != "html"} != {
        k: v for k, v in new.items() if k != "html"
    }
    return UnitDiff(key, EDITED if changed else EQUAL_STATUS, old, new, ops=ops)


def _block(key: str, old: dict, new: dict) -> UnitDiff:
    old_type, new_type = old.get("type"), new.get("type")
    if old == new:
        return UnitDiff(key, EQUAL_STATUS, old, new)
    if old_type in LISTS and new_type in LISTS:
        children = _pair(_list(old.get("items")), _list(new.get("items")), _leaf)
        return UnitDiff(key, EDITED, old, new, children=children)
    if old_type == "table" and new_type == "table":
        return _table(key, old, new)
    if _shape(old_type) != _shape(new_type):
        # A paragraph that became a list or a table (or back): its words compared as one line.
        return UnitDiff(key, EDITED, old, new, ops=diff_html(_flat(old), _flat(new)))
    return _leaf(key, old, new)


def _shape(block_type) -> str:
    return "list" if block_type in LISTS else "table" if block_type == "table" else "leaf"


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _cells(block: dict) -> list[dict]:
    return [cell for row in _list(block.get("rows")) for cell in _list(row) if isinstance(cell, dict)]


def _grid(block: dict) -> list[list[str]]:
    keys = iter(child_key for child_key, _cell in _keyed(_cells(block)))
    return [[next(keys) for cell in _list(row) if isinstance(cell, dict)] for row in _list(block.get("rows"))]


def _table(key: str, old: dict, new: dict) -> UnitDiff:
    children = _pair(_cells(old), _cells(new), _leaf)
    for child in children:
        child.moved = False  # a cell's id belongs to its place in the grid; the grid is shown as it is now
    return UnitDiff(key, EDITED, old, new, children=children, grid=_grid(new), old_grid=_grid(old))


def _flat(block: dict) -> str:
    """A block's text as one line of inline HTML (to compare a paragraph with what replaced it as a list)."""
    if block.get("type") in LISTS:
        return " ".join(_html(item) for item in _list(block.get("items")))
    if block.get("type") == "table":
        return " ".join(_html(cell) for cell in _cells(block))
    return _html(block)


def diff_documents(old: dict | None, new: dict | None) -> DocumentDiff:
    """Any caller: the diff of two stored Documents (None or malformed counts as empty)."""
    meta = {key: value for key, value in (new or {}).items() if key != "blocks"} if isinstance(new, dict) else {}
    return DocumentDiff(_pair(_blocks(old), _blocks(new), _block), meta)


def _blocks(doc) -> list:
    blocks = doc.get("blocks") if isinstance(doc, dict) else None
    return blocks if isinstance(blocks, list) else []


def apply_document(old: dict | None, diff: DocumentDiff) -> dict:
    """The new Document, rebuilt from the old one and the diff alone (what every test of the diff checks)."""
    old_blocks = dict(_keyed(_blocks(old)))
    blocks = [_apply_unit(entry, old_blocks) for entry in diff.blocks if entry.status != DELETED]
    return {**diff.meta, "blocks": blocks}


def _apply_unit(entry: UnitDiff, old_units: dict) -> dict:
    if entry.status == INSERTED:
        return entry.new
    old = old_units[entry.key]
    if entry.status == EQUAL_STATUS and not entry.ops:
        return old
    attrs = entry.attrs()
    kind = old.get("type"), attrs.get("type")
    if entry.grid or (kind[0] == "table" and kind[1] == "table"):
        cells = dict(_keyed(_cells(old)))
        rebuilt = {child.key: _apply_unit(child, cells) for child in entry.children if child.status != DELETED}
        return {**attrs, "rows": [[rebuilt[key] for key in row] for row in entry.grid]}
    if entry.children or (kind[0] in LISTS and kind[1] in LISTS):
        items = dict(_keyed(_list(old.get("items"))))
        return {**attrs, "items": [_apply_unit(child, items) for child in entry.children if child.status != DELETED]}
    if any(key in entry.new for key in ("items", "rows")):
        return entry.new  # a leaf that became a list or a table: its content is all new
    return {**attrs, "html": apply_ops(entry.ops)} if "html" in entry.new else attrs
