"""Whatever a teacher uploads, parse_upload answers with questions and problems, never an exception: generated
bytes, XML made of each format's own vocabulary, GIFT made of its own tokens, and HTML the exporter must carry."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.questions.data import Choice, QuestionData
from app.questions.interchange import export_qti21, parse_upload
from app.questions.interchange.codes import PROBLEM_CODES
from tests.questions.interchange.files import make_zip

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TAGS = [
    "questestinterop", "objectbank", "assessment", "section", "item", "itemmetadata", "qtimetadatafield",
    "fieldlabel", "fieldentry", "presentation", "material", "mattext", "response_lid", "response_str",
    "render_choice", "response_label", "resprocessing", "respcondition", "conditionvar", "varequal", "vargte",
    "varlte", "not", "and", "or", "setvar", "itemfeedback", "quiz", "question", "name", "text", "questiontext",
    "answer", "feedback", "subquestion", "dataset_definition", "dataset_item", "value", "file", "assessmentItem",
    "responseDeclaration", "correctResponse", "mapping", "mapEntry", "outcomeDeclaration", "defaultValue",
    "itemBody", "choiceInteraction", "simpleChoice", "textEntryInteraction", "inlineChoiceInteraction",
    "inlineChoice", "matchInteraction", "simpleMatchSet", "simpleAssociableChoice", "orderInteraction",
    "gapMatchInteraction", "gapText", "gap", "responseProcessing", "responseIf", "equal", "gte", "lte", "variable",
    "baseValue", "p", "div", "img", "modalFeedback", "rubricBlock", "hotspotInteraction",
]  # fmt: skip
ATTRIBUTES = ["ident", "identifier", "type", "responseIdentifier", "cardinality", "baseType", "respident",
              "fraction", "mapKey", "mappedValue", "maxChoices", "texttype", "varname", "action", "src",
              "toleranceMode", "tolerance", "format", "toolName", "href", "name", "encoding"]  # fmt: skip
VALUES = ["single", "multiple", "float", "string", "identifier", "directedPair", "RESPONSE", "SCORE", "100", "-5",
          "x", "true", "multichoice", "numerical", "matching", "calculated", "cloze", "Chalkline", "../a.png",
          "$IMS-CC-FILEBASE$/a.png", "@@PLUGINFILE@@/a.png", "text/html", "absolute", "1e999", "NaN"]  # fmt: skip


@st.composite
def elements(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attributes = draw(st.dictionaries(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES), max_size=3))
    attrs = "".join(f' {k}="{escape(v)}"' for k, v in attributes.items())
    children = [] if depth > 4 else draw(st.lists(elements(depth + 1), max_size=3))
    text = escape(draw(st.sampled_from(["", "1", "abc", "[a]", "<p>x</p>", "{a}+1", "true", "3.5", "x <img src=a>"])))
    return f"<{tag}{attrs}>{text}{''.join(children)}</{tag}>"


def _no_crash(bank) -> None:
    assert [p.message for p in bank.problems if p.code == "parse_failed"] == []
    assert {p.code for p in bank.problems} <= set(PROBLEM_CODES)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["a.xml", "a.zip", "a.gift", "a.txt", "a"]))
def test_any_bytes_give_a_bank_or_problems(data, name):
    _no_crash(parse_upload(name, data))


@SETTINGS
@given(st.sampled_from(["questestinterop", "quiz", "assessmentItem"]), st.lists(elements(), max_size=4))
def test_xml_in_each_formats_vocabulary_never_breaks_a_parser(root, children):
    xml = f"<{root}>{''.join(children)}</{root}>"
    _no_crash(parse_upload("x.xml", xml.encode()))
    _no_crash(parse_upload("x.zip", make_zip({"imsmanifest.xml": "<manifest/>", "q/x.xml": xml})))


GIFT_TOKENS = ["::", "title", "{", "}", "=", "~", "#", "->", "%50%", "%-100%", "..", ":", "\\", "\n", "\n\n", "T",
               "FALSE", "//", "$CATEGORY:", "[html]", "[plain]", "1.5", "abc", " ", "####", "<b>", "\\n"]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(GIFT_TOKENS), max_size=40).map("".join))
def test_gift_made_of_its_own_tokens_never_breaks_the_parser(text):
    _no_crash(parse_upload("q.gift", ("{" + text).encode()))


HTML = ["<p>", "</p>", "<b>", "</b>", "<br>", "<del>", "</del>", "<figure>", "</figure>", "<img src='asset:x.png'>",
        "[[blank:b1]]", "&amp;", "&nbsp;", "<", ">", "&", "x", " ", "\n", "\x00", "\ufffe", "<script>", "</script>",
        "<table><tr><td>", "</td></tr></table>", "<ul><li>", "</li></ul>", "<a href='https://x'>", "</a>"]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(HTML) | st.text(max_size=5), max_size=30).map("".join))
def test_the_exporter_carries_any_html_into_a_package_that_reads_back(html):
    question = QuestionData(type="multiple_choice", stem_html=html, source_id="q1",
                            choices=[Choice(id="a", html=html, correct=True), Choice(id="b", html="no")])  # fmt: skip
    bank = parse_upload("bank.zip", export_qti21("Bank", [question]))
    _no_crash(bank)
    assert [p.code for p in bank.problems if p.fatal] == []
    assert [c.correct for c in bank.questions[0].choices] == [True, False]
    assert "<script" not in bank.questions[0].stem_html


def test_deeply_nested_xml_is_refused_and_deep_html_is_flattened():
    deep = "<quiz>" + "<a>" * 5000 + "</a>" * 5000 + "</quiz>"
    assert [p.code for p in parse_upload("deep.xml", deep.encode()).problems] == ["too_deep"]
    html = "<b>" * 3000 + "deep" + "</b>" * 3000
    question = QuestionData(type="essay", stem_html=html, source_id="q1")
    (back,) = parse_upload("bank.zip", export_qti21("Bank", [question])).questions
    assert "deep" in back.stem_html


def test_every_problem_code_in_the_parsers_is_in_the_catalogue():
    source = "\n".join(p.read_text() for p in Path("app/questions/interchange").glob("*.py"))
    pattern = r'(?:Bad|Refused)\(\s*"([a-z_]+)"|problem\(\s*[\w.]+,\s*"([a-z_]+)"|problem\(\s*"[\w ]+",\s*"([a-z_]+)"'
    used = {next(g for g in match if g) for match in re.findall(pattern, source)}
    assert used, "the pattern found no codes"
    assert used - set(PROBLEM_CODES) == set()


def test_unclosed_tags_in_a_large_file_cost_linear_time():
    import time

    from app.questions.interchange.markup import drop_scripts, rewrite_images

    started = time.process_time()
    drop_scripts("<script>" * 100_000)
    rewrite_images('<img "' * 100_000, lambda attributes: None)
    rewrite_images("<p>" + "<img src='a.png'>x" * 20_000, lambda attributes: "")
    assert time.process_time() - started < 10  # quadratic scans took minutes
