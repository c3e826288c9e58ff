"""Properties over generated input: to_document is idempotent on its own output, rendering never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.richtext.services import plain_text, render, to_document, to_editor_html
from tests.richtext.xss import VECTORS, problems

FRAGMENTS = [
    "<p>", "</p>", "<div>", "</div>", "<br>", "<b>", "</b>", "<em>", "</em>", "<ul>", "<li>", "</li>", "</ul>",
    "<ol>", "</ol>", "<h1>", "</h1>", "<h3>", "</h3>", "<table>", "<tr>", "<td>", "<th>", "</td>", "</table>",
    "<blockquote>", "</blockquote>", "<pre>", "</pre>", "<code>", "</code>", '<a href="https://example.org">',
    "</a>", "<figure>", "</figure>", f'<img src="/richtext/images/{"d" * 64}">', "<figcaption>", "\\(", "\\)",
    "\\[", "\\]", "$$", "\\frac{", "}{", "}", "^", "_", "&amp;", "&nbsp;", "&lt;", " ", "\n", "\t", "word",
    "Ünïcödé", "😀", "x", "<sub>", "<sup>", "<del>", "<s>",
]  # fmt: skip
html_like = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8) | st.sampled_from(VECTORS), max_size=40).map(
    "".join
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(html_like)
@example("<b>0<p>&nbsp;")  # a line break left at the edge of a bold run once its trailing space was trimmed
@example("<p><strong><br></strong>b</p>")
@example("<b>\\(<p>&nbsp;<p>word")  # two line breaks around a space inside a bold run: one once the space went
def test_to_document_is_idempotent_on_its_own_output(raw):
    doc = to_document(raw)
    again = to_document(to_editor_html(doc), previous=doc)
    assert again == doc


@SETTINGS
@given(html_like)
def test_rendering_never_raises_and_is_always_safe(raw):
    doc = to_document(raw)
    out = str(render(doc))
    assert problems(out) == []
    plain_text(doc)


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_as_latex_renders_without_raising(text):
    out = str(render(to_document(f"<p>\\({text.replace('<', '&lt;')}\\) and $${text}$$</p>")))
    assert problems(out) == []
