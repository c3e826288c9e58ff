"""A Document as HTML for reading pages, with LaTeX rendered to MathML on the server (no outside service, no
script: browsers draw MathML themselves).

Math is LaTeX between \\( and \\) (inline), or \\[ and \\] or $$ and $$ (display), in any text except code. A
formula the converter cannot read, or one longer than MAX_TEX, is shown as its source in
<code class="rt-math-error">: rendering never raises for any text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import gettext as _
from latex2mathml.converter import convert
from markupsafe import Markup

from app.richtext.document import blocks_of, list_html, table_html
from app.richtext.sanitize import IMAGE_SRC, clean_mathml, clean_stored
from app.richtext.tree import Element, escape_attribute, escape_text, parse

MAX_TEX = 2000
MATH = re.compile(r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]|\$\$(?P<dollars>.+?)\$\$", re.DOTALL)
NO_MATH_INSIDE = frozenset({"code", "pre"})


def render(doc: dict | None) -> Markup:
    """Safe HTML for a stored Document (any dict: its HTML is sanitised again on the way out), wrapped in
    <div class="rich-text">; an empty or unreadable document gives an empty string."""
    parts = [_block(block) for block in blocks_of(doc)]
    body = "".join(part for part in parts if part)
    # Every piece was escaped or sanitised on the way in (inline(), _figure(), list_html, table_html).
    return Markup(f'<div class="rich-text">{body}</div>') if body else Markup("")  # noqa: S704


def _block(block: dict) -> str:
    kind = block.get("type")
    html = block.get("html")
    if kind in ("p", "h2", "h3", "h4", "blockquote"):
        return f"<{kind}>{inline(html)}</{kind}>"
    if kind == "pre":
        return f"<pre><code>{_clean(html)}</code></pre>"
    if kind == "math":
        return f'<div class="rt-math">{inline(html)}</div>'
    if kind in ("ul", "ol"):
        return list_html(block, inline)
    if kind == "table":
        label = escape_attribute(_("Table"))
        return (
            f'<div class="rt-table" role="region" tabindex="0" aria-label="{label}">{table_html(block, inline)}</div>'
        )
    if kind == "figure":
        return _figure(html)
    return ""


def _figure(html) -> str:
    root = parse(_clean(html))
    image = next((el for el in root.children if isinstance(el, Element) and el.tag == "img"), None)
    if image is None or not IMAGE_SRC.match(image.attrs.get("src", "")):
        return ""
    attrs = {"src": image.attrs["src"], "alt": image.attrs.get("alt", "")}
    attrs.update({side: image.attrs[side] for side in ("width", "height") if image.attrs.get(side)})
    attrs.update(loading="lazy", decoding="async")
    img = "<img" + "".join(f' {name}="{escape_attribute(value)}"' for name, value in attrs.items()) + ">"
    captions = [el for el in root.children if isinstance(el, Element) and el.tag == "figcaption"]
    caption = "".join(f"<figcaption>{_with_math(el.children)}</figcaption>" for el in captions)
    return f'<figure class="rt-figure">{img}{caption}</figure>'


def inline(html) -> str:
    """Sanitised inline HTML with its LaTeX rendered."""
    return _with_math(parse(_clean(html)).children)


def _clean(html) -> str:
    return clean_stored(html)


def _with_math(nodes, in_code: bool = False) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(escape_text(node) if in_code else _math_in_text(node))
            continue
        attrs = "".join(f' {name}="{escape_attribute(value)}"' for name, value in node.attrs.items())
        if node.tag in ("br", "img"):
            out.append(f"<{node.tag}{attrs}>")
        else:
            inner = _with_math(node.children, in_code or node.tag in NO_MATH_INSIDE)
            out.append(f"<{node.tag}{attrs}>{inner}</{node.tag}>")
    return "".join(out)


def _math_in_text(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in MATH.finditer(text):
        out.append(escape_text(text[position : match.start()]))
        tex = match.group("inline") or match.group("display") or match.group("dollars")
        display = match.group("inline") is None
        mathml = latex_to_mathml(tex, display)
        out.append(mathml if mathml is not None else _source(match.group(0)))
        position = match.end()
    out.append(escape_text(text[position:]))
    return "".join(out)


def _source(source: str) -> str:
    title = escape_attribute(_("This formula could not be shown; it is written here as typed."))
    return f'<code class="rt-math-error" title="{title}">{escape_text(source)}</code>'


@lru_cache(maxsize=4096)
def latex_to_mathml(tex: str, display: bool = False) -> str | None:
    """Sanitised MathML for one formula, or None when it is malformed or too long (the caller shows the source)."""
    if not tex.strip() or len(tex) > MAX_TEX:
        return None
    try:
        markup = convert(tex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - the converter raises many types (and RecursionError); all mean "not shown"
        return None
    cleaned = clean_mathml(markup)
    return cleaned if cleaned.startswith("<math") else None
