"""HTML as the files carry it: scripts removed, images rewritten, text turned into HTML and back, XHTML both ways.

Importers leave HTML for the bank to sanitise (app/richtext allow-lists it on save), with one exception made here:
`<script>` and `<style>` are removed with their content, so their text never reaches a stem as words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, SubElement

MAX_DEPTH = 100  # deeper HTML is flattened (its text kept), so nothing recursive downstream runs out of stack
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
RAW = frozenset({"script", "style"})
_RAW_START = re.compile(r"<(script|style)\b", re.I)
_CLOSING = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style")}
_IMG_START = re.compile(r"<img\b", re.I)
_TAG_REST = re.compile(r"(?>[^>\"']+|\"[^\"]*\"|'[^']*')*+>")
_TAG = re.compile(r"[a-z][a-z0-9]{0,15}")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


def drop_scripts(html: str) -> str:
    """`html` without script and style elements (content included), even nested or unterminated.

    One forward scan per pass (no backtracking over the rest of the text for each opening tag); a pass can join
    the halves of a split tag (`<scr<script></script>ipt>`), so passes repeat, and what is left after a few is
    escaped."""
    for _ in range(8):
        if not _RAW_START.search(html):
            return html
        html = _drop_once(html)
    return _RAW_START.sub(lambda m: "&lt;" + m.group(0)[1:], html)


def _drop_once(html: str) -> str:
    out, position = [], 0
    while match := _RAW_START.search(html, position):
        out.append(html[position : match.start()])
        closing = _CLOSING[match.group(1).lower()].search(html, match.end())
        if closing is None:
            return "".join(out)  # unterminated: the rest is the script's
        position = closing.end()
    out.append(html[position:])
    return "".join(out)


def text_to_html(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return escape(text.strip(), quote=False).replace("\r\n", "\n").replace("\n", "<br>")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in RAW:
            self.skip += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in RAW and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The words of an HTML fragment: tags gone, entities decoded, whitespace collapsed, scripts left out."""
    parser = _Text()
    parser.feed(drop_scripts(html or ""))
    parser.close()
    return " ".join("".join(parser.parts).split())


def parse_attributes(tag: str) -> dict[str, str]:
    inner = re.sub(r"^<\w+|/?>$", "", tag)
    out: dict[str, str] = {}
    for match in _ATTR.finditer(inner):
        name = match.group(1).lower()
        value = next((g for g in match.groups()[1:] if g is not None), "")
        out.setdefault(name, unescape(value))
    return out


def build_img(attributes: dict[str, str]) -> str:
    return "<img" + "".join(f' {name}="{escape(value)}"' for name, value in attributes.items()) + ">"


def rewrite_images(html: str, rewrite: Callable[[dict[str, str]], str | None]) -> str:
    """`html` with each `<img>` replaced by what `rewrite(attributes)` returns (None keeps the tag).

    One forward scan: an `<img` that never closes ends the scan (a browser drops such a tag at the end too), so a
    file of unclosed tags costs linear time rather than a scan to the end for each."""
    out, position = [], 0
    while start := _IMG_START.search(html, position):
        rest = _TAG_REST.match(html, start.end())
        if rest is None:
            break
        tag = html[start.start() : rest.end()]
        replaced = rewrite(parse_attributes(tag))
        out += [html[position : start.start()], tag if replaced is None else replaced]
        position = rest.end()
    out.append(html[position:])
    return "".join(out)


def inner_html(element: Element, special: Callable[[Element], str | None] | None = None) -> str:
    """The HTML of an XML element's content (namespaces already dropped); `special(child)` may return the text
    that stands for a child (an interaction becoming a blank marker), or None to serialise it as HTML."""
    parts = [escape(element.text or "", quote=False)]
    for child in element:
        replaced = special(child) if special else None
        parts.append(outer_html(child, special) if replaced is None else replaced)
        parts.append(escape(child.tail or "", quote=False))
    return "".join(parts)


def outer_html(element: Element, special: Callable[[Element], str | None] | None = None) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag:  # a comment or processing instruction
        return ""
    if tag in RAW:
        return ""
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in element.attrib.items())
    if tag in VOID:
        return f"<{tag}{attributes}>"
    return f"<{tag}{attributes}>{inner_html(element, special)}</{tag}>"


class _Builder(HTMLParser):
    """HTML (as browsers and editors write it) into XML elements under `root`."""

    def __init__(self, root: Element):
        super().__init__(convert_charrefs=True)
        self.stack = [root]
        self.skip = 0

    def _append_text(self, text: str) -> None:
        current = self.stack[-1]
        if len(current):
            current[-1].tail = (current[-1].tail or "") + text
        else:
            current.text = (current.text or "") + text

    def handle_starttag(self, tag, attrs):
        if tag in RAW:
            self.skip += 1
            return
        if self.skip or len(self.stack) > MAX_DEPTH or not _TAG.fullmatch(tag):
            return
        element = SubElement(
            self.stack[-1], tag, {k: v or "" for k, v in attrs if re.fullmatch(r"[A-Za-z_:][-\w.:]*", k)}
        )
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skip and len(self.stack) > 1 and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in RAW:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or tag in VOID:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.skip:
            self._append_text(data)


def html_into(parent: Element, html: str) -> Element:
    """Append the XML form of `html` to `parent` (text and elements) and return `parent`."""
    builder = _Builder(parent)
    builder.feed(html or "")
    builder.close()
    return parent
