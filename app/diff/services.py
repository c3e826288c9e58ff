"""The structured diff engine: pure functions over snapshots and rich-text Documents (no database, no request).

The public API; other packages import only this module.

    specs = [FieldSpec(("title",), _l("Title"), "text"), FieldSpec(("sections", "notes"), _l("Notes"), "rich")]
    diff = compare(specs, old_snapshot, new_snapshot)     # SnapshotDiff: fields changed and unchanged
    apply_snapshot(old_snapshot, diff) == new_snapshot     # the diff holds every change
    views = field_views(diff, view="inline" | "side")      # what a compare page shows, HTML already sanitised

docs/decisions/0016-version-diff.md has the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from app.diff.documents import DELETED, EDITED, EQUAL_STATUS, INSERTED, DocumentDiff, apply_document, diff_documents
from app.diff.html import EMPTY, INLINE, BlockView, block_views, render_ops, safe, text_view
from app.diff.snapshots import (
    ADDED,
    CHANGED,
    MISSING,
    REMOVED,
    UNCHANGED,
    FieldDiff,
    FieldSpec,
    SnapshotDiff,
    apply_snapshot,
    diff_snapshots,
    text_ops,
)
from app.diff.words import EQUAL, INSERT

VIEWS = ("inline", "side")
SIDE = "side"

__all__ = [
    "ADDED",
    "CHANGED",
    "DELETED",
    "EDITED",
    "EQUAL_STATUS",
    "INSERTED",
    "MISSING",
    "REMOVED",
    "SIDE",
    "UNCHANGED",
    "VIEWS",
    "BlockView",
    "DocumentDiff",
    "FieldDiff",
    "FieldSpec",
    "FieldView",
    "RecordView",
    "SnapshotDiff",
    "apply_document",
    "apply_snapshot",
    "compare",
    "diff_documents",
    "field_views",
    "view_of",
]


def view_of(value) -> str:
    """The view a request asked for, "inline" unless it named "side"."""
    return value if value in VIEWS else INLINE


def compare(specs: list[FieldSpec], old: dict | None, new: dict | None) -> SnapshotDiff:
    """Any caller: the diff of two snapshots of one item, field by field (see app/diff/snapshots.py)."""
    return diff_snapshots(specs, old, new)


@dataclass
class RecordView:
    status: str
    moved: bool
    notes: list[str]
    html: Markup
    old: Markup = EMPTY
    new: Markup = EMPTY


@dataclass
class FieldView:
    """One field of a compare page: its label and status, and its diff as HTML for the view asked for."""

    key: str
    label: object
    kind: str
    status: str
    changes: int
    blocks: list[BlockView] = field(default_factory=list)  # rich
    records: list[RecordView] = field(default_factory=list)  # records
    html: Markup = EMPTY  # text and value fields, inline view
    old: Markup = EMPTY  # side by side
    new: Markup = EMPTY


def _value(spec: FieldSpec, value) -> Markup:
    if value is MISSING or value is None or value == "":
        return Markup('<span class="diff-note">—</span>')
    if isinstance(value, bool):
        from flask_babel import gettext as _

        value = _("Yes") if value else _("No")
    elif spec.choices is not None and isinstance(value, str | int) and value in spec.choices:
        value = spec.choices[value]
    elif isinstance(value, list):
        value = ", ".join(
            str(v.get("label") or v.get("code") or v.get("id")) if isinstance(v, dict) else str(v) for v in value
        )
    elif isinstance(value, dict):
        from app.richtext.services import plain_text

        value = plain_text(value) if "blocks" in value else ", ".join(f"{k}: {v}" for k, v in value.items())
    return escape(str(value))


def _value_view(diff: FieldDiff, view: str) -> tuple[Markup, Markup, Markup]:
    old, new = _value(diff.spec, diff.old), _value(diff.spec, diff.new)
    if not diff.changed:
        return new, new, new
    from flask_babel import gettext as _

    deleted = Markup('<del><span class="visually-hidden">%s </span>%s</del>') % (_("Deleted:"), old)
    inserted = Markup('<ins><span class="visually-hidden">%s </span>%s</ins>') % (_("Added:"), new)
    if view == INLINE:
        return Markup("%s %s") % (deleted, inserted), Markup(""), Markup("")
    return Markup(""), deleted, inserted


def _record_text(spec: FieldSpec, record) -> str:
    """A record's words for showing it whole: its text-like fields in order."""
    if not isinstance(record, dict):
        shown = spec.choices.get(record, record) if spec.choices is not None else record
        return str(escape(str(shown)))
    parts = []
    for name, value in record.items():
        if name == "id":
            continue
        label = (spec.record_labels or {}).get(name)
        shown = _value(FieldSpec((name,), label or name), value)
        parts.append(f"{escape(label)}: {shown}" if label else str(shown))
    return " · ".join(parts)


def _record_views(diff: FieldDiff, view: str) -> list[RecordView]:
    from flask_babel import gettext as _

    out = []
    for record in diff.records:
        notes = []
        if record.moved:
            notes.append(
                _("Moved from place %(old)d to place %(new)d", old=record.old_position, new=record.new_position)
            )
        if record.status in (INSERTED, DELETED):
            text = _record_text(diff.spec, record.new if record.status == INSERTED else record.old)
            tag, label = ("ins", _("Added:")) if record.status == INSERTED else ("del", _("Deleted:"))
            html = safe(f'<{tag}><span class="visually-hidden">{escape(label)} </span>{text}</{tag}>')
            out.append(RecordView(record.status, False, notes, html, html, html))
            continue
        if record.status == EQUAL_STATUS:
            html = safe(_record_text(diff.spec, record.new))
            out.append(RecordView(record.status, record.moved, notes, html, html, html))
            continue
        parts_inline, parts_old, parts_new = [], [], []
        for sub in record.fields:
            if sub.spec.path[0] == "id":  # what matched the records, not a field of theirs (as in _record_text)
                continue
            label = escape(sub.spec.label)
            if sub.kind == "text" and sub.changed and sub.ops:
                inline, old, new = text_view(sub.ops, INLINE), *text_view(sub.ops, SIDE)[1:]
                inline = inline[0]
            elif sub.kind == "rich" and sub.changed and sub.document is not None:
                blocks = block_views(sub.document, INLINE)
                inline = Markup("").join(block.html for block in blocks)
                side = block_views(sub.document, SIDE)
                old = Markup("").join(block.old or block.html for block in side)
                new = Markup("").join(block.new or block.html for block in side)
            else:
                inline, old, new = _value_view(sub, INLINE)[0], *_value_view(sub, SIDE)[1:]
                if not sub.changed:
                    inline = old = new = _value(sub.spec, sub.new)
            if sub.changed and sub.spec.path[0] in ("correct", "is_correct"):
                notes.append(_("Correct answer changed"))
            parts_inline.append(f"{label}: {inline}")
            parts_old.append(f"{label}: {old}")
            parts_new.append(f"{label}: {new}")
        out.append(
            RecordView(
                record.status,
                record.moved,
                notes,
                safe(" · ".join(parts_inline)),
                safe(" · ".join(parts_old)),
                safe(" · ".join(parts_new)),
            )
        )
    return out


def field_views(diff: SnapshotDiff, view: str = INLINE) -> list[FieldView]:
    """Every field of the diff for a page, in order; unchanged fields carry no HTML (the page folds them)."""
    out = []
    for fd in diff.fields:
        fv = FieldView(fd.key, fd.spec.label, fd.kind, fd.status if fd.changed else UNCHANGED, fd.change_count())
        if fd.changed:
            if fd.kind == "rich" and fd.document is not None:
                fv.blocks = block_views(fd.document, view)
            elif fd.kind == "records":
                fv.records = _record_views(fd, view)
            elif fd.kind == "text" and fd.ops:
                fv.html, fv.old, fv.new = text_view(fd.ops, view)
            else:
                fv.html, fv.old, fv.new = _value_view(fd, view)
        out.append(fv)
    return out


def text_changes(old: str, new: str) -> Markup:
    """Inline HTML of the word changes between two plain strings (a title in a notice, say)."""
    return safe(str(render_ops(text_ops(old, new)).html)) if old != new else escape(new)


def added_text(text: str) -> Markup:
    return safe(str(render_ops([(INSERT, (str(escape(text)),))]).html)) if text else Markup("")


def equal_text(text: str) -> Markup:
    return safe(str(render_ops([(EQUAL, (str(escape(text)),))]).html))
