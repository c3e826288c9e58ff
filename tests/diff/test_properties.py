"""Properties over generated pairs: applying the structured diff to the old version yields the new one, and the
HTML of every view is safe."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.diff import services as diff
from app.richtext.services import clean_stored, to_document
from tests.diff.test_engine import OPTION_SPECS, SPECS, problems
from tests.richtext.test_properties import html_like

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

WORDS = ["force", "push", "pull", "Ünïcödé", "שלום", "مرحبا", "猫", "😀", r"\(x^2\)", "&amp;", "a", "the", ",", "."]
MARKED = st.sampled_from(WORDS).flatmap(
    lambda word: st.sampled_from(
        [
            word,
            f"<strong>{word}</strong>",
            f"<em>{word}</em>",
            f'<a href="https://example.org/{len(word)}">{word}</a>',
            f"<code>{word}</code>",
        ]
    )
)
inline_html = st.lists(MARKED, max_size=12).map(" ".join).map(clean_stored)
IDS = [f"b-{n}" for n in range(8)]
ITEM_IDS = [f"i-{n}" for n in range(6)]


def _items():
    return st.lists(st.sampled_from(ITEM_IDS), unique=True, max_size=5).flatmap(
        lambda ids: st.tuples(*[st.tuples(st.just(i), inline_html, st.integers(0, 2)) for i in ids]).map(
            lambda rows: [{"id": i, "html": h, **({"depth": d} if d else {})} for i, h, d in rows]
        )
    )


def _block(block_id: str):
    leaf = st.tuples(st.sampled_from(["p", "h2", "h3", "blockquote"]), inline_html).map(
        lambda t: {"id": block_id, "type": t[0], "html": t[1]}
    )
    listed = st.tuples(st.sampled_from(["ul", "ol"]), _items()).map(
        lambda t: {"id": block_id, "type": t[0], "items": t[1]}
    )
    table = st.lists(inline_html, min_size=1, max_size=4).map(
        lambda cells: {
            "id": block_id,
            "type": "table",
            "rows": [[{"id": f"c-{n}", "html": html} for n, html in enumerate(cells)]],
        }
    )
    return st.one_of(leaf, leaf, listed, table)


documents = st.lists(st.sampled_from(IDS), unique=True, max_size=6).flatmap(
    lambda ids: st.tuples(*[_block(i) for i in ids]).map(lambda blocks: {"version": 1, "blocks": list(blocks)})
)


def _snapshot():
    return st.fixed_dictionaries(
        {
            "title": st.text(max_size=30),
            "duration_minutes": st.none() | st.integers(1, 600),
            "visibility": st.sampled_from(["private", "school", "district"]),
            "sections": st.fixed_dictionaries({"objectives": documents, "instruction": documents}),
        },
        optional={"standards": st.lists(st.sampled_from(["s-1", "s-2", "s-3"]), unique=True)},
    )


@SETTINGS
@given(_snapshot(), _snapshot())
def test_applying_the_diff_to_the_old_snapshot_yields_the_new_one(old, new):
    result = diff.compare(SPECS, old, new)

    assert diff.apply_snapshot(old, result) == new


@SETTINGS
@given(html_like, html_like)
def test_the_property_holds_for_documents_the_pipeline_made(raw_old, raw_new):
    old = to_document(raw_old)
    new = to_document(raw_new, previous=old)

    result = diff.diff_documents(old, new)

    assert diff.apply_document(old, result) == new


@SETTINGS
@given(_snapshot(), _snapshot(), st.sampled_from(diff.VIEWS))
def test_every_view_of_any_diff_is_safe_html(old, new, view):
    for fv in diff.field_views(diff.compare(SPECS, old, new), view):
        for part in (fv.html, fv.old, fv.new, *(b.html for b in fv.blocks), *(b.old for b in fv.blocks)):
            assert problems(str(part)) == []


options = st.lists(st.sampled_from(["o-1", "o-2", "o-3", "o-4"]), unique=True, max_size=4).flatmap(
    lambda ids: st.tuples(
        *[
            st.fixed_dictionaries({"id": st.just(i), "text": st.text(max_size=12), "correct": st.booleans()})
            for i in ids
        ]
    ).map(list)
)


@SETTINGS
@given(
    st.fixed_dictionaries({"prompt": st.text(max_size=20), "options": options, "points": st.integers(0, 5)}),
    st.fixed_dictionaries({"prompt": st.text(max_size=20), "options": options, "points": st.integers(0, 5)}),
)
def test_the_property_holds_for_records_reordered_added_and_edited(old, new):
    result = diff.compare(OPTION_SPECS, old, new)

    assert diff.apply_snapshot(old, result) == new
