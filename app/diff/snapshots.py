"""The diff of two snapshots of one item, field by field, following the item kind's field spec.

A spec is a list of FieldSpec: a path into the snapshot (("title",), ("sections", "instruction")), a label and a
kind: "text" (a plain string, diffed word by word), "rich" (a rich-text Document, app/diff/documents.py),
"records" (a list matched by id: a question's options or pairs, a unit's standards; each record's fields compared
one by one) or "value" (anything else, shown as old and new, through `choices` when given). Keys of the snapshots
that no spec names are still compared (kind guessed from the value), so a field added later is never hidden.
"""

from __future__ import annotations

import html as htmllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.diff.documents import (
    DELETED,
    EDITED,
    EQUAL_STATUS,
    INSERTED,
    DocumentDiff,
    apply_document,
    diff_documents,
    pair_keyed,
)
from app.diff.words import Op, apply_ops, change_count, diff_html

UNCHANGED, CHANGED, ADDED, REMOVED = "unchanged", "changed", "added", "removed"
KINDS = ("text", "rich", "records", "value", "auto")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True)
class FieldSpec:
    path: tuple[str, ...]
    label: Any  # a string or a lazy translation
    kind: str = "auto"
    choices: Mapping | None = None  # value -> label, for "value" fields
    record_labels: Mapping | None = None  # record key -> label, for "records" fields


@dataclass
class RecordDiff:
    """One record of a "records" field (an option, a pair, a standard), matched by its id."""

    key: str
    status: str
    old: Any
    new: Any
    old_position: int | None = None
    new_position: int | None = None
    moved: bool = False
    fields: list[FieldDiff] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status != EQUAL_STATUS or self.moved


@dataclass
class FieldDiff:
    spec: FieldSpec
    kind: str
    old: Any
    new: Any
    status: str
    ops: list[Op] = field(default_factory=list)
    document: DocumentDiff | None = None
    records: list[RecordDiff] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether a reader sees a change: a field that went from absent to empty (a section added to the
        snapshots later, say) has a diff (apply needs it) but nothing to show."""
        return self.status != UNCHANGED and not (_blank(self.old) and _blank(self.new))

    @property
    def key(self) -> str:
        return ".".join(self.spec.path)

    def change_count(self) -> int:
        if not self.changed:
            return 0
        if self.kind == "rich" and self.document is not None:
            return max(self.document.change_count(), 1)
        if self.kind == "records":
            return max(sum(1 for record in self.records if record.changed), 1)
        if self.kind == "text":
            return max(change_count(self.ops), 1)
        return 1


@dataclass
class SnapshotDiff:
    fields: list[FieldDiff]

    @property
    def changed(self) -> list[FieldDiff]:
        return [diff for diff in self.fields if diff.changed]

    @property
    def unchanged(self) -> list[FieldDiff]:
        return [diff for diff in self.fields if not diff.changed]

    def change_count(self) -> int:
        return sum(diff.change_count() for diff in self.fields)

    def field(self, key: str) -> FieldDiff | None:
        return next((diff for diff in self.fields if diff.key == key), None)


def _blank(value) -> bool:
    if value is MISSING or value is None or value == "" or value == []:
        return True
    return isinstance(value, dict) and "blocks" in value and not value.get("blocks")


def get_path(snapshot, path: tuple[str, ...]):
    value = snapshot
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return MISSING
        value = value[key]
    return value


def _kind_of(value) -> str:
    if isinstance(value, dict) and "blocks" in value:
        return "rich"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
        return "records"
    if isinstance(value, list) and value and all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
        return "records"  # a list of ids or codes (standards aligned, say): each one added, removed or moved
    return "value"


def _guess(old, new) -> str:
    kinds = {_kind_of(v) for v in (old, new) if v is not MISSING and v is not None}
    return kinds.pop() if len(kinds) == 1 else "value"


def text_ops(old, new) -> list[Op]:
    """Word ops between two plain strings (escaped, so a '<' in a title is text, not a tag)."""
    return diff_html(_escape(old), _escape(new))


def _escape(value) -> str:
    return htmllib.escape(value if isinstance(value, str) else "", quote=False)


def apply_text(ops: list[Op]) -> str:
    return htmllib.unescape(apply_ops(ops))


def diff_field(spec: FieldSpec, old, new) -> FieldDiff:
    kind = spec.kind if spec.kind != "auto" else _guess(old, new)
    if old == new and type(old) is type(new):
        return FieldDiff(spec, kind, old, new, UNCHANGED)
    status = ADDED if old is MISSING else REMOVED if new is MISSING else CHANGED
    diff = FieldDiff(spec, kind, old, new, status)
    # A removed field is diffed against nothing, so what it held shows as deleted.
    if kind == "text" and isinstance(new, str | _Missing) and isinstance(old, str | _Missing | None):
        diff.ops = text_ops(old, new)
    elif kind == "rich" and isinstance(new, dict | _Missing) and isinstance(old, dict | _Missing | None):
        diff.document = diff_documents(old if isinstance(old, dict) else None, new if isinstance(new, dict) else None)
    elif kind == "records" and isinstance(new, list | _Missing) and isinstance(old, list | _Missing | None):
        diff.records = diff_records(spec, old if isinstance(old, list) else [], new if isinstance(new, list) else [])
    else:
        diff.kind = "value"
    return diff


def _record_key(index: int, record, seen: set) -> str:
    key = record.get("id") if isinstance(record, dict) else record
    key = str(key) if isinstance(key, str | int) and not isinstance(key, bool) else f"#{index}"
    if key in seen:
        key = f"#{index}"
    seen.add(key)
    return key


def _keyed_records(records: list) -> list[tuple[str, Any]]:
    seen: set = set()
    return [(_record_key(index, record, seen), record) for index, record in enumerate(records)]


def diff_records(spec: FieldSpec, old: list, new: list) -> list[RecordDiff]:
    """Records paired by id in display order (the new order, deleted ones where they stood), with moves."""
    out: list[RecordDiff] = []
    for key, before, record, old_position, new_position, moved in pair_keyed(_keyed_records(old), _keyed_records(new)):
        if new_position is None:
            out.append(RecordDiff(key, DELETED, before, None, old_position=old_position))
            continue
        if old_position is None:
            out.append(RecordDiff(key, INSERTED, None, record, new_position=new_position))
            continue
        entry = RecordDiff(key, EQUAL_STATUS if before == record else EDITED, before, record)
        entry.old_position, entry.new_position, entry.moved = old_position, new_position, moved
        if entry.status == EDITED and isinstance(before, dict) and isinstance(record, dict):
            labels = spec.record_labels or {}
            for name in [*record, *(k for k in before if k not in record)]:
                sub = FieldSpec((name,), labels.get(name, name))
                entry.fields.append(diff_field(sub, before.get(name, MISSING), record.get(name, MISSING)))
        out.append(entry)
    return out


def _uncovered(old, new, specs: list[FieldSpec], prefix: tuple[str, ...] = ()) -> list[FieldSpec]:
    """Specs for the keys of the snapshots that no spec names (found at any depth a spec reaches into)."""
    named = {spec.path for spec in specs}
    inner = {spec.path[: len(prefix) + 1] for spec in specs if len(spec.path) > len(prefix) + 1}
    old_value, new_value = get_path(old, prefix) if prefix else old, get_path(new, prefix) if prefix else new
    keys = [*(old_value if isinstance(old_value, dict) else {})]
    keys += [k for k in (new_value if isinstance(new_value, dict) else {}) if k not in keys]
    extra: list[FieldSpec] = []
    for key in sorted(keys):
        path = (*prefix, key)
        if path in named:
            continue
        if path in inner:
            extra += _uncovered(old, new, specs, path)
            continue
        extra.append(FieldSpec(path, " · ".join(part.replace("_", " ") for part in path).capitalize()))
    return extra


def diff_snapshots(specs: list[FieldSpec], old: dict | None, new: dict | None) -> SnapshotDiff:
    """Any caller: the diff of two snapshots of one item, in the spec's order, then any field the spec lacks."""
    old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
    every = [*specs, *_uncovered(old, new, specs)]
    fields = []
    for spec in every:
        before, after = get_path(old, spec.path), get_path(new, spec.path)
        if before is MISSING and after is MISSING:
            continue
        fields.append(diff_field(spec, before, after))
    return SnapshotDiff(fields)


def apply_field(diff: FieldDiff):
    """The new value of a field, from its old value and the diff."""
    if diff.status == UNCHANGED:
        return diff.old
    if diff.status == REMOVED:
        return MISSING
    if diff.kind == "text" and diff.ops is not None and isinstance(diff.new, str):
        return apply_text(diff.ops)
    if diff.kind == "rich" and diff.document is not None:
        return apply_document(diff.old if isinstance(diff.old, dict) else None, diff.document)
    if diff.kind == "records":
        return _apply_records(diff)
    return diff.new


def _apply_records(diff: FieldDiff) -> list:
    old = dict(_keyed_records(diff.old if isinstance(diff.old, list) else []))
    out = []
    for record in diff.records:
        if record.status == DELETED:
            continue
        if record.status == INSERTED:
            out.append(record.new)
        elif record.status == EQUAL_STATUS:
            out.append(old[record.key])
        elif record.fields:
            rebuilt = dict(old[record.key])
            for sub in record.fields:
                value = apply_field(sub)
                if value is MISSING:
                    rebuilt.pop(sub.spec.path[0], None)
                else:
                    rebuilt[sub.spec.path[0]] = value
            out.append({key: rebuilt[key] for key in [*record.new, *(k for k in rebuilt if k not in record.new)]})
        else:
            out.append(record.new)
    return out


def apply_snapshot(old: dict | None, diff: SnapshotDiff) -> dict:
    """The new snapshot, rebuilt from the old one and the diff (the property the tests check)."""
    import copy

    result = copy.deepcopy(old) if isinstance(old, dict) else {}
    for field_diff in diff.fields:
        value = apply_field(field_diff)
        _set_path(result, field_diff.spec.path, value)
    return result


def _set_path(target: dict, path: tuple[str, ...], value) -> None:
    for key in path[:-1]:
        nxt = target.get(key)
        if not isinstance(nxt, dict):
            nxt = target[key] = {}
        target = nxt
    if value is MISSING:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
