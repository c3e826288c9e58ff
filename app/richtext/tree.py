"""A small element tree for HTML that nh3 has already cleaned: parse it, walk it, write it back.

Only for sanitiser output (well-formed, allow-listed tags, no comments, no raw-text elements), which is why the
standard library's tolerant parser is enough here; never use it to decide whether untrusted markup is safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"br", "img"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        """The text content, with <br> as a newline."""
        return "".join(child if isinstance(child, str) else child.text_or_break() for child in self.children)

    def text_or_break(self) -> str:
        return "\n" if self.tag == "br" else self.text()


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag (none in cleaned output) is ignored.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def serialize(nodes) -> str:
    return "".join(_write(node) for node in nodes)


def escape_text(text: str) -> str:
    """Escaped as html5ever (and so nh3) writes text, so serialised and sanitised output compare equal."""
    return text.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;")


def _write(node: Element | str) -> str:
    if isinstance(node, str):
        return escape_text(node)
    attrs = "".join(f' {name}="{escape_attribute(value)}"' for name, value in node.attrs.items())
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{serialize(node.children)}</{node.tag}>"
