"""Cleaned HTML -> the Document's blocks (without ids; app/richtext/ids.py gives those).

The split is by structure: p/div and runs of loose inline content are paragraphs (a run of two or more <br>,
which is how Trix and many pastes write a paragraph break, splits them), h1-h6 become h2-h4, lists become a list
of items (nested lists flattened, each item with its depth), tables a grid of cells, images figures. Inside a
block only inline markup remains (strong, em, del, code, sub, sup, a, br); block markup nested where it cannot be
kept (a paragraph inside a list item or a cell) becomes a line break. Whitespace is collapsed the way a browser
shows it, empty blocks are dropped, so the same text always gives the same blocks.
"""

from __future__ import annotations

import re

from app.richtext.sanitize import IMAGE_SRC
from app.richtext.tree import Element, parse

INLINE = frozenset({"strong", "em", "del", "code", "sub", "sup", "a", "br"})
RENAME = {"b": "strong", "i": "em", "s": "del", "strike": "del"}
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
LISTS = frozenset({"ul", "ol"})
MAX_DEPTH = 5
_SPACE = re.compile(r"[ \t\n\r\f]+")
DISPLAY_MATH = re.compile(r"^(\\\[.+?\\\]|\$\$.+?\$\$)$", re.DOTALL)
BR = "br"


def blocks_from_html(clean: str) -> list[dict]:
    """Blocks for HTML that clean_html produced (never for raw input)."""
    blocks: list[dict] = []
    _walk(parse(clean).children, blocks)
    return blocks


def _walk(children, blocks: list[dict]) -> None:
    run: list = []
    for child in children:
        if isinstance(child, str) or _tag(child) in INLINE:
            _inline([child], run)
            continue
        _paragraphs(run, blocks)
        run = []
        tag = child.tag
        if tag in HEADINGS:
            _leaf(blocks, HEADINGS[tag], _tidy(_inline(child.children, []), single_breaks=True))
        elif tag in LISTS:
            _list_block(child, blocks)
        elif tag == "blockquote":
            _leaf(blocks, "blockquote", _tidy(_inline(child.children, []), single_breaks=True))
        elif tag == "pre":
            text = child.text().strip("\n")
            if text.strip():
                blocks.append({"type": "pre", "nodes": [text]})
        elif tag == "table":
            _table_block(child, blocks)
        elif tag == "figure":
            _figure_block(child, blocks)
        elif tag == "img":
            _image_block(child, None, blocks)
        else:  # p, div, and parts of lists or tables found outside them: their content, as paragraphs
            _walk(child.children, blocks)
    _paragraphs(run, blocks)


def _tag(node) -> str:
    tag = node.tag
    return RENAME.get(tag, tag)


def _inline(children, out: list) -> list:
    """Append the inline content of `children` to `out` (and return it): allowed inline elements kept, block
    elements reduced to their content followed by a line break, images dropped (a figure cannot sit in a line)."""
    for child in children:
        if isinstance(child, str):
            # Editors write no-break spaces wherever a space sits beside markup; they are spaces to a reader, and
            # keeping them would make the same words differ after each trip through the editor.
            out.append(_SPACE.sub(" ", child.replace("\xa0", " ")))
            continue
        tag = _tag(child)
        if tag == BR:
            out.append(Element(BR))
        elif tag in INLINE:
            inner = _inline(child.children, [])
            if tag == "a" and not child.attrs.get("href"):
                out.extend(inner)
            else:
                attrs = {"href": child.attrs["href"], "rel": child.attrs.get("rel", "")} if tag == "a" else {}
                out.append(Element(tag, {k: v for k, v in attrs.items() if v}, inner))
        elif tag == "img":
            continue
        else:
            if out and not _is_br(out[-1]):
                out.append(Element(BR))
            _inline(child.children, out)
            out.append(Element(BR))
    return out


def _paragraphs(run: list, blocks: list[dict]) -> None:
    """A run of inline content as paragraphs, split at each run of two or more line breaks."""
    part: list = []
    breaks = 0
    for node in [*run, None]:
        if isinstance(node, Element) and node.tag == BR:
            breaks += 1
            continue
        if breaks >= 2 or node is None:
            _paragraph(part, blocks)
            part = []
        elif breaks == 1:
            part.append(Element(BR))
        breaks = 0
        if node is not None:
            part.append(node)


def _paragraph(nodes: list, blocks: list[dict]) -> None:
    nodes = _tidy(nodes, single_breaks=True)
    if len(nodes) == 1 and isinstance(nodes[0], str) and DISPLAY_MATH.match(nodes[0]):
        blocks.append({"type": "math", "nodes": nodes})
    else:
        _leaf(blocks, "p", nodes)


def _leaf(blocks: list[dict], kind: str, nodes: list) -> None:
    if _has_content(nodes):
        blocks.append({"type": kind, "nodes": nodes})


def _list_block(element: Element, blocks: list[dict]) -> None:
    items: list[dict] = []
    _list_items(element, element.tag, 0, items)
    if items:
        blocks.append({"type": element.tag, "items": items})


def _list_items(element: Element, top: str, depth: int, items: list[dict]) -> None:
    for child in element.children:
        if isinstance(child, Element) and child.tag in LISTS:
            _list_items(child, top, depth + 1, items)
            continue
        content = child.children if isinstance(child, Element) and child.tag == "li" else [child]
        nested = [c for c in content if isinstance(c, Element) and c.tag in LISTS]
        nodes = _tidy(_inline([c for c in content if c not in nested], []), single_breaks=True)
        if _has_content(nodes):
            # Depth grows by at most one per item, so the flat list always describes a valid nesting.
            level = min(depth, MAX_DEPTH, (items[-1].get("depth", 0) + 1) if items else 0)
            item: dict = {"nodes": nodes}
            if level:
                item["depth"] = level
            if element.tag != top:
                item["list"] = element.tag
            items.append(item)
        for sub in nested:
            _list_items(sub, top, depth + 1, items)


def _table_block(table: Element, blocks: list[dict]) -> None:
    rows: list[list[dict]] = []
    for row in _rows(table):
        cells = []
        for cell in row.children:
            if not isinstance(cell, Element) or cell.tag not in ("td", "th"):
                continue
            entry: dict = {"nodes": _tidy(_inline(cell.children, []), single_breaks=True)}
            if cell.tag == "th":
                entry["header"] = True
            for span in ("colspan", "rowspan"):
                if int(cell.attrs.get(span) or 1) > 1:
                    entry[span] = int(cell.attrs[span])
            cells.append(entry)
        if cells:
            rows.append(cells)
    if any(_has_content(cell["nodes"]) for row in rows for cell in row):
        blocks.append({"type": "table", "rows": rows})
    for caption in (c for c in table.children if isinstance(c, Element) and c.tag == "caption"):
        _leaf(blocks, "p", _tidy(_inline(caption.children, []), single_breaks=True))


def _rows(table: Element):
    for child in table.children:
        if isinstance(child, Element) and child.tag == "tr":
            yield child
        elif isinstance(child, Element) and child.tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child.children if isinstance(row, Element) and row.tag == "tr")


def _figure_block(figure: Element, blocks: list[dict]) -> None:
    image = _first(figure, "img")
    table = _first(figure, "table")
    caption = _first(figure, "figcaption")
    if image is not None and IMAGE_SRC.match(image.attrs.get("src", "")):
        _image_block(image, caption, blocks)
    elif table is not None:  # a table the editor carried as a content attachment
        _table_block(table, blocks)
    else:
        _walk(figure.children, blocks)


def _image_block(image: Element, caption: Element | None, blocks: list[dict]) -> None:
    if not IMAGE_SRC.match(image.attrs.get("src", "")):
        return
    attrs = {name: image.attrs[name] for name in ("src", "alt", "width", "height") if image.attrs.get(name)}
    nodes: list = [Element("img", attrs)]
    # Captions are plain text: that is what the editor can edit, so it is what survives a round trip.
    text = _SPACE.sub(" ", caption.text()).strip() if caption is not None else ""
    if text:
        nodes.append(Element("figcaption", {}, [text]))
    blocks.append({"type": "figure", "nodes": nodes})


def _first(element: Element, tag: str) -> Element | None:
    for child in element.children:
        if isinstance(child, Element):
            if child.tag == tag:
                return child
            found = _first(child, tag)
            if found is not None:
                return found
    return None


def _tidy(nodes: list, single_breaks: bool) -> list:
    """Inline nodes in their one normal form: adjacent text merged, empty elements dropped, no whitespace or
    line breaks at the edges or beside a line break, at most one line break in a row."""
    out: list = []
    for node in nodes:
        if isinstance(node, Element) and node.tag != BR:
            node = Element(node.tag, node.attrs, _tidy(node.children, single_breaks))
            if not _has_content(node.children):
                continue
        if isinstance(node, str):
            if not node:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = _SPACE.sub(" ", out[-1] + node)
                continue
        if single_breaks and _is_br(node) and out and _is_br(out[-1]):
            continue
        out.append(node)
    _strip_edge_breaks(out)
    _trim_edges(out)
    # Trimming can empty a text or an element at an edge and so bare a line break there: once more, so that a
    # second pass finds nothing to change (the normal form is a fixed point).
    out = [node for node in out if not _is_empty(node)]
    if single_breaks:
        # A space that stood between two line breaks is gone now, so they may have become a run.
        out = [node for i, node in enumerate(out) if not (i and _is_br(node) and _is_br(out[i - 1]))]
    _strip_edge_breaks(out)
    return out


def _strip_edge_breaks(nodes: list) -> None:
    while nodes and _is_br(nodes[0]):
        nodes.pop(0)
    while nodes and _is_br(nodes[-1]):
        nodes.pop()


def _is_empty(node) -> bool:
    if isinstance(node, str):
        return not node
    return node.tag != BR and not _has_content(node.children)


def _trim_edges(nodes: list) -> None:
    for index, node in enumerate(nodes):
        before = index == 0 or _is_br(nodes[index - 1])
        after = index == len(nodes) - 1 or _is_br(nodes[index + 1])
        if isinstance(node, str):
            nodes[index] = node.lstrip(" ") if before else node
            nodes[index] = nodes[index].rstrip(" ") if after else nodes[index]
        elif node.tag != BR and node.children:
            if before:
                _trim_side(node, 0)
            if after:
                _trim_side(node, -1)


def _trim_side(element: Element, side: int) -> None:
    child = element.children[side]
    if _is_br(child):  # a line break at the edge of a line ends nothing
        del element.children[side]
        if element.children:
            _trim_side(element, side)
        return
    if isinstance(child, str):
        element.children[side] = child.lstrip(" ") if side == 0 else child.rstrip(" ")
        if not element.children[side]:
            del element.children[side]
            if element.children:
                _trim_side(element, side)
    elif child.tag != BR and child.children:
        _trim_side(child, side)


def _is_br(node) -> bool:
    return isinstance(node, Element) and node.tag == BR


def _has_content(nodes) -> bool:
    for node in nodes:
        if isinstance(node, str):
            if node.strip(" "):
                return True
        elif node.tag == "img" or _has_content(node.children):
            return True
    return False
