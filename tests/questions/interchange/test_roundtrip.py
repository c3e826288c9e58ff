"""Export then import is the same bank: a property over generated questions of every type.

The equality tested is dataclass equality of every QuestionData field except `extra` (which is not exported):
ids of questions (source_id), choices, pairs, distractors, items, blanks, text and numeric answers; every HTML
string exactly; correct flags, weights, case rules, tolerances and ranges; points, title, tags, difficulty,
standards, feedback, guidance, shuffle, partial credit and the images' names, types and bytes. The generated data
is what the bank holds: HTML in the normal form the rich-text sanitiser writes (escaped `& < >`, no surrounding
whitespace), ids of [a-z0-9-], and only the fields a type uses.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from html import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.questions.data import Asset, Blank, Choice, NumericAnswer, Pair, QuestionData, TextAnswer
from app.questions.interchange import export_qti21, parse_upload
from tests.questions.interchange.files import png

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="[]\r\u2028\u2029") | (
    st.sampled_from(list("&<>\"' \n\t\\(){}#=~:-"))
)
words = st.text(ALPHABET, min_size=1, max_size=12).filter(lambda t: t.strip() == t and t.strip())
plain = st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=10)


@st.composite
def inline(draw, images: tuple[str, ...] = ()) -> str:
    parts = [escape(draw(words), quote=False)]
    for _ in range(draw(st.integers(0, 3))):
        tag = draw(st.sampled_from(["strong", "em", "del", "sub", "code", "br", "text", "math"]))
        if tag == "br":
            parts.append(" <br>")
        elif tag == "text":
            parts.append(" " + escape(draw(words), quote=False))
        elif tag == "math":
            parts.append(" \\(x^{2} &lt; \\frac{1}{2}\\)")
        else:
            parts.append(f" <{tag}>{escape(draw(words), quote=False)}</{tag}>")
    parts += [f' <img src="asset:{name}" alt="figure">' for name in images]
    return "".join(parts) + " " + escape(draw(words), quote=False)


@st.composite
def rich(draw, images: tuple[str, ...] = ()) -> str:
    if draw(st.booleans()):
        return draw(inline(images))
    blocks = [f"<p>{draw(inline(images))}</p>"]
    if draw(st.booleans()):
        blocks.append("<ul>" + "".join(f"<li>{draw(inline())}</li>" for _ in range(draw(st.integers(1, 3)))) + "</ul>")
    return "".join(blocks)


def _ids(draw, count: int) -> list[str]:
    pattern = st.from_regex(r"\A(o-[a-z0-9]{8}|[a-z][a-z0-9]{0,5}|[0-9]{1,6})\Z")
    return draw(st.lists(pattern, min_size=count, max_size=count, unique=True))


weights = st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal("0.333"), Decimal(1)])
numbers = st.decimals(min_value=-100000, max_value=100000, places=3, allow_nan=False, allow_infinity=False)


def _choices(draw, ids, *, correct: set[int], weighted: bool) -> list[Choice]:
    return [
        Choice(id=ident, html=draw(rich()), correct=n in correct,
               feedback_html=draw(st.sampled_from(["", "<p>Because.</p>"]) | rich()),
               weight=draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1)])) if weighted else None)
        for n, ident in enumerate(ids)
    ]  # fmt: skip


@st.composite
def questions(draw, source_id: str, kind: str | None = None) -> QuestionData:
    kind = kind or draw(st.sampled_from(QUESTION_KINDS))
    names = draw(st.lists(st.from_regex(r"\A([a-z]{1,6}/)?[a-z0-9]{1,8}\Z"), max_size=2, unique=True))
    images = tuple(f"{name}.png" for name in names)
    # The stem shows some of the images, in any order; the rest are kept all the same (the bank's exporter sends
    # the images of every field, and an image only a choice shows is still the question's).
    shown = tuple(draw(st.permutations(images))[: draw(st.integers(0, len(images)))])
    q = QuestionData(
        type=kind, stem_html=draw(rich(shown)), title=draw(st.sampled_from(["", "Quiz 1 — Q1"]) | words),
        points=draw(st.decimals(min_value=0, max_value=100, places=2)), difficulty=draw(st.none() | st.integers(1, 5)),
        tags=draw(st.lists(words, max_size=3, unique=True)),
        standard_codes=draw(st.lists(st.sampled_from(["CCSS.MATH.5.NF.1", "NGSS.MS-LS1-1", "c6a1f5e0-5d2b"]),
                                     max_size=2, unique=True)),
        general_feedback_html=draw(st.just("") | rich()), partial_credit=draw(st.booleans()), source_id=source_id,
        assets=[Asset(name=name, content_type="image/png", data=png(n + 1, 2) + bytes(draw(st.binary(max_size=8))))
                for n, name in enumerate(images)],
    )  # fmt: skip
    if kind in ("multiple_choice", "multiple_select", "true_false", "matching", "ordering"):
        q.shuffle = draw(st.booleans())
    if kind == "true_false":
        q.choices = _choices(draw, ["true", "false"], correct={draw(st.integers(0, 1))}, weighted=False)
    elif kind in ("multiple_choice", "multiple_select"):
        count = draw(st.integers(2, 5))
        right = (
            {draw(st.integers(0, count - 1))}
            if kind == "multiple_choice"
            else set(draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=count, unique=True)))
        )
        q.choices = _choices(draw, _ids(draw, count), correct=right, weighted=draw(st.booleans()))
    elif kind == "short_answer":
        texts = draw(st.lists(words, min_size=1, max_size=3, unique=True))
        q.text_answers = [TextAnswer(id=ident, text=text, case_sensitive=draw(st.booleans()), weight=draw(weights))
                          for ident, text in zip(_ids(draw, len(texts)), texts, strict=True)]  # fmt: skip
    elif kind == "numeric":
        q.numeric_answers = [_numeric(draw, ident) for ident in _ids(draw, draw(st.integers(1, 3)))]
    elif kind == "matching":
        count, extra = draw(st.integers(1, 4)), draw(st.integers(0, 2))
        ids = _ids(draw, count + extra)
        q.pairs = [Pair(id=i, prompt_html=draw(rich()), answer_html=draw(rich())) for i in ids[:count]]
        q.distractors = [Choice(id=i, html=draw(rich())) for i in ids[count:]]
    elif kind == "ordering":
        q.items = [Choice(id=i, html=draw(rich())) for i in _ids(draw, draw(st.integers(2, 5)))]
    elif kind == "fill_blanks":
        _blanks(draw, q, shown)
    elif kind == "essay":
        q.essay_guidance_html = draw(st.just("") | rich())
    return q


def _numeric(draw, ident: str) -> NumericAnswer:
    if draw(st.booleans()):
        low, high = sorted([draw(numbers), draw(numbers)])
        return NumericAnswer(id=ident, kind="range", low=low, high=high, weight=draw(weights))
    tolerance = draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal("0.001")]))
    return NumericAnswer(id=ident, kind="exact", value=draw(numbers), tolerance=tolerance, weight=draw(weights))


def _blanks(draw, q: QuestionData, images: tuple[str, ...]) -> None:
    count = draw(st.integers(1, 3))
    ids = _ids(draw, count * 4)
    blanks, used = [], iter(ids[count:])
    for ident in ids[:count]:
        if draw(st.booleans()):
            texts = draw(st.lists(words, min_size=1, max_size=2, unique=True))
            answers = [TextAnswer(id=next(used), text=t, case_sensitive=draw(st.booleans()), weight=draw(weights))
                       for t in texts]  # fmt: skip
            blanks.append(Blank(id=ident, answers=answers))
        else:
            right = draw(st.integers(0, 1))
            choices = [Choice(id=next(used), html=draw(inline()), correct=n == right) for n in range(2)]
            blanks.append(Blank(id=ident, choices=choices))
    sentence = " ".join(f"{escape(draw(words), quote=False)} [[blank:{b.id}]]" for b in blanks)
    q.stem_html = f"<p>{draw(inline(images))} {sentence} end</p>"
    if count == 1 and draw(st.booleans()):  # a blank alone in its paragraph is still a blank, not a short answer
        q.stem_html = f"<p>{draw(inline(images))}</p><p>[[blank:{blanks[0].id}]]</p>"
    q.blanks = blanks
    q.shuffle = draw(st.booleans()) and any(blank.choices for blank in blanks)


QUESTION_KINDS = ["multiple_choice", "multiple_select", "true_false", "short_answer", "numeric", "matching",
                  "ordering", "fill_blanks", "essay"]  # fmt: skip


@st.composite
def banks(draw) -> list[QuestionData]:
    source_ids = draw(st.lists(st.from_regex(r"\A[a-z0-9]{1,8}\Z"), min_size=1, max_size=4, unique=True))
    return [draw(questions(source_id)) for source_id in source_ids]


@SETTINGS
@given(banks())
def test_export_then_import_gives_back_the_same_questions(bank):
    parsed = parse_upload("bank.zip", export_qti21("Year 7 science", bank))
    assert [p for p in parsed.problems if p.fatal] == []
    assert (parsed.format, parsed.categories) == ("qti21", ["Year 7 science"])
    assert parsed.questions == bank


@pytest.mark.parametrize("kind", QUESTION_KINDS)
def test_each_type_survives_export_and_import(kind):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(questions("q1", kind))
    def round_trip(question):
        assert question.type == kind
        (back,) = parse_upload("bank.zip", export_qti21("Bank", [question])).questions
        assert back == question

    round_trip()


def test_the_package_has_a_manifest_one_item_per_question_and_the_images():
    question = QuestionData(
        type="essay", stem_html='<p>See <img src="asset:lab/cell.png" alt="cell"></p>', source_id="4810",
        assets=[Asset(name="lab/cell.png", content_type="image/png", data=png())],
    )  # fmt: skip
    archive = zipfile.ZipFile(io.BytesIO(export_qti21("Bank", [question, QuestionData(type="essay", stem_html="x")])))
    assert sorted(archive.namelist()) == [
        "imsmanifest.xml", "items/_4810/lab/cell.png", "items/_4810/qti.xml", "items/q-00002/qti.xml",
    ]  # fmt: skip
    manifest = archive.read("imsmanifest.xml").decode()
    assert 'type="imsqti_item_xmlv2p1" href="items/_4810/qti.xml"' in manifest
    item = archive.read("items/_4810/qti.xml").decode()
    assert '<img src="lab/cell.png" alt="cell" />' in item and "<extendedTextInteraction" in item


def test_a_blank_the_stem_does_not_show_is_placed_after_it():
    blank = Blank(id="b1", answers=[TextAnswer(id="a1", text="red")])
    question = QuestionData(type="fill_blanks", stem_html="<p>Roses are red.</p>", source_id="q1", blanks=[blank])
    (back,) = parse_upload("bank.zip", export_qti21("Bank", [question])).questions
    assert (back.stem_html, back.blanks) == ("<p>Roses are red.</p><p>[[blank:b1]]</p>", [blank])


RICH = (
    "<h2>Title</h2><p>Some <strong>bold</strong> &amp; <em>it</em> <del>gone</del> x<sub>2</sub> \\(x^2 &lt; 1\\)</p>"
    "<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul><pre>code\n  line</pre>"
    '<table><tr><th>a</th><th colspan="2">b</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>'
    f'<figure><img src="/richtext/images/{"a" * 64}" width="640" height="480"><figcaption>cap</figcaption></figure>'
    '<blockquote>quoted</blockquote><p>\\[ \\frac{1}{2} \\]</p><p><a href="https://example.org">link</a></p>'
)


def test_a_rich_text_stem_comes_back_as_the_same_document():
    """What the bank stores is a Document: its editor HTML (tables and figures as Trix attachments) exported and
    imported gives the same Document again."""
    from app.richtext.services import to_document, to_editor_html

    doc = to_document(RICH)
    question = QuestionData(type="essay", stem_html=to_editor_html(doc), source_id="q1")
    (back,) = parse_upload("bank.zip", export_qti21("Bank", [question])).questions
    assert to_document(back.stem_html, previous=doc) == doc
    assert "data-trix" not in back.stem_html
