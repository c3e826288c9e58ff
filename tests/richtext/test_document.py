"""The Document: blocks from HTML, and ids that survive edits, inserts, reorders and the editor's round trip."""

from __future__ import annotations

import re

from app.richtext.services import plain_text, to_document, to_editor_html, units, word_count

KEY = "b" * 64
LESSON = (
    "<h2>Photosynthesis</h2>"
    "<p>Plants turn light into sugar in their leaves.</p>"
    "<p>The reaction needs water and carbon dioxide from the air.</p>"
    "<ul><li>Chlorophyll is green</li><li>Stomata let gas in and out</li></ul>"
    "<p>Oxygen is what is left over for us to breathe.</p>"
)


def _ids(doc) -> list[str]:
    return [block["id"] for block in doc["blocks"]]


def _texts(doc) -> list[str]:
    return [block.get("html") or "" for block in doc["blocks"]]


def test_blocks_get_their_types_and_well_formed_ids():
    doc = to_document(LESSON)
    assert [b["type"] for b in doc["blocks"]] == ["h2", "p", "p", "ul", "p"]
    ids = [b["id"] for b in doc["blocks"]] + [i["id"] for i in doc["blocks"][3]["items"]]
    assert all(re.fullmatch(r"[bi]-[a-z0-9]{8}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert doc["blocks"][3]["items"][0]["id"].startswith("i-")


def test_an_unchanged_document_keeps_every_id():
    first = to_document(LESSON)
    assert to_document(LESSON, previous=first) == first


def test_an_edited_block_keeps_its_id():
    first = to_document(LESSON)
    edited = LESSON.replace("turn light into sugar", "turn sunlight into sugar and starch")
    second = to_document(edited, previous=first)
    assert _ids(second) == _ids(first)
    assert "sunlight" in second["blocks"][1]["html"]


def test_an_insert_in_the_middle_keeps_the_others():
    first = to_document(LESSON)
    inserted = LESSON.replace("<ul>", "<p>A brand new paragraph about roots.</p><ul>")
    second = to_document(inserted, previous=first)
    assert _ids(second)[:3] == _ids(first)[:3]
    assert _ids(second)[4:] == _ids(first)[3:]
    assert _ids(second)[3] not in _ids(first)


def test_a_reorder_keeps_ids():
    first = to_document(LESSON)
    blocks = re.findall(r"<(?:h2|p|ul)>.*?</(?:h2|p|ul)>", LESSON)
    reordered = "".join([blocks[0], blocks[4], blocks[2], blocks[1], blocks[3]])
    second = to_document(reordered, previous=first)
    by_text = {b["html"]: b["id"] for b in first["blocks"] if "html" in b}
    assert {b["html"]: b["id"] for b in second["blocks"] if "html" in b} == by_text
    assert second["blocks"][4]["id"] == first["blocks"][3]["id"]


def test_a_moved_and_edited_block_keeps_its_id():
    first = to_document(LESSON)
    moved = LESSON.replace("<p>Oxygen is what is left over for us to breathe.</p>", "").replace(
        "<h2>Photosynthesis</h2>", "<h2>Photosynthesis</h2><p>Oxygen is what is left over for all of us to breathe.</p>"
    )
    second = to_document(moved, previous=first)
    assert second["blocks"][1]["id"] == first["blocks"][4]["id"]


def test_a_delete_drops_one_id():
    first = to_document(LESSON)
    second = to_document(LESSON.replace("<p>The reaction needs water and carbon dioxide from the air.</p>", ""), first)
    assert _ids(second) == [i for i in _ids(first) if i != first["blocks"][2]["id"]]


def test_a_rewritten_block_gets_a_new_id():
    first = to_document(LESSON)
    second = to_document(LESSON.replace("Plants turn light into sugar in their leaves.", "Quiz on Friday!"), first)
    assert second["blocks"][1]["id"] not in _ids(first)
    assert _ids(second)[2:] == _ids(first)[2:]


def test_a_paragraph_made_a_heading_keeps_its_id():
    first = to_document(LESSON)
    second = to_document(LESSON.replace("<p>Oxygen", "<h3>Oxygen").replace("breathe.</p>", "breathe.</h3>"), first)
    assert second["blocks"][4] == {**first["blocks"][4], "type": "h3"}


def test_list_items_keep_ids_through_an_edit_and_an_insert():
    first = to_document(LESSON)
    edited = LESSON.replace(
        "<li>Chlorophyll is green</li>", "<li>New item first</li><li>Chlorophyll is very green</li>"
    )
    second = to_document(edited, previous=first)
    old_items = [i["id"] for i in first["blocks"][3]["items"]]
    new_items = [i["id"] for i in second["blocks"][3]["items"]]
    assert second["blocks"][3]["id"] == first["blocks"][3]["id"]
    assert new_items[1:] == old_items and new_items[0] not in old_items


def test_table_cells_keep_ids():
    table = "<table><tr><th>Planet</th><th>Moons</th></tr><tr><td>Earth</td><td>1</td></tr></table>"
    first = to_document(table)
    second = to_document(table.replace("<td>1</td>", "<td>one</td>"), previous=first)
    cells = lambda doc: [c["id"] for row in doc["blocks"][0]["rows"] for c in row]  # noqa: E731
    assert cells(second) == cells(first)
    assert first["blocks"][0]["rows"][0][0] == {"id": cells(first)[0], "html": "Planet", "header": True}


def test_ids_survive_the_editors_round_trip_without_any_id_in_the_html():
    first = to_document(LESSON + f'<figure><img src="/richtext/images/{KEY}"><figcaption>Leaf</figcaption></figure>')
    editor = to_editor_html(first)
    assert "b-" not in editor and "i-" not in editor
    assert to_document(editor, previous=first) == first


def test_trix_output_splits_into_paragraphs_at_double_breaks():
    trix = "<div>First line<br>second line<br><br>Next paragraph</div><div><br></div><h1>Heading</h1>"
    doc = to_document(trix)
    assert [(b["type"], b["html"]) for b in doc["blocks"]] == [
        ("p", "First line<br>second line"),
        ("p", "Next paragraph"),
        ("h2", "Heading"),
    ]


def test_whitespace_and_legacy_tags_are_normalised():
    doc = to_document("<p>  <b>bold</b>\n\n  and <i>italic</i> <s>gone</s>  </p><h6>small</h6>")
    assert [(b["type"], b["html"]) for b in doc["blocks"]] == [
        ("p", "<strong>bold</strong> and <em>italic</em> <del>gone</del>"),
        ("h4", "small"),
    ]


def test_nested_lists_are_flattened_with_depth_and_rebuilt():
    html = "<ol><li>one<ul><li>one-a</li><li>one-b</li></ul></li><li>two</li></ol>"
    doc = to_document(html)
    items = doc["blocks"][0]["items"]
    assert [(i["html"], i.get("depth", 0), i.get("list")) for i in items] == [
        ("one", 0, None),
        ("one-a", 1, "ul"),
        ("one-b", 1, "ul"),
        ("two", 0, None),
    ]
    assert to_editor_html(doc) == html


def test_block_markup_inside_a_cell_or_item_becomes_line_breaks():
    doc = to_document("<table><tr><td>a<p>b</p><p>c</p></td></tr></table><ul><li><p>x</p><p>y</p></li></ul>")
    assert doc["blocks"][0]["rows"][0][0]["html"] == "a<br>b<br>c"
    assert doc["blocks"][1]["items"][0]["html"] == "x<br>y"


def test_a_formula_alone_in_a_paragraph_is_a_math_block():
    doc = to_document("<p>\\[ \\frac{1}{2} \\]</p><p>$$x^2$$</p><p>Inline \\(x\\) stays a paragraph</p>")
    assert [b["type"] for b in doc["blocks"]] == ["math", "math", "p"]


def test_figures_keep_only_our_image_and_a_plain_caption():
    doc = to_document(
        f'<figure><a href="/x"><img src="/richtext/images/{KEY}" width="640" height="480"></a>'
        "<figcaption>A <b>leaf</b> cell</figcaption></figure>"
    )
    assert doc["blocks"][0]["type"] == "figure"
    assert doc["blocks"][0]["html"] == (
        f'<img src="/richtext/images/{KEY}" width="640" height="480"><figcaption>A leaf cell</figcaption>'
    )


def test_empty_input_is_an_empty_document():
    assert to_document("")["blocks"] == []
    assert to_document("<p> </p><div><br></div><ul><li></li></ul>")["blocks"] == []


def test_plain_text_keeps_words_and_latex_and_drops_markup():
    doc = to_document(
        "<h2>Area</h2><p>The area is \\(\\pi r^2\\) for a <strong>circle</strong>.</p>"
        "<ul><li>radius</li><li>diameter</li></ul><table><tr><td>r</td><td>A</td></tr></table>"
    )
    assert plain_text(doc) == "Area\n\nThe area is \\(\\pi r^2\\) for a circle.\n\nradius\ndiameter\n\nr\tA"
    assert word_count(doc) == 13


def test_units_walk_leaves_items_and_cells_in_order():
    doc = to_document("<p>a</p><ul><li>b</li></ul><table><tr><td>c</td></tr></table>")
    assert [unit["html"] for _block, unit in units(doc)] == ["a", "b", "c"]


def test_malformed_previous_documents_are_ignored():
    for previous in (None, {}, {"blocks": "x"}, {"blocks": [1, {"id": 3}, {"id": "<script>"}]}):
        assert [b["type"] for b in to_document(LESSON, previous=previous)["blocks"]] == ["h2", "p", "p", "ul", "p"]
