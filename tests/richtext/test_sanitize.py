"""The sanitiser against known XSS vectors: whatever goes in, what comes out runs nothing and loads nothing from
another host, at every stage (cleaned HTML, stored blocks, rendered page, editor HTML)."""

from __future__ import annotations

import json

import pytest

from app.errors import Invalid
from app.richtext.services import MAX_HTML_BYTES, clean_html, render, to_document, to_editor_html
from tests.richtext.xss import KEY, VECTORS, problems


def test_the_vector_list_is_long():
    assert len(VECTORS) >= 60
    assert len(set(VECTORS)) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS)
def test_cleaned_html_holds_nothing_executable(vector):
    assert problems(clean_html(vector), input_side=True) == []


@pytest.mark.parametrize("vector", VECTORS)
def test_stored_rendered_and_editor_html_hold_nothing_executable(vector):
    doc = to_document(f"<p>before</p>{vector}<p>after</p>")
    stored = [
        unit.get("html", "")
        for block in doc["blocks"]
        for unit in [block, *block.get("items", []), *[cell for row in block.get("rows", []) for cell in row]]
    ]
    assert [p for html in stored for p in problems(html)] == []
    assert problems(str(render(doc))) == []
    editor = to_editor_html(doc)
    # The editor's attachment data is JSON holding HTML: the HTML inside must be as clean as the rest.
    assert problems(_strip_trix_data(editor)) == []


def _strip_trix_data(editor: str) -> str:
    import html
    import re

    found = re.findall(r'data-trix-(?:attachment|attributes)="([^"]*)"', editor)
    for raw in found:
        data = json.loads(html.unescape(raw))
        assert problems(data.get("content", "")) == []
        assert data.get("url", f"/richtext/images/{KEY}").startswith("/richtext/images/")
    return re.sub(r' data-trix-(?:attachment|attributes|content-type)="[^"]*"', "", editor)


def test_what_is_allowed_survives():
    html = (
        "<h2>Title</h2><p>Some <strong>bold</strong>, <em>italic</em>, <del>struck</del>, <code>x = 1</code>, "
        'H<sub>2</sub>O, x<sup>2</sup> and <a href="https://example.org/page?a=1&amp;b=2">a link</a> or '
        '<a href="mailto:teacher@example.test">mail</a>.</p>'
        f'<figure><img src="/richtext/images/{KEY}" alt="A cell" width="640" height="480"></figure>'
    )
    cleaned = clean_html(html)
    for kept in (
        "<strong>bold</strong>",
        "<em>italic</em>",
        "<del>struck</del>",
        "<code>x = 1</code>",
        "<sub>2</sub>",
        "<sup>2</sup>",
        'href="https://example.org/page?a=1&amp;b=2"',
        'href="mailto:teacher@example.test"',
        f'src="/richtext/images/{KEY}"',
        'alt="A cell"',
        'width="640"',
    ):
        assert kept in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


@pytest.mark.parametrize(
    ("raw", "dropped"),
    [
        ('<a href="/account/logout">x</a>', "href"),
        ('<img src="https://example.org/x.png">', "example.org"),
        ('<p style="color:red" class="x" id="y">x</p>', "style"),
        ('<img src="/richtext/images/abc">', "images/abc"),
        ('<img src="/richtext/images/' + KEY + '" width="99999">', "99999"),
        ('<td colspan="500">x</td>', "500"),
    ],
)
def test_relative_links_outside_images_styles_and_odd_sizes_are_dropped(raw, dropped):
    assert dropped not in clean_html(raw)


def test_an_image_without_an_allowed_source_leaves_no_block():
    assert to_document('<p>a</p><img src="https://example.org/x.png"><figure><img src="x.png"></figure>') == {
        "version": 1,
        "blocks": [to_document("<p>a</p>")["blocks"][0] | {"id": _ANY}],
    }


class _Any:
    def __eq__(self, other):
        return isinstance(other, str)


_ANY = _Any()


def test_html_over_one_megabyte_is_refused_on_the_callers_field(app):
    with app.test_request_context(headers={"Accept-Language": "es"}), pytest.raises(Invalid) as caught:
        to_document("<p>" + "x" * (2 * MAX_HTML_BYTES) + "</p>", field="instruction")
    assert list(caught.value.fields) == ["instruction"]
    message = caught.value.fields["instruction"]
    assert message.startswith("Este texto es demasiado largo") and "2.0 MB" in message and "1.0 MB" in message


def test_the_cap_counts_bytes_not_characters():
    almost = "é" * (MAX_HTML_BYTES // 2)  # two bytes each: exactly the limit
    assert clean_html(almost) == almost
    with pytest.raises(Invalid):
        clean_html(almost + "é")


def test_without_a_limit_anything_is_cleaned(app):
    big = "<p>" + "word " * 300_000 + "<script>x</script></p>"
    cleaned = clean_html(big, limit=None)
    assert "<script" not in cleaned and len(cleaned) > MAX_HTML_BYTES


def test_control_characters_and_lone_surrogates_are_removed():
    assert clean_html("a\x00b\x07c\ud800d") == "abcd"
