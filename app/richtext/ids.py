"""Stable ids: a block keeps its id while it is edited, moved or has neighbours added or removed.

Editors drop unknown attributes, so ids are never read back from the HTML: the new blocks are aligned with the
previous document's. In order: (1) blocks equal to an old one, matched in sequence (difflib's longest matching
runs); (2) in each gap between those, an edited block pairs with the most similar old block of the gap, in order,
when at least half its words agree; (3) what is left pairs with an exact copy anywhere (a move), then with a very
similar one (a move and an edit). Everything else gets a new id. List items are aligned the same way inside a list
that was paired; table cells keep the ids of their grid positions while the table keeps its shape, and are aligned
like items when rows or columns were added or removed. Each old id is used at most once.
"""

from __future__ import annotations

import re
import secrets
from difflib import SequenceMatcher

PREFIX = {"block": "b-", "item": "i-", "cell": "c-"}
ID = re.compile(r"^[bic]-[a-z0-9]{4,16}$")
EDIT_RATIO = 0.5
MOVE_RATIO = 0.8
WINDOW = 12  # how far ahead in a gap an edited block is looked for
MAX_MOVE_PAIRS = 40_000  # bounds the quadratic search for moved-and-edited blocks in a huge rewrite
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_TAGS = re.compile(r"<[^>]*>")
_SRC = re.compile(r'src="([^"]*)"')


def new_id(kind: str) -> str:
    return PREFIX[kind] + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def assign_ids(blocks: list[dict], previous: list[dict]) -> None:
    """Set "id" on every block, item and cell of `blocks` (in place), reusing ids of `previous` (a stored
    document's blocks; anything malformed in it is ignored)."""
    old = [b for b in previous if isinstance(b, dict) and isinstance(b.get("id"), str) and ID.match(b["id"])]
    pairs = _align(blocks, old, _block_key)
    used: set[str] = set()
    for index, block in enumerate(blocks):
        match = pairs.get(index)
        if match is not None and match["id"] not in used:
            block["id"] = match["id"]
            _assign_parts(block, match, used)
        else:
            block["id"] = _fresh("block", used)
            _assign_parts(block, {}, used)
        used.add(block["id"])


def _assign_parts(block: dict, old: dict, used: set[str]) -> None:
    if "items" in block:
        _assign_units(block["items"], old.get("items") if _family(old) == "list" else [], "item", used)
    elif "rows" in block:
        old_rows = [row for row in (old.get("rows") or []) if isinstance(row, list)] if _family(old) == "table" else []
        cells = [cell for row in block["rows"] for cell in row]
        if [len(row) for row in old_rows] == [len(row) for row in block["rows"]]:
            # Same shape: a cell is its place in the grid, whatever was typed into it.
            old_cells = [cell for row in old_rows for cell in row]
            for cell, previous in zip(cells, old_cells, strict=True):
                valid = isinstance(previous, dict) and isinstance(previous.get("id"), str) and ID.match(previous["id"])
                cell["id"] = previous["id"] if valid and previous["id"] not in used else _fresh("cell", used)
                used.add(cell["id"])
        else:
            _assign_units(cells, [cell for row in old_rows for cell in row], "cell", used)


def _assign_units(units: list[dict], old_units, kind: str, used: set[str]) -> None:
    old = [u for u in (old_units or []) if isinstance(u, dict) and isinstance(u.get("id"), str) and ID.match(u["id"])]
    pairs = _align(units, old, lambda unit: (kind, str(unit.get("html", ""))))
    for index, unit in enumerate(units):
        match = pairs.get(index)
        unit["id"] = match["id"] if match is not None and match["id"] not in used else _fresh(kind, used)
        used.add(unit["id"])


def _fresh(kind: str, used: set[str]) -> str:
    while (candidate := new_id(kind)) in used:
        pass
    return candidate


def _align(new: list[dict], old: list[dict], key) -> dict[int, dict]:
    """new index -> the old entry it continues."""
    new_keys = [key(entry) for entry in new]
    old_keys = [key(entry) for entry in old]
    pairs: dict[int, dict] = {}
    taken: set[int] = set()
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                pairs[j1 + offset] = old[i1 + offset]
                taken.add(i1 + offset)
        elif tag == "replace":
            _pair_in_order(new_keys, old_keys, range(i1, i2), range(j1, j2), pairs, old, taken)
    _pair_moves(new_keys, old_keys, pairs, old, taken)
    return pairs


def _pair_in_order(new_keys, old_keys, old_range, new_range, pairs, old, taken) -> None:
    start = old_range.start
    for j in new_range:
        best, best_ratio = None, EDIT_RATIO
        for i in range(start, min(old_range.stop, start + WINDOW)):
            if i in taken:
                continue
            ratio = _similarity(old_keys[i], new_keys[j])
            if ratio >= best_ratio:
                best, best_ratio = i, ratio
        if best is not None:
            pairs[j] = old[best]
            taken.add(best)
            start = best + 1


def _pair_moves(new_keys, old_keys, pairs, old, taken) -> None:
    free_old = [i for i in range(len(old)) if i not in taken]
    free_new = [j for j in range(len(new_keys)) if j not in pairs]
    if not free_old or not free_new:
        return
    by_key: dict[tuple[str, str], list[int]] = {}
    for i in free_old:
        by_key.setdefault(old_keys[i], []).append(i)
    for j in list(free_new):
        candidates = by_key.get(new_keys[j])
        if candidates:
            i = candidates.pop(0)
            pairs[j] = old[i]
            taken.add(i)
            free_new.remove(j)
    free_old = [i for i in free_old if i not in taken]
    if len(free_old) * len(free_new) > MAX_MOVE_PAIRS:
        return
    for j in free_new:
        best, best_ratio = None, MOVE_RATIO
        for i in free_old:
            if i not in taken and (ratio := _similarity(old_keys[i], new_keys[j])) >= best_ratio:
                best, best_ratio = i, ratio
        if best is not None:
            pairs[j] = old[best]
            taken.add(best)


def _similarity(a: tuple[str, str], b: tuple[str, str]) -> float:
    if a[0] != b[0]:
        return 0.0
    words_a, words_b = _words(a[1]), _words(b[1])
    if not words_a or not words_b:
        return 1.0 if a == b else 0.0
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    if matcher.real_quick_ratio() < EDIT_RATIO or matcher.quick_ratio() < EDIT_RATIO:
        return 0.0
    return matcher.ratio()


def _words(key: str) -> list[str]:
    return _TAGS.sub(" ", key).split()


def _family(block: dict) -> str:
    kind = block.get("type")
    if kind in ("ul", "ol"):
        return "list"
    if kind in ("table", "figure"):
        return kind
    return "leaf" if kind else ""


def _block_key(block: dict) -> tuple[str, str]:
    family = _family(block)
    if family == "list":
        text = " ".join(str(item.get("html", "")) for item in block.get("items") or [] if isinstance(item, dict))
    elif family == "table":
        text = " ".join(
            str(cell.get("html", ""))
            for row in block.get("rows") or []
            if isinstance(row, list)
            for cell in row
            if isinstance(cell, dict)
        )
    elif family == "figure":
        html = str(block.get("html", ""))
        text = " ".join([*_SRC.findall(html), html])  # the picture itself counts as a word
    else:
        text = str(block.get("html", ""))
    # The family is part of the key, so a paragraph never takes a list's id; a paragraph turned heading keeps its.
    return family, text
