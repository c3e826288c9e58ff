"""The diff engine on crafted pairs: words, blocks, items and cells by id, moves, formatting, unicode, RTL,
empty fields, records (options) reordered, and safe output for hostile stored markup."""

from __future__ import annotations

import re

from app.diff import services as diff
from app.diff.words import DELETE, EQUAL, INSERT, apply_ops, diff_html
from app.richtext.services import to_document
from tests.richtext import xss
from tests.richtext.xss import VECTORS

DIFF_TAGS = xss.HTML_TAGS | xss.MATHML_TAGS | {"ins", "span", "s"}


def problems(markup: str) -> list[str]:
    """What xss.problems finds, allowing the diff's own marks (ins, del, s and span for screen-reader words)."""
    collector = xss._Collector(DIFF_TAGS)
    collector.feed(markup)
    collector.close()
    return collector.problems


SPECS = [
    diff.FieldSpec(("title",), "Title", "text"),
    diff.FieldSpec(("sections", "objectives"), "Objectives", "rich"),
    diff.FieldSpec(("sections", "instruction"), "Instruction", "rich"),
    diff.FieldSpec(("duration_minutes",), "Length in minutes", "value"),
    diff.FieldSpec(("visibility",), "Who may see it", "value", choices={"private": "Only me", "school": "My school"}),
]


def link(url: str) -> str:
    # Stored HTML is the sanitiser's normal form, which gives every link its rel.
    return f'<a href="{url}" rel="noopener noreferrer nofollow">'


def doc(*blocks) -> dict:
    return {"version": 1, "blocks": list(blocks)}


def p(block_id: str, html: str, kind: str = "p") -> dict:
    return {"id": block_id, "type": kind, "html": html}


def lesson(title="Forces", objectives=None, instruction=None, minutes=45, visibility="private") -> dict:
    return {
        "title": title,
        "duration_minutes": minutes,
        "visibility": visibility,
        "sections": {"objectives": objectives or doc(), "instruction": instruction or doc()},
    }


def _text(markup) -> str:
    return re.sub(r"<[^>]+>", "", str(markup))


def _views(old, new, view="inline"):
    result = diff.compare(SPECS, old, new)
    assert diff.apply_snapshot(old, result) == new
    return result, {fv.key: fv for fv in diff.field_views(result, view)}


def test_a_changed_word_is_one_change_not_a_run_of_letters():
    ops = diff_html("The quick brown fox jumps.", "The quick red fox jumps.")

    assert [op for op in ops if op[0] != EQUAL] == [(DELETE, ("brown",)), (INSERT, ("red",))]


def test_semantic_cleanup_groups_neighbouring_changed_words():
    ops = diff_html("one two three four", "one 2 3 four")

    changes = [(op, "".join(tokens)) for op, tokens in ops if op != EQUAL]
    assert changes == [(DELETE, "two three"), (INSERT, "2 3")]
    assert apply_ops(ops) == "one 2 3 four"


def test_insertions_and_deletions_of_blocks_are_matched_by_id():
    old = lesson(instruction=doc(p("b-1", "Warm up."), p("b-2", "Tug of war."), p("b-3", "Discuss.")))
    new = lesson(instruction=doc(p("b-1", "Warm up."), p("b-4", "A new step."), p("b-3", "Discuss.")))

    result, views = _views(old, new)

    statuses = [(b.key, b.status) for b in result.field("sections.instruction").document.blocks]
    assert statuses == [("b-1", "equal"), ("b-4", "inserted"), ("b-2", "deleted"), ("b-3", "equal")]
    html = "".join(str(b.html) for b in views["sections.instruction"].blocks)
    assert "<ins>" in html and "A new step." in html
    assert "<del>" in html and "Tug of war." in html


def test_a_reordered_block_is_a_move_not_a_deletion_and_an_insertion():
    old = lesson(instruction=doc(p("b-1", "First."), p("b-2", "Second."), p("b-3", "Third.")))
    new = lesson(instruction=doc(p("b-3", "Third."), p("b-1", "First."), p("b-2", "Second.")))

    result, views = _views(old, new)

    blocks = result.field("sections.instruction").document.blocks
    assert [(b.key, b.status, b.moved) for b in blocks] == [
        ("b-3", "equal", True),
        ("b-1", "equal", False),
        ("b-2", "equal", False),
    ]
    moved = [b for b in views["sections.instruction"].blocks if b.moved]
    assert moved[0].notes == ["Moved from place 3 to place 1"]
    assert "<del>" not in str(moved[0].html) and "<ins>" not in str(moved[0].html)


def test_list_items_are_matched_by_id_and_a_moved_item_says_so():
    old_list = {"id": "b-1", "type": "ul", "items": [{"id": "i-1", "html": "Ruler"}, {"id": "i-2", "html": "Rope"}]}
    new_list = {
        "id": "b-1",
        "type": "ul",
        "items": [{"id": "i-2", "html": "Rope"}, {"id": "i-1", "html": "Ruler"}, {"id": "i-3", "html": "Tape"}],
    }

    result, views = _views(lesson(instruction=doc(old_list)), lesson(instruction=doc(new_list)))

    items = result.field("sections.instruction").document.blocks[0].children
    assert [(i.key, i.status, i.moved) for i in items] == [
        ("i-2", "equal", True),
        ("i-1", "equal", False),
        ("i-3", "inserted", False),
    ]
    html = str(views["sections.instruction"].blocks[0].html)
    assert "(moved)" in html and "<ins>" in html and "Tape" in html


def test_table_cells_are_compared_cell_by_cell():
    def table(middle):
        return {
            "id": "b-t",
            "type": "table",
            "rows": [[{"id": "c-1", "html": "Force", "header": True}, {"id": "c-2", "html": middle}]],
        }

    result, views = _views(lesson(instruction=doc(table("10 N"))), lesson(instruction=doc(table("12 N"))))

    cells = result.field("sections.instruction").document.blocks[0].children
    assert [(c.key, c.status) for c in cells] == [("c-1", "equal"), ("c-2", "edited")]
    html = str(views["sections.instruction"].blocks[0].html)
    assert "<del>" in html and "10" in html and "<ins>" in html and "12" in html


def test_formatting_only_changes_are_described_in_words():
    old = lesson(instruction=doc(p("b-1", f"Plants make {link('https://a.example/')}food</a> by photosynthesis.")))
    new = lesson(
        instruction=doc(
            p("b-1", f"Plants make {link('https://b.example/')}food</a> by <strong>photosynthesis</strong>.")
        )
    )

    _result, views = _views(old, new)

    block = views["sections.instruction"].blocks[0]
    assert "“photosynthesis”: made bold" in block.notes
    assert "“food”: link changed to https://b.example/" in block.notes
    assert "<del>" not in str(block.html) and "<ins>" not in str(block.html)


def test_bold_removed_and_link_removed_are_named():
    old = lesson(instruction=doc(p("b-1", f"<strong>Key</strong> {link('https://a.example/')}idea</a>")))
    new = lesson(instruction=doc(p("b-1", "Key idea")))

    _result, views = _views(old, new)

    notes = views["sections.instruction"].blocks[0].notes
    assert "“Key”: no longer bold" in notes and "“idea”: link removed" in notes


def test_a_paragraph_made_a_heading_keeps_its_id_and_says_what_it_became():
    old = lesson(instruction=doc(p("b-1", "Energy")))
    new = lesson(instruction=doc(p("b-1", "Energy", "h2")))

    _result, views = _views(old, new)

    assert views["sections.instruction"].blocks[0].notes == ["Was a paragraph, now a heading"]


def test_unicode_and_right_to_left_text_diff_by_words():
    old = lesson(title="Café ☕ naïve", instruction=doc(p("b-1", "שלום עולם יפה"), p("b-2", "مرحبا بالعالم")))
    new = lesson(title="Café 🍵 naïve", instruction=doc(p("b-1", "שלום עולם גדול"), p("b-2", "مرحبا بالعالم")))

    result, views = _views(old, new)

    title_ops = [op for op in result.field("title").ops if op[0] != EQUAL]
    assert title_ops == [(DELETE, ("☕",)), (INSERT, ("🍵",))]
    hebrew = result.field("sections.instruction").document.blocks[0].ops
    assert [op for op in hebrew if op[0] != EQUAL] == [(DELETE, ("יפה",)), (INSERT, ("גדול",))]
    assert "גדול" in _text(views["sections.instruction"].blocks[0].html)


def test_cjk_text_diffs_by_character():
    ops = diff_html("我喜欢猫", "我喜欢狗")

    assert [op for op in ops if op[0] != EQUAL] == [(DELETE, ("猫",)), (INSERT, ("狗",))]


def test_empty_fields_to_text_and_back():
    filled = lesson(objectives=doc(p("b-1", "Name three forces.")))
    empty = lesson()

    result, views = _views(empty, filled)
    assert views["sections.objectives"].blocks[0].status == "inserted"
    result, views = _views(filled, empty)
    assert views["sections.objectives"].blocks[0].status == "deleted"
    assert result.field("title").status == "unchanged"


def test_the_same_snapshot_twice_has_no_differences():
    snap = lesson(instruction=doc(p("b-1", "Same.")))

    result = diff.compare(SPECS, snap, snap)

    assert result.changed == [] and result.change_count() == 0


def test_unchanged_fields_are_counted_and_carry_no_html():
    old = lesson(instruction=doc(p("b-1", "Old.")))
    new = lesson(instruction=doc(p("b-1", "New.")))

    result, views = _views(old, new)

    assert [f.key for f in result.changed] == ["sections.instruction"]
    assert len(result.unchanged) == 4
    assert views["title"].html == "" and views["title"].blocks == []


def test_values_are_shown_through_their_labels():
    _result, views = _views(lesson(visibility="private", minutes=45), lesson(visibility="school", minutes=50))

    assert "Only me" in str(views["visibility"].html) and "My school" in str(views["visibility"].html)
    assert "<del>" in str(views["duration_minutes"].html) and "50" in str(views["duration_minutes"].html)


def test_fields_the_spec_does_not_name_are_still_compared():
    old = lesson() | {"standards": [{"id": "std-1", "code": "5-PS2-1"}]}
    new = lesson() | {"standards": [{"id": "std-1", "code": "5-PS2-1"}, {"id": "std-2", "code": "5-PS1-1"}]}
    new["sections"]["notes"] = doc(p("b-9", "A new section."))

    result, _unused = _views(old, new)

    keys = [f.key for f in result.changed]
    assert "standards" in keys and "sections.notes" in keys
    assert [r.status for r in result.field("standards").records] == ["equal", "inserted"]


OPTION_SPECS = [
    diff.FieldSpec(("prompt",), "Prompt", "text"),
    diff.FieldSpec(("options",), "Options", "records", record_labels={"text": "Text", "correct": "Correct"}),
    diff.FieldSpec(("points",), "Points", "value"),
]


def test_reordered_options_are_moves_and_a_changed_correct_answer_is_named():
    old = {
        "prompt": "Which is a force?",
        "points": 1,
        "options": [
            {"id": "o-1", "text": "Push", "correct": True},
            {"id": "o-2", "text": "Colour", "correct": False},
            {"id": "o-3", "text": "Smell", "correct": False},
        ],
    }
    new = {
        "prompt": "Which is a force?",
        "points": 2,
        "options": [
            {"id": "o-3", "text": "Smell", "correct": False},
            {"id": "o-1", "text": "Push", "correct": False},
            {"id": "o-2", "text": "Pull", "correct": True},
        ],
    }

    result = diff.compare(OPTION_SPECS, old, new)

    assert diff.apply_snapshot(old, result) == new
    records = result.field("options").records
    assert [(r.key, r.status, r.moved) for r in records] == [
        ("o-3", "equal", True),
        ("o-1", "edited", False),
        ("o-2", "edited", False),
    ]
    views = {fv.key: fv for fv in diff.field_views(result)}
    notes = [note for record in views["options"].records for note in record.notes]
    assert "Correct answer changed" in notes and "Moved from place 3 to place 1" in notes
    assert result.field("points").status == "changed"


def test_math_and_images_compare_by_source():
    image_a, image_b = "/richtext/images/" + "a" * 64, "/richtext/images/" + "b" * 64
    old = lesson(
        instruction=doc(
            p("b-1", r"Area is \(\pi r^2\) here."), {"id": "b-2", "type": "figure", "html": f'<img src="{image_a}">'}
        )
    )
    new = lesson(
        instruction=doc(
            p("b-1", r"Area is \(2\pi r\) here."), {"id": "b-2", "type": "figure", "html": f'<img src="{image_b}">'}
        )
    )

    result, views = _views(old, new)

    ops = result.field("sections.instruction").document.blocks[0].ops
    assert [op for op in ops if op[0] != EQUAL] == [(DELETE, (r"\(\pi r^2\)",)), (INSERT, (r"\(2\pi r\)",))]
    blocks = views["sections.instruction"].blocks
    assert "Image replaced" in blocks[1].notes
    assert r"\(2\pi r\)" in str(blocks[0].html)


def test_side_by_side_puts_deletions_left_and_insertions_right():
    old = lesson(instruction=doc(p("b-1", "Tug of war in pairs.")))
    new = lesson(instruction=doc(p("b-1", "Tug of war in fours.")))

    _result, views = _views(old, new, view="side")

    block = views["sections.instruction"].blocks[0]
    assert "<del>" in str(block.old) and "<ins>" not in str(block.old) and "pairs" in str(block.old)
    assert "<ins>" in str(block.new) and "<del>" not in str(block.new) and "fours" in str(block.new)


def test_changes_carry_words_for_screen_readers():
    _result, views = _views(lesson(title="Old title"), lesson(title="New title"))

    html = str(views["title"].html)
    assert '<del><span class="visually-hidden">Deleted: </span>Old</del>' in html
    assert '<ins><span class="visually-hidden">Added: </span>New</ins>' in html


def test_hostile_stored_markup_from_before_the_rules_changed_is_shown_safely():
    # Rows written by something other than the pipeline (an old import, a hand edit): the diff cleans them.
    old = lesson(instruction=doc(*(p(f"b-{n}", "safe words") for n in range(len(VECTORS)))))
    new = lesson(instruction=doc(*(p(f"b-{n}", f"safe {vector} words") for n, vector in enumerate(VECTORS))))

    for view in ("inline", "side"):
        result = diff.compare(SPECS, old, new)
        for fv in diff.field_views(result, view):
            for block in fv.blocks:
                for html in (block.html, block.old, block.new):
                    assert problems(str(html)) == [], html


def test_a_titles_markup_is_text():
    _result, views = _views(lesson(title="a < b"), lesson(title="a <script>alert(1)</script> b"))

    html = str(views["title"].html)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in _text(html).replace("Added: ", "")


def test_documents_from_the_pipeline_keep_ids_so_an_edit_is_an_edit():
    old_doc = to_document(
        "<p>Alpha paragraph with several words here.</p><p>Bravo paragraph is long enough.</p><p>Charlie closes.</p>"
    )
    new_doc = to_document(
        "<p>Charlie closes.</p><p>Alpha paragraph with several words here, edited.</p>"
        "<p>Bravo paragraph is long enough.</p>",
        old_doc,
    )

    result, _unused = _views(lesson(instruction=old_doc), lesson(instruction=new_doc))

    blocks = result.field("sections.instruction").document.blocks
    assert [(b.status, b.moved) for b in blocks] == [("equal", True), ("edited", False), ("equal", False)]


def test_very_long_texts_diff_by_word_and_apply_exactly():
    words = [f"word{n % 97}" for n in range(10_000)]
    old_blocks = [p(f"b-{n}", " ".join(words[n * 100 : (n + 1) * 100])) for n in range(100)]
    new_blocks = [dict(block) for block in old_blocks]
    new_blocks[10]["html"] = new_blocks[10]["html"].replace("word5 ", "changed ", 1)
    new_blocks[70]["html"] += " and one more"
    new_blocks.insert(40, new_blocks.pop(90))
    old, new = lesson(instruction=doc(*old_blocks)), lesson(instruction=doc(*new_blocks))

    result, views = _views(old, new)

    blocks = result.field("sections.instruction").document.blocks
    assert [b.key for b in blocks if b.status == "edited"] == ["b-10", "b-70"]
    assert [b.key for b in blocks if b.moved] == ["b-90"]
    assert result.change_count() == 3
    folded = [b for b in views["sections.instruction"].blocks if b.unchanged]
    assert sum(b.unchanged for b in folded) == 97


def test_a_list_of_ids_shows_each_one_added_removed_or_moved_through_its_label():
    specs = [diff.FieldSpec(("standards",), "Standards", choices={1: "5-PS2-1 Forces", 2: "5-PS1-1 Matter"})]
    old, new = {"standards": [1, 3]}, {"standards": [2, 1]}

    result = diff.compare(specs, old, new)

    assert diff.apply_snapshot(old, result) == new
    records = result.field("standards").records
    assert [(r.key, r.status) for r in records] == [("2", "inserted"), ("1", "equal"), ("3", "deleted")]
    html = " ".join(str(r.html) for r in diff.field_views(result)[0].records)
    assert "5-PS1-1 Matter" in html and "<del>" in html and "3" in html
