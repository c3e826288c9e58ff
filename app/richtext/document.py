r"""The Document: rich text as plain JSON (stored in JSONB), built from HTML and turned back into editor HTML.

    {"version": 1,
     "blocks": [
       {"id": "b-k3j9x0qa", "type": "p", "html": "Some <strong>bold</strong> text and \(x^2\)"},
       {"id": "b-...", "type": "h2" | "h3" | "h4" | "blockquote", "html": "<inline html>"},
       {"id": "b-...", "type": "pre", "html": "escaped text, newlines kept"},
       {"id": "b-...", "type": "math", "html": "\[ display LaTeX \]"},      (a paragraph that is one formula)
       {"id": "b-...", "type": "figure",
        "html": "<img src=\"/richtext/images/<64 hex>\" width=\"640\" height=\"480\"><figcaption>text</figcaption>"},
       {"id": "b-...", "type": "ul" | "ol",
        "items": [{"id": "i-...", "html": "<inline html>"},
                  {"id": "i-...", "html": "...", "depth": 1, "list": "ol"}]},   (depth and list only when nested)
       {"id": "b-...", "type": "table",
        "rows": [[{"id": "c-...", "html": "<inline html>", "header": true, "colspan": 2, "rowspan": 1}, ...], ...]}
     ]}

Leaf blocks carry `html`; lists carry `items` (nested lists flattened in order, `depth` 0-5, `list` when a nested
level's kind differs from the block's); tables carry `rows` of cells (`header`, `colspan`, `rowspan` optional).
Every `html` is sanitised inline HTML (strong, em, del, code, sub, sup, a[href], br), in the one normal form
blocks.py writes, so equal text is equal strings. LaTeX stays in the text as written: \( ... \) inline,
\[ ... \] or $$ ... $$ display; it becomes MathML only when rendered. Ids are unique within a document:
"b-" blocks, "i-" list items, "c-" table cells, then 8 of [a-z0-9]. A later diff pairs blocks, items and cells by
id, then compares their `html` word by word.
"""

from __future__ import annotations

import json

from app.richtext.blocks import blocks_from_html
from app.richtext.ids import assign_ids
from app.richtext.sanitize import clean_html, clean_stored
from app.richtext.tree import Element, escape_attribute, parse, serialize

VERSION = 1
LEAF_TYPES = frozenset({"p", "h2", "h3", "h4", "blockquote", "pre", "math", "figure"})
TABLE_CONTENT_TYPE = "application/vnd.chalkline.table+html"


def to_document(raw_html: str, previous: dict | None = None, field: str = "body") -> dict:
    """The Document for `raw_html` (editor output, a paste, an import), sanitised and split into blocks, with the
    ids of `previous` (the stored Document this is an edit of) kept for the blocks that continue.

    Any caller may use it. Raises Invalid({field: message}) when the HTML is over 1 MB."""
    blocks = [_finish(block) for block in blocks_from_html(clean_html(raw_html or "", field))]
    assign_ids(blocks, blocks_of(previous))
    return {"version": VERSION, "blocks": [_id_first(block) for block in blocks]}


def _id_first(block: dict) -> dict:
    for key in ("items",):
        if key in block:
            block[key] = [{"id": unit.pop("id"), **unit} for unit in block[key]]
    if "rows" in block:
        block["rows"] = [[{"id": cell.pop("id"), **cell} for cell in row] for row in block["rows"]]
    return {"id": block.pop("id"), **block}


def empty_document() -> dict:
    return {"version": VERSION, "blocks": []}


def is_empty(doc: dict | None) -> bool:
    return not blocks_of(doc)


def blocks_of(doc) -> list[dict]:
    """The blocks of a stored Document, or [] for None or anything that is not one."""
    blocks = doc.get("blocks") if isinstance(doc, dict) else None
    return [block for block in blocks if isinstance(block, dict)] if isinstance(blocks, list) else []


def _finish(block: dict) -> dict:
    out: dict = {"type": block["type"]}
    if "nodes" in block:
        out["html"] = _html(block["nodes"])
    if "items" in block:
        out["items"] = [_unit(item) for item in block["items"]]
    if "rows" in block:
        out["rows"] = [[_unit(cell) for cell in row] for row in block["rows"]]
    return out


def _unit(unit: dict) -> dict:
    return {"html": _html(unit.pop("nodes")), **unit}


def _html(nodes: list) -> str:
    # Serialised from cleaned input and cleaned once more: what is stored is always the sanitiser's own output.
    return clean_stored(serialize(nodes))


def units(doc: dict | None):
    """(block, unit) for every piece of text a diff compares: each leaf block (unit is the block), each list item
    and each table cell, in document order."""
    for block in blocks_of(doc):
        if block.get("type") in ("ul", "ol"):
            for item in block.get("items") or []:
                if isinstance(item, dict):
                    yield block, item
        elif block.get("type") == "table":
            for row in block.get("rows") or []:
                for cell in row if isinstance(row, list) else []:
                    if isinstance(cell, dict):
                        yield block, cell
        else:
            yield block, block


def plain_text(doc: dict | None) -> str:
    """The words of the document for full-text search: no markup, LaTeX source kept as written; blocks are
    separated by a blank line, list items and table rows by a newline, cells by a tab."""
    parts: list[str] = []
    for block in blocks_of(doc):
        kind = block.get("type")
        if kind in ("ul", "ol"):
            parts.append("\n".join(_text(item.get("html")) for item in block.get("items") or []))
        elif kind == "table":
            rows = block.get("rows") or []
            parts.append("\n".join("\t".join(_text(cell.get("html")) for cell in row) for row in rows))
        elif kind == "figure":
            root = parse(_safe(block.get("html")))
            alt = " ".join(el.attrs.get("alt", "") for el in root.children if isinstance(el, Element))
            parts.append(" ".join(part for part in (alt.strip(), root.text().strip()) if part))
        else:
            parts.append(_text(block.get("html")))
    return "\n\n".join(part for part in parts if part)


def word_count(doc: dict | None) -> int:
    return len(plain_text(doc).split())


def _text(html) -> str:
    return parse(_safe(html)).text().strip()


def _safe(html) -> str:
    # Stored documents are read back through the sanitiser too: a row written by anything but to_document is
    # still shown safely.
    return clean_stored(html)


def to_editor_html(doc: dict | None) -> str:
    """HTML to load into the editor (Trix). Tables and images travel as Trix attachments, so an edit keeps them;
    the ids are not in it (they come back by alignment in to_document)."""
    return "".join(_editor_block(block) for block in blocks_of(doc))


def _editor_block(block: dict) -> str:
    kind = block.get("type")
    html = _safe(block.get("html"))
    if kind in ("h2", "h3", "h4", "blockquote", "pre"):
        return f"<{kind}>{html}</{kind}>"
    if kind in ("p", "math"):
        return f"<p>{html}</p>"
    if kind in ("ul", "ol"):
        return list_html(block, _safe)
    if kind == "table":
        table = table_html(block, _safe)
        data = json.dumps({"content": table, "contentType": TABLE_CONTENT_TYPE})
        return (
            f'<figure data-trix-attachment="{escape_attribute(data)}" '
            f'data-trix-content-type="{TABLE_CONTENT_TYPE}">{table}</figure>'
        )
    if kind == "figure":
        return _editor_figure(html)
    return ""


def _editor_figure(html: str) -> str:
    root = parse(html)
    image = next((el for el in root.children if isinstance(el, Element) and el.tag == "img"), None)
    if image is None:
        return ""
    caption = "".join(el.text() for el in root.children if isinstance(el, Element) and el.tag == "figcaption")
    attachment = {"contentType": "image", "url": image.attrs.get("src", "")}
    for side in ("width", "height"):
        if image.attrs.get(side, "").isdigit():
            attachment[side] = int(image.attrs[side])
    attributes = {"presentation": "gallery", **({"caption": caption} if caption else {})}
    # Trix reads the attachment from the data attributes; the markup inside is for everything else that reads it.
    inner = serialize([image, *([Element("figcaption", {}, [caption])] if caption else [])])
    return (
        f'<figure data-trix-attachment="{escape_attribute(json.dumps(attachment))}" '
        f'data-trix-attributes="{escape_attribute(json.dumps(attributes))}">{inner}</figure>'
    )


def list_html(block: dict, inline) -> str:
    """Nested <ul>/<ol> markup for a list block's flat items; `inline(html)` gives each item's content."""
    top = "ol" if block.get("type") == "ol" else "ul"
    out: list[str] = []
    stack: list[str] = []  # the lists open around the current item; its depth is len(stack) - 1
    for item in block.get("items") or []:
        if not isinstance(item, dict):
            continue
        if not stack:
            stack.append(top)
            out.append(f"<{top}>")
        else:
            depth = min(max(_int(item.get("depth")), 0), len(stack))
            if depth == len(stack):
                kind = "ol" if item.get("list", top) == "ol" else "ul"
                stack.append(kind)
                out.append(f"<{kind}>")
            else:
                out.append("</li>")
                while len(stack) - 1 > depth:
                    out.append(f"</{stack.pop()}></li>")
        out.append(f"<li>{inline(item.get('html'))}")
    if stack:
        out.append("</li>")
        while stack:
            out.append(f"</{stack.pop()}>")
            if stack:
                out.append("</li>")
    return "".join(out)


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def table_html(block: dict, inline) -> str:
    rows = []
    for row in block.get("rows") or []:
        cells = []
        for cell in row if isinstance(row, list) else []:
            if not isinstance(cell, dict):
                continue
            tag = "th" if cell.get("header") else "td"
            spans = "".join(
                f' {span}="{int(cell[span])}"'
                for span in ("colspan", "rowspan")
                if isinstance(cell.get(span), int) and 1 < cell[span] <= 50
            )
            cells.append(f"<{tag}{spans}>{inline(cell.get('html'))}</{tag}>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tbody>{''.join(rows)}</tbody></table>"
