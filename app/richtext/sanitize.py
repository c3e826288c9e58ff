"""The allow-lists: what HTML rich text may contain, and what MathML the LaTeX renderer may emit.

Everything not listed is removed by nh3 (ammonia: an HTML5 parser, then an allow-list walk). Scripts, styles,
frames, objects, forms, SVG and MathML input are dropped with their content; any other unknown tag is unwrapped
(its text kept). No `style`, `class`, `id` or event attribute survives anywhere. Links may point at http, https
and mailto URLs; images only at our own `/richtext/images/<64 hex>`, so nothing in a page asks an outside host for
anything.
"""

from __future__ import annotations

import re

import nh3
from flask_babel import gettext as _

from app.errors import Invalid

MAX_HTML_BYTES = 1_000_000
IMAGE_SRC = re.compile(r"^/richtext/images/[0-9a-f]{64}$")
MAX_IMAGE_SIDE = 8000
_NUMBER = re.compile(r"^[0-9]{1,5}$")

# Input side: what an editor or a paste may bring in. b, i, s, strike, div, h1, h5 and h6 are accepted here and
# rewritten to the stored vocabulary (strong, em, del, p, h2, h4) by app/richtext/document.py.
TAGS = frozenset(
    {
        "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "li",
        "strong", "b", "em", "i", "del", "s", "strike", "code", "sub", "sup", "a",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
        "figure", "figcaption", "img",
    }
)  # fmt: skip
# Dropped together with everything inside them: their text is code, styling or a foreign document, not prose.
DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
        "noembed", "noframes", "svg", "math", "textarea", "select", "option", "title", "xmp", "head", "form",
        "button", "input", "audio", "video", "canvas", "map", "dialog",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

MATHML_TAGS = frozenset(
    {
        "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup", "mfrac", "msqrt",
        "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
        "menclose", "mmultiscripts", "mprescripts", "none", "merror",
    }
)  # fmt: skip
# Presentation only: no href (MathML links), no style, class or id, no colour attributes.
MATHML_ATTRIBUTES = {
    "*": {
        "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "accent", "accentunder",
        "linethickness", "columnalign", "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines",
        "frame", "displaystyle", "scriptlevel", "minsize", "maxsize", "movablelimits", "symmetric", "largeop",
        "notation", "width", "height", "depth", "form",
    }
}  # fmt: skip


def _attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src":
        return value if IMAGE_SRC.match(value) else None
    if name in ("width", "height"):
        return value if _NUMBER.match(value) and 0 < int(value) <= MAX_IMAGE_SIDE else None
    if name in ("colspan", "rowspan"):
        return value if _NUMBER.match(value) and 0 < int(value) <= 50 else None
    return value


def _relative(url: str) -> str | None:
    # Relative URLs would resolve against whichever page shows the text; only our own image URLs may.
    return url if IMAGE_SRC.match(url) else None


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    attribute_filter=_attribute,
    strip_comments=True,
    link_rel=LINK_REL,
    url_schemes=set(URL_SCHEMES),
    url_relative=_relative,
)
_MATHML_CLEANER = nh3.Cleaner(
    tags=set(MATHML_TAGS),
    clean_content_tags={"script", "style", "annotation", "annotation-xml", "semantics"},
    attributes={tag: set(names) for tag, names in MATHML_ATTRIBUTES.items()},
    strip_comments=True,
    link_rel=None,
    url_schemes=set(),
    url_relative="deny",
)


def clean_html(raw: str, field: str = "body", limit: int | None = MAX_HTML_BYTES) -> str:
    """Sanitised HTML for `raw` (any string: pasted, posted, imported). Any caller may use it.

    Raises Invalid({field: message}) when `raw` is over `limit` bytes of UTF-8 (1 MB by default), so a form shows
    the message on its own field; `limit=None` cleans anything (for showing back what a user typed)."""
    if raw is None:
        return ""
    size = len(raw.encode("utf-8", "surrogatepass"))
    if limit is not None and size > limit:
        raise Invalid({field: too_long_message(size, limit)})
    return _CLEANER.clean(_strip_controls(raw))


def clean_stored(html) -> str:
    """Sanitised HTML for markup read back from a stored Document (no size cap; anything not a string is "")."""
    return _CLEANER.clean(_strip_controls(html)) if isinstance(html, str) else ""


def too_long_message(size: int, limit: int = MAX_HTML_BYTES) -> str:
    return _(
        "This text is too long to save (%(size)s; the most is %(limit)s). Shorten it, or split it into parts.",
        size=_megabytes(size),
        limit=_megabytes(limit),
    )


def clean_mathml(markup: str) -> str:
    """MathML from the LaTeX converter, reduced to presentation elements (the converter does not escape all of
    its text, and LaTeX's \\href or \\style would otherwise reach the page)."""
    return _MATHML_CLEANER.clean(markup)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _strip_controls(raw: str) -> str:
    # NUL and the other C0 controls cannot be stored in PostgreSQL text or shown; lone surrogates cannot be encoded.
    return _CONTROLS.sub("", raw)
