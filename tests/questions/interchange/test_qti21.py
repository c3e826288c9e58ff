"""QTI 2.1 as other tools write it: pretty-printed items with prompts and templates, tests, zips with and without a
manifest, every interaction the bank maps, and the ones it reports."""

from __future__ import annotations

from decimal import Decimal

from app.questions.interchange import parse_upload
from tests.questions.interchange.files import make_zip, png

NS = 'xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
MATCH_CORRECT = '<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>'


def item(identifier: str, declarations: str, body: str, extra: str = MATCH_CORRECT, title: str = "Item") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem {NS} identifier="{identifier}" title="{title}" adaptive="false" timeDependent="false">
  {declarations}
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
  <itemBody>
    {body}
  </itemBody>
  {extra}
</assessmentItem>
"""


def declare(identifier: str, cardinality: str, base: str, correct: list[str], mapping: str = "") -> str:
    values = "".join(f"<value>{v}</value>" for v in correct)
    held = f"<correctResponse>{values}</correctResponse>" if correct else ""
    return (
        f'<responseDeclaration identifier="{identifier}" cardinality="{cardinality}" baseType="{base}">'
        f"{held}{mapping}</responseDeclaration>"
    )


def _parse(xml: str):
    bank = parse_upload("item.xml", xml.encode())
    assert bank.format == "qti21"
    return bank


CHOICE = item(
    "choice1",
    declare("RESPONSE", "single", "identifier", ["B"]),
    """<p>Look at the picture.</p>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="true" maxChoices="1">
      <prompt>Which planet is largest?</prompt>
      <simpleChoice identifier="A">Mars</simpleChoice>
      <simpleChoice identifier="B">Jupiter</simpleChoice>
    </choiceInteraction>""",
    title="Planets",
)


def test_a_choice_item_with_a_prompt_and_the_match_correct_template():
    (q,) = _parse(CHOICE).questions
    assert (q.type, q.title, q.source_id, q.points, q.shuffle) == ("multiple_choice", "Planets", "choice1", 1, True)
    assert q.stem_html == "<p>Look at the picture.</p>\n    Which planet is largest?"
    assert [(c.id, c.html, c.correct) for c in q.choices] == [("A", "Mars", False), ("B", "Jupiter", True)]


def test_multiple_response_with_a_points_mapping_becomes_weights_of_the_points():
    mapping = (
        '<mapping defaultValue="0" lowerBound="0"><mapEntry mapKey="A" mappedValue="1"/>'
        '<mapEntry mapKey="B" mappedValue="1"/><mapEntry mapKey="C" mappedValue="-1"/></mapping>'
    )
    xml = item(
        "mr",
        declare("RESPONSE", "multiple", "identifier", ["A", "B"], mapping),
        '<choiceInteraction responseIdentifier="RESPONSE" maxChoices="0">'
        '<simpleChoice identifier="A">2</simpleChoice><simpleChoice identifier="B">3</simpleChoice>'
        '<simpleChoice identifier="C">4</simpleChoice></choiceInteraction>',
        extra='<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"/>',
    )
    (q,) = _parse(xml).questions
    assert (q.type, q.points, q.partial_credit) == ("multiple_select", Decimal(2), True)
    assert [(c.correct, c.weight) for c in q.choices] == [(True, Decimal("0.5")), (True, Decimal("0.5")), (False, 0)]


def test_text_entry_alone_is_a_short_answer_and_inside_a_sentence_is_a_blank():
    mapping = (
        '<mapping defaultValue="0"><mapEntry mapKey="Paris" mappedValue="2" caseSensitive="true"/>'
        '<mapEntry mapKey="paris" mappedValue="1" caseSensitive="false"/></mapping>'
    )
    alone = item(
        "sa",
        declare("RESPONSE", "single", "string", ["Paris"], mapping),
        '<p>Capital of France?</p><div><textEntryInteraction responseIdentifier="RESPONSE"/></div>',
    )
    inline = item(
        "fib",
        declare("R1", "single", "string", ["Paris"]) + declare("R2", "single", "identifier", ["c2"]),
        '<p>The capital is <textEntryInteraction responseIdentifier="R1"/> and it is in '
        '<inlineChoiceInteraction responseIdentifier="R2" shuffle="false"><inlineChoice identifier="c1">Asia'
        '</inlineChoice><inlineChoice identifier="c2">Europe</inlineChoice></inlineChoiceInteraction>.</p>',
    )
    (sa,) = _parse(alone).questions
    assert (sa.type, sa.stem_html) == ("short_answer", "<p>Capital of France?</p>")
    assert [(a.text, a.case_sensitive, a.weight) for a in sa.text_answers] == [
        ("Paris", True, 1),
        ("paris", False, Decimal("0.5")),
    ]
    (fib,) = _parse(inline).questions
    assert fib.type == "fill_blanks"
    assert fib.stem_html == "<p>The capital is [[blank:R1]] and it is in [[blank:R2]].</p>"
    typed, dropdown = fib.blanks
    assert [a.text for a in typed.answers] == ["Paris"]
    assert [(c.id, c.html, c.correct) for c in dropdown.choices] == [("c1", "Asia", False), ("c2", "Europe", True)]


def _numeric(condition: str) -> str:
    processing = (
        "<responseProcessing><responseCondition><responseIf>"
        f'{condition}<setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>'
        "</responseIf></responseCondition></responseProcessing>"
    )
    return item(
        "num",
        declare("RESPONSE", "single", "float", ["9.81"]),
        '<p>g in m/s2?</p><p><textEntryInteraction responseIdentifier="RESPONSE"/></p>',
        extra=processing,
    )


def test_numeric_answers_from_tolerance_ranges_in_either_order_and_the_correct_value():
    tolerance = _numeric(
        '<equal toleranceMode="absolute" tolerance="0.05 0.05"><variable identifier="RESPONSE"/>'
        '<baseValue baseType="float">9.81</baseValue></equal>'
    )
    reversed_range = _numeric(
        '<and><not><isNull><variable identifier="RESPONSE"/></isNull></not>'
        '<lte><baseValue baseType="float">9</baseValue><variable identifier="RESPONSE"/></lte>'
        '<gte><baseValue baseType="float">10</baseValue><variable identifier="RESPONSE"/></gte></and>'
    )
    plain = _numeric("").replace("<responseProcessing>", "<!-- none -->").split("<!-- none -->")[0] + (
        "</assessmentItem>"
    )
    assert [(a.kind, a.value, a.tolerance) for a in _parse(tolerance).questions[0].numeric_answers] == [
        ("exact", Decimal("9.81"), Decimal("0.05"))
    ]
    assert [(a.kind, a.low, a.high) for a in _parse(reversed_range).questions[0].numeric_answers] == [
        ("range", Decimal(9), Decimal(10))
    ]
    (q,) = _parse(plain).questions
    assert (q.type, q.stem_html) == ("numeric", "<p>g in m/s2?</p>")
    assert [(a.kind, a.value, a.tolerance) for a in q.numeric_answers] == [("exact", Decimal("9.81"), 0)]


def test_a_numeric_answer_that_is_not_a_number_names_the_item():
    bank = _parse(_numeric("").replace("<value>9.81</value>", "<value>nine</value>"))
    assert [(p.source_id, p.code, p.fatal) for p in bank.problems] == [("num", "not_a_number", True)]


def test_match_order_gap_match_and_extended_text():
    match = item(
        "m",
        declare("RESPONSE", "multiple", "directedPair", ["W H2O", "S NaCl"]),
        '<matchInteraction responseIdentifier="RESPONSE" shuffle="false" maxAssociations="2"><simpleMatchSet>'
        '<simpleAssociableChoice identifier="W" matchMax="1">Water</simpleAssociableChoice>'
        '<simpleAssociableChoice identifier="S" matchMax="1">Salt</simpleAssociableChoice></simpleMatchSet>'
        '<simpleMatchSet><simpleAssociableChoice identifier="H2O" matchMax="1">H<sub>2</sub>O</simpleAssociableChoice>'
        '<simpleAssociableChoice identifier="NaCl" matchMax="1">NaCl</simpleAssociableChoice>'
        '<simpleAssociableChoice identifier="CO2" matchMax="1">CO2</simpleAssociableChoice></simpleMatchSet>'
        "</matchInteraction>",
    )
    order = item(
        "o",
        declare("RESPONSE", "ordered", "identifier", ["C", "A", "B"]),
        '<orderInteraction responseIdentifier="RESPONSE" shuffle="true"><prompt>Smallest first</prompt>'
        '<simpleChoice identifier="A">Cat</simpleChoice><simpleChoice identifier="B">Horse</simpleChoice>'
        '<simpleChoice identifier="C">Ant</simpleChoice></orderInteraction>',
    )
    gaps = item(
        "g",
        declare("RESPONSE", "multiple", "directedPair", ["W1 G1", "W2 G2"]),
        '<gapMatchInteraction responseIdentifier="RESPONSE"><gapText identifier="W1" matchMax="1">roses</gapText>'
        '<gapText identifier="W2" matchMax="1">violets</gapText><p>The <gap identifier="G1"/> are red and the '
        '<gap identifier="G2"/> blue.</p></gapMatchInteraction>',
    )
    essay = item(
        "e",
        declare("RESPONSE", "single", "string", []),
        '<p>Why?</p><extendedTextInteraction responseIdentifier="RESPONSE"/>'
        '<rubricBlock view="scorer"><p>Two reasons.</p></rubricBlock>',
        extra="",
    )
    data = make_zip({f"{name}.xml": xml for name, xml in (("m", match), ("o", order), ("g", gaps), ("e", essay))})
    bank = parse_upload("package.zip", data)
    assert bank.problems == []
    e, g, m, o = bank.questions  # no manifest: files in name order
    assert [(p.id, p.prompt_html, p.answer_html) for p in m.pairs] == [("W", "Water", "H<sub>2</sub>O"),
                                                                       ("S", "Salt", "NaCl")]  # fmt: skip
    assert [(d.id, d.html) for d in m.distractors] == [("CO2", "CO2")]
    assert (o.type, o.stem_html, [i.html for i in o.items]) == ("ordering", "Smallest first", ["Ant", "Cat", "Horse"])
    assert g.type == "fill_blanks"
    assert g.stem_html == "<p>The [[blank:G1]] are red and the [[blank:G2]] blue.</p>"
    assert [[(c.html, c.correct) for c in b.choices] for b in g.blanks] == [
        [("roses", True), ("violets", False)],
        [("roses", False), ("violets", True)],
    ]
    assert (e.type, e.stem_html, e.essay_guidance_html) == ("essay", "<p>Why?</p>", "<p>Two reasons.</p>")


def test_hotspots_composites_and_items_with_no_correct_response_are_reported():
    hotspot = item(
        "hot",
        declare("RESPONSE", "single", "identifier", ["A"]),
        '<hotspotInteraction responseIdentifier="RESPONSE" maxChoices="1"><object type="image/png" data="map.png"/>'
        '<hotspotChoice identifier="A" shape="circle" coords="10,10,5"/></hotspotInteraction>',
    )
    composite = (
        CHOICE.replace("choice1", "two")
        .replace("</choiceInteraction>", "</choiceInteraction>" * 1)
        .replace("<p>Look at the picture.</p>", '<extendedTextInteraction responseIdentifier="RESPONSE"/>')
    )
    no_key = CHOICE.replace("choice1", "nokey").replace("<correctResponse><value>B</value></correctResponse>", "")
    files = {f"{n}.xml": x for n, x in (("a", hotspot), ("b", composite), ("c", no_key), ("d", CHOICE))}
    bank = parse_upload("items.zip", make_zip(files))
    assert [q.source_id for q in bank.questions] == ["choice1"]
    assert [(p.source_id, p.code) for p in bank.problems] == [
        ("hot", "unsupported_type"),
        ("two", "several_interactions"),
        ("nokey", "no_correct_response"),
    ]
    assert "hotspot" in bank.problems[0].message


def test_a_test_orders_its_items_and_images_resolve_beside_each_item():
    image = png(5, 5)
    with_image = CHOICE.replace("<p>Look at the picture.</p>", '<p><img src="../media/planet.png" alt="planet"/></p>')
    second = CHOICE.replace("choice1", "second")
    test = (
        f'<assessmentTest {NS} identifier="t" title="Test"><testPart identifier="p" navigationMode="linear" '
        'submissionMode="individual"><assessmentSection identifier="s" title="S" visible="true">'
        '<assessmentItemRef identifier="r2" href="items/second.xml"/><assessmentItemRef identifier="r1" '
        'href="items/first.xml"/><assessmentItemRef identifier="r3" href="items/gone.xml"/>'
        "</assessmentSection></testPart></assessmentTest>"
    )
    data = make_zip({"test.xml": test, "items/first.xml": with_image, "items/second.xml": second,
                     "media/planet.png": image})  # fmt: skip
    bank = parse_upload("test.zip", data)
    assert [q.source_id for q in bank.questions] == ["second", "choice1"]
    assert [(p.source_id, p.code) for p in bank.problems] == [("items/gone.xml", "missing_item")]
    first = bank.questions[1]
    assert first.stem_html.startswith('<p><img src="asset:media/planet.png" alt="planet"></p>')
    assert [(a.name, a.data) for a in first.assets] == [("media/planet.png", image)]


def test_an_assessment_test_alone_says_it_needs_its_items():
    test = f'<assessmentTest {NS} identifier="t" title="T"><testPart identifier="p"/></assessmentTest>'
    bank = parse_upload("test.xml", test.encode())
    assert bank.questions == [] and [p.code for p in bank.problems] == ["no_items"]


def test_an_image_shown_as_an_object_becomes_an_img_with_its_file():
    image = png(3, 3)
    xml = CHOICE.replace(
        "<p>Look at the picture.</p>", '<p><object type="image/png" data="img/sun.png">The sun</object></p>'
    )
    (q,) = parse_upload("items.zip", make_zip({"q/item.xml": xml, "q/img/sun.png": image})).questions
    assert q.stem_html.startswith('<p><img src="asset:img/sun.png" alt="The sun"></p>')
    assert [(a.name, a.content_type) for a in q.assets] == [("img/sun.png", "image/png")]
