r"""Inline HTML (a block's, an item's or a cell's `html`, sanitiser output) as a sequence of tokens.

A token is a tag (`<strong>`, `</a>`, `<br>`, `<img ...>`), a run of whitespace, a word, one punctuation mark,
one CJK character, an entity (`&amp;`), or a whole formula (`\( ... \)`, `\[ ... \]`, `$$ ... $$`: math
compares by its source).
The tokens of a string join back to exactly that string, which is what lets a diff of tokens be applied.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(
    r"""(?P<tag><[^>]*>)
    |(?P<math>\\\(.+?\\\)|\\\[.+?\\\]|\$\$.+?\$\$)
    |(?P<space>\s+)
    |(?P<cjk>[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af])
    |(?P<word>[\w\u0590-\u08ff]+)
    |(?P<entity>&[#a-zA-Z0-9]+;)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_TAG = re.compile(r"^<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>$")
_HREF = re.compile(r'\bhref="([^"]*)"')
_SRC = re.compile(r'\bsrc="([^"]*)"')
# Inline markup that formats the text inside it; a change of these around the same words is a formatting change.
MARKS = ("strong", "em", "del", "code", "sub", "sup", "a")
VOID = frozenset({"br", "img"})


def tokenize(html: str) -> list[str]:
    return [match.group(0) for match in _TOKEN.finditer(html or "")]


@dataclass(frozen=True)
class Tag:
    name: str
    closing: bool
    href: str | None = None
    src: str | None = None


@lru_cache(maxsize=4096)
def tag_of(token: str) -> Tag | None:
    """The tag a token is, or None for text (cached: the same few tags recur throughout a document)."""
    if not token.startswith("<"):
        return None
    match = _TAG.match(token)
    if match is None:
        return None
    attrs = match.group(3)
    href = _HREF.search(attrs)
    src = _SRC.search(attrs)
    return Tag(
        match.group(2).lower(),
        bool(match.group(1)),
        htmllib.unescape(href.group(1)) if href else None,
        htmllib.unescape(src.group(1)) if src else None,
    )


def is_math(token: str) -> bool:
    return token.startswith(("\\(", "\\[", "$$")) and len(token) > 3


def text_of(tokens) -> str:
    """The visible text of tokens (tags dropped, entities decoded)."""
    return htmllib.unescape("".join(token for token in tokens if not token.startswith("<")))


class MarkStack:
    """The formatting in force at a point of a token stream: (name, href) for each open mark, outermost first."""

    def __init__(self) -> None:
        self.open: list[tuple[str, str | None]] = []

    def feed(self, tag: Tag) -> None:
        if tag.name not in MARKS:
            return
        if not tag.closing:
            self.open.append((tag.name, tag.href))
            return
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag.name:
                del self.open[index]
                return

    @property
    def marks(self) -> tuple[tuple[str, str | None], ...]:
        return tuple(self.open)
