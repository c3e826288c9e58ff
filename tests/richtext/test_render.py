"""Rendering for reading pages: safe HTML, LaTeX as MathML drawn by the browser, malformed LaTeX as its source."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from app.richtext.services import render, to_document
from tests.richtext.xss import problems


def _page(html: str) -> str:
    return str(render(to_document(html)))


def test_render_returns_markup_in_a_wrapper():
    out = render(to_document("<p>Hello</p>"))
    assert isinstance(out, Markup)
    assert out == Markup('<div class="rich-text"><p>Hello</p></div>')
    assert render(None) == Markup("") and render({"blocks": []}) == Markup("")


def test_inline_math_becomes_inline_mathml():
    out = _page("<p>The area is \\(\\pi r^2\\).</p>")
    assert out.startswith('<div class="rich-text"><p>The area is <math display="inline">')
    assert "<mi>π</mi>" in out and "<msup>" in out and "\\(" not in out


@pytest.mark.parametrize("source", ["\\[\\frac{a}{b}\\]", "$$\\frac{a}{b}$$"])
def test_display_math_becomes_a_block_of_mathml(source):
    out = _page(f"<p>{source}</p>")
    assert '<div class="rt-math"><math display="block">' in out
    assert "<mfrac>" in out


@pytest.mark.parametrize(
    "tex",
    ["\\frac{1}{", "\\begin{matrix} a", "}{", "x^", "{" * 3000, "\\sqrt[", "a" * 2100],
)
def test_malformed_or_huge_latex_is_shown_as_its_source(tex):
    out = _page(f"<p>Before \\({tex}\\) after</p>")
    assert '<code class="rt-math-error" title="' in out
    assert problems(out) == []
    assert "Before " in out and " after" in out


def test_the_source_of_a_formula_is_escaped_when_shown():
    out = _page("<p>\\(\\begin{x}<b>&amp;\\)</p>")
    assert "<b>" not in out and "&amp;" in out


def test_math_is_not_rendered_inside_code():
    out = _page("<pre>\\(x\\)</pre><p><code>\\(y\\)</code> and \\(z\\)</p>")
    assert "<pre><code>\\(x\\)</code></pre>" in out
    assert "<code>\\(y\\)</code>" in out
    assert out.count("<math") == 1


def test_latex_commands_that_reach_for_the_page_are_stripped():
    out = _page(
        "<p>\\(\\href{javascript:alert(1)}{x} \\color{red}{y} \\text{&lt;img src=x onerror=alert(1)&gt;}\\)</p>"
    )
    assert "<math" in out
    assert "href" not in out and "mathcolor" not in out and "<img" not in out
    assert problems(out) == []


def test_tables_figures_and_lists_render_readably():
    key = "c" * 64
    out = _page(
        "<table><tr><th>x</th><th>\\(x^2\\)</th></tr><tr><td>2</td><td>4</td></tr></table>"
        f'<figure><img src="/richtext/images/{key}" width="10" height="20"><figcaption>\\(a\\) leaf</figcaption>'
        "</figure><ol><li>a<ul><li>b</li></ul></li></ol>"
    )
    assert '<div class="rt-table" role="region" tabindex="0" aria-label="Table"><table><tbody><tr><th>x</th>' in out
    assert (
        f'<figure class="rt-figure"><img src="/richtext/images/{key}" alt="" width="10" height="20" loading="lazy"'
        ' decoding="async"><figcaption><math display="inline">'
    ) in out
    assert "<ol><li>a<ul><li>b</li></ul></li></ol>" in out


def test_a_tampered_stored_document_is_still_rendered_safely():
    doc = {
        "blocks": [
            {"id": "b-1", "type": "p", "html": '<img src=x onerror=alert(1)><a href="javascript:x">y</a>'},
            {"id": "b-2", "type": "script", "html": "alert(1)"},
            {"id": "b-3", "type": "ul", "items": [{"html": "<script>x</script>ok", "depth": "9"}, 5]},
            {"id": "b-4", "type": "table", "rows": [[{"html": "<iframe>", "colspan": "<x>"}], "no"]},
            {"id": "b-5", "type": "figure", "html": '<img src="https://evil.example/x.png">'},
            {"id": "b-6", "type": "pre", "html": "<style>x</style>code"},
            "not a block",
        ]
    }
    out = str(render(doc))
    assert problems(out) == []
    assert "ok" in out and "code" in out


def test_the_table_label_is_translated(app):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        out = _page("<table><tr><td>x</td></tr></table>")
    assert 'aria-label="Tabla"' in out
