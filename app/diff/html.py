"""A diff as HTML: inline (deletions and insertions in one text) or one side of a side-by-side view.

Changes are marked with <ins> and <del> (underlined and struck through, not colour alone), each opened by
visually hidden words for screen readers ("Added:", "Deleted:"); formatting changes are told in words. Every
piece of content comes from the documents' HTML cleaned by the content sanitiser (documents.py cleans before it
tokenises), and the finished HTML is cleaned once more by DIFF_CLEANER, the content allow-list plus the diff's own
marks, so a stored document with hostile markup from before the sanitising rules changed is shown safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import nh3
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.diff.documents import DELETED, EDITED, EQUAL_STATUS, INSERTED, LISTS, DocumentDiff, UnitDiff
from app.diff.tokens import VOID, MarkStack, is_math, tag_of, text_of, tokenize
from app.diff.words import DELETE, EQUAL, INSERT, Op
from app.richtext.services import clean_stored, render

INLINE, OLD, NEW = "inline", "old", "new"
EMPTY = Markup("")
_TAGS = {
    "p", "br", "strong", "em", "s", "del", "ins", "code", "sub", "sup", "a", "ul", "ol", "li", "pre", "div",
    "span", "table", "tbody", "tr", "td", "th", "img", "figure", "figcaption",
}  # fmt: skip
_CLASSES = {
    "diff-format", "diff-math", "diff-block", "diff-note", "diff-ins", "diff-del", "visually-hidden", "rich-text",
    "diff-depth-1", "diff-depth-2", "diff-depth-3", "diff-depth-4", "diff-depth-5", "diff-h2", "diff-h3", "diff-h4",
    "diff-p", "diff-blockquote", "diff-pre", "diff-math-block", "diff-figure", "diff-list", "diff-table", "diff-cell",
    "diff-cell--deleted", "diff-cell--inserted",
}  # fmt: skip


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = [part for part in value.split() if part in _CLASSES]
        return " ".join(kept) or None
    if tag == "img" and name == "src":
        return value if value.startswith("/richtext/images/") and len(value) == 81 else None
    return value


DIFF_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes={
        "*": {"class"},
        "a": {"href"},
        "img": {"src", "alt", "width", "height"},
        "td": {"colspan", "rowspan"},
        "th": {"colspan", "rowspan"},
    },
    attribute_filter=_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer nofollow",
    url_schemes={"http", "https", "mailto"},
    url_relative=lambda url: url if url.startswith("/richtext/images/") else None,
)


def safe(html: str) -> Markup:
    """The diff allow-list applied to finished diff HTML."""
    return Markup(DIFF_CLEANER.clean(html))  # noqa: S704 - the sanitiser's output


_MARK_OPEN = {"strong": "<strong>", "em": "<em>", "del": "<s>", "code": "<code>", "sub": "<sub>", "sup": "<sup>"}
_MARK_CLOSE = {"strong": "</strong>", "em": "</em>", "del": "</s>", "code": "</code>", "sub": "</sub>", "sup": "</sup>"}


def _open(marks) -> str:
    out = []
    for name, href in marks:
        if name == "a":
            out.append(f'<a href="{escape(href or "")}">')
        else:
            out.append(_MARK_OPEN[name])
    return "".join(out)


def _close(marks) -> str:
    return "".join("</a>" if name == "a" else _MARK_CLOSE[name] for name, _href in reversed(marks))


_MARK_CHANGES = {
    "strong": (_l("made bold"), _l("no longer bold")),
    "em": (_l("made italic"), _l("no longer italic")),
    "del": (_l("struck through"), _l("no longer struck through")),
    "code": (_l("made code"), _l("no longer code")),
    "sub": (_l("made subscript"), _l("no longer subscript")),
    "sup": (_l("made superscript"), _l("no longer superscript")),
}


def describe_formatting(old_marks, new_marks, text: str) -> str:
    """In words: what changed in the formatting of `text` (e.g. “photosynthesis”: made bold, link removed)."""
    names = _MARK_CHANGES
    old_names = {name for name, _href in old_marks}
    new_names = {name for name, _href in new_marks}
    parts = [str(names[name][0]) for name in sorted(new_names - old_names - {"a"})]
    parts += [str(names[name][1]) for name in sorted(old_names - new_names - {"a"})]
    old_link = next((href for name, href in old_marks if name == "a"), None)
    new_link = next((href for name, href in new_marks if name == "a"), None)
    if old_link is None and new_link is not None:
        parts.append(_("link to %(url)s added", url=new_link))
    elif old_link is not None and new_link is None:
        parts.append(_("link removed"))
    elif old_link != new_link:
        parts.append(_("link changed to %(url)s", url=new_link))
    short = text if len(text) <= 60 else text[:57] + "…"
    return _("“%(text)s”: %(changes)s", text=short.strip(), changes=", ".join(parts))


@dataclass
class Inline:
    html: Markup
    notes: list[str] = field(default_factory=list)


def render_ops(ops: list[Op], side: str = INLINE) -> Inline:
    """HTML for word ops: `side` INLINE shows both, OLD the old text with its deletions, NEW the new with its
    insertions. Formatting changes are collected as notes."""
    old_stack, new_stack = MarkStack(), MarkStack()
    runs: list[tuple[int, tuple, list[str], tuple | None]] = []  # (op, marks, tokens, old marks of a format change)
    for op, tokens in ops:
        for token in tokens:
            tag = tag_of(token)
            if tag is not None and tag.name not in VOID and tag.name != "figcaption":
                if op != INSERT:
                    old_stack.feed(tag)
                if op != DELETE:
                    new_stack.feed(tag)
                continue
            if tag is not None and tag.name == "figcaption":
                token = " " if tag.closing else "<br>"
            marks = old_stack.marks if op == DELETE else new_stack.marks
            changed_from = old_stack.marks if op == EQUAL and old_stack.marks != new_stack.marks else None
            if is_math(token):
                token = f'<code class="diff-math">{token}</code>'
            if runs and runs[-1][0] == op and runs[-1][1] == marks and runs[-1][3] == changed_from:
                runs[-1][2].append(token)
            else:
                runs.append((op, marks, [token], changed_from))
    out: list[str] = []
    notes: list[str] = []
    images = {DELETE: 0, INSERT: 0}
    wrapper = None  # the <ins> or <del> open in `out`, so neighbouring runs of one kind share it
    for op, marks, tokens, changed_from in runs:
        if (side == OLD and op == INSERT) or (side == NEW and op == DELETE):
            continue
        body = _open(marks) + "".join(tokens) + _close(marks)
        if op != wrapper and wrapper is not None:
            out.append("</ins>" if wrapper == INSERT else "</del>")
            wrapper = None
        if op in images:
            images[op] += sum(1 for token in tokens if token.startswith("<img"))
            if wrapper is None:
                label = _("Added:") if op == INSERT else _("Deleted:")
                out.append(f'<{"ins" if op == INSERT else "del"}><span class="visually-hidden">{escape(label)} </span>')
                wrapper = op
            out.append(body)
        elif changed_from is not None and text_of(tokens).strip():
            note = describe_formatting(changed_from, marks, text_of(tokens))
            notes.append(note)
            out.append(f'<span class="diff-format">{body}<span class="visually-hidden"> ({escape(note)})</span></span>')
        else:
            out.append(body)
    if wrapper is not None:
        out.append("</ins>" if wrapper == INSERT else "</del>")
    if images[DELETE] and images[INSERT]:
        notes.append(_("Image replaced"))
    elif images[INSERT]:
        notes.append(_("Image added"))
    elif images[DELETE]:
        notes.append(_("Image removed"))
    return Inline(Markup("".join(out)), notes)  # noqa: S704 - cleaned by the caller (safe) before it is shown


_TYPE_NAMES = {
    "p": _l("a paragraph"),
    "h2": _l("a heading"),
    "h3": _l("a subheading"),
    "h4": _l("a minor heading"),
    "blockquote": _l("a quotation"),
    "pre": _l("a code block"),
    "math": _l("a formula"),
    "figure": _l("an image"),
    "ul": _l("a bulleted list"),
    "ol": _l("a numbered list"),
    "table": _l("a table"),
}


@dataclass
class BlockView:
    """One block of a rich-text field's diff, ready for a template."""

    status: str
    moved: bool
    notes: list[str]
    html: Markup  # for the inline view, or the side asked for
    old: Markup = EMPTY
    new: Markup = EMPTY
    unchanged: int = 0  # a folded run of this many unchanged blocks (html holds them)


def _tokens_all(unit: dict | None, op: int) -> list[Op]:
    return [(op, tuple(tokenize(clean_stored(unit.get("html")) if isinstance(unit, dict) else "")))]


def _unit_ops(entry: UnitDiff) -> list[Op]:
    if entry.status == INSERTED:
        return _tokens_all(entry.new, INSERT)
    if entry.status == DELETED:
        return _tokens_all(entry.old, DELETE)
    if entry.ops:
        return entry.ops
    return _tokens_all(entry.new, EQUAL)


def _wrap(block_type: str | None, inner: str) -> str:
    kind = block_type if block_type in ("h2", "h3", "h4", "blockquote", "math", "figure") else "p"
    if block_type == "pre":
        return f'<pre class="diff-block diff-pre">{inner}</pre>'
    return f'<div class="diff-block diff-{kind if kind != "math" else "math-block"}">{inner}</div>'


def _block_html(entry: UnitDiff, side: str) -> tuple[str, list[str]]:
    unit = entry.new if (entry.new is not None and side != OLD) else entry.old
    block_type = unit.get("type") if isinstance(unit, dict) else None
    kind = entry.kind
    if kind == "list" and (entry.children or entry.status != EDITED):
        children = entry.children or [
            UnitDiff(c.get("id", ""), entry.status, c if entry.status == DELETED else None,
                     c if entry.status == INSERTED else None)
            for c in (unit.get("items") or []) if isinstance(c, dict)
        ]  # fmt: skip
        items, notes = [], []
        if side == OLD:
            children = sorted(children, key=lambda child: child.old_position or 0)
        for child in children:
            if (side == OLD and child.status == INSERTED) or (side == NEW and child.status == DELETED):
                continue
            rendered = render_ops(_unit_ops(child), side)
            notes += rendered.notes
            depth = (child.new or child.old or {}).get("depth")
            depth_class = f' class="diff-depth-{depth}"' if isinstance(depth, int) and 0 < depth <= 5 else ""
            moved = ""
            if child.moved and side != OLD:
                moved = f'<span class="diff-note">{escape(_("(moved)"))}</span> '
            items.append(f"<li{depth_class}>{moved}{rendered.html}</li>")
        tag = "ol" if block_type == "ol" else "ul"
        return f'<{tag} class="diff-block diff-list">{"".join(items)}</{tag}>', notes
    if kind == "table" and entry.status == EDITED and entry.grid:
        by_key = {child.key: child for child in entry.children}
        rows, notes = [], []
        for row in entry.grid if side != OLD else entry.old_grid:
            cells = []
            for key in row:
                child = by_key[key]
                rendered = render_ops(_unit_ops(child), side)
                notes += rendered.notes
                cells.append(f'<td class="diff-cell">{rendered.html}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        gone = [child for child in entry.children if child.status == DELETED]
        if gone and side == INLINE:
            cells = "".join(
                f'<td class="diff-cell diff-cell--deleted">{render_ops(_unit_ops(child), side).html}</td>'
                for child in gone
            )
            rows.append(f"<tr>{cells}</tr>")
        return f'<table class="diff-block diff-table"><tbody>{"".join(rows)}</tbody></table>', notes
    if kind == "table" or (kind == "list" and entry.status == EDITED and not entry.children):
        # A table added or removed whole, or a block whose shape changed: its words as one text.
        ops = entry.ops or _flat_ops(entry)
        rendered = render_ops(ops, side)
        return _wrap("p", str(rendered.html)), rendered.notes
    rendered = render_ops(_unit_ops(entry), side)
    return _wrap(block_type, str(rendered.html)), rendered.notes


def _flat_ops(entry: UnitDiff) -> list[Op]:
    from app.diff.documents import _flat

    if entry.status == INSERTED:
        return [(INSERT, tuple(tokenize(_flat(entry.new))))]
    if entry.status == DELETED:
        return [(DELETE, tuple(tokenize(_flat(entry.old))))]
    return [(EQUAL, tuple(tokenize(_flat(entry.new))))]


def _block_notes(entry: UnitDiff) -> list[str]:
    notes = []
    if entry.moved:
        notes.append(_("Moved from place %(old)d to place %(new)d", old=entry.old_position, new=entry.new_position))
    if entry.status == EDITED:
        old_type = (entry.old or {}).get("type")
        new_type = (entry.new or {}).get("type")
        if old_type != new_type:
            old_name, new_name = _TYPE_NAMES.get(old_type, old_type), _TYPE_NAMES.get(new_type, new_type)
            notes.append(_("Was %(old)s, now %(new)s", old=str(old_name), new=str(new_name)))
        for child in entry.children:
            old_depth, new_depth = (child.old or {}).get("depth") or 0, (child.new or {}).get("depth") or 0
            if child.status == EDITED and old_depth != new_depth:
                notes.append(_("A list item indented") if new_depth > old_depth else _("A list item outdented"))
    return notes


def block_views(diff: DocumentDiff, view: str = INLINE) -> list[BlockView]:
    """The blocks of a field's diff for a page: changed blocks rendered with their changes, runs of unchanged
    blocks folded into one view each (its html holds the blocks as they read)."""
    out: list[BlockView] = []
    equal_run: list[dict] = []

    def fold() -> None:
        if equal_run:
            out.append(
                BlockView(EQUAL_STATUS, False, [], render({"blocks": list(equal_run)}), unchanged=len(equal_run))
            )
            equal_run.clear()

    for entry in diff.blocks:
        if not entry.changed:
            equal_run.append(entry.new)
            continue
        fold()
        notes = _block_notes(entry)
        if view == INLINE:
            html, inner = _block_html(entry, INLINE)
            out.append(BlockView(entry.status, entry.moved, notes + _unique(inner), safe(html)))
        else:
            old_html, old_notes = ("", []) if entry.status == INSERTED else _block_html(entry, OLD)
            new_html, new_notes = ("", []) if entry.status == DELETED else _block_html(entry, NEW)
            extra = _unique(new_notes or old_notes)
            out.append(BlockView(entry.status, entry.moved, notes + extra, Markup(""), safe(old_html), safe(new_html)))
    fold()
    return out


def _unique(notes: list[str]) -> list[str]:
    return list(dict.fromkeys(notes))


def text_view(ops: list[Op], view: str = INLINE) -> tuple[Markup, Markup, Markup]:
    """(inline, old, new) HTML for a plain-text field's word ops (only the asked view's parts are filled)."""
    if view == INLINE:
        return safe(str(render_ops(ops, INLINE).html)), Markup(""), Markup("")
    return Markup(""), safe(str(render_ops(ops, OLD).html)), safe(str(render_ops(ops, NEW).html))


__all__ = ["DELETED", "EDITED", "EQUAL_STATUS", "INSERTED", "LISTS", "BlockView", "block_views", "text_view"]
