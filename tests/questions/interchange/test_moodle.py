"""Moodle XML as Moodle's question/format/xml writes it: every type mapped, categories, images, encodings."""

from __future__ import annotations

import base64
from decimal import Decimal

from app.questions.interchange import parse_upload
from tests.questions.interchange.files import make_zip, png

IMAGE = png(4, 4)


def quiz(*questions: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return f"{declaration}\n<quiz>{''.join(questions)}</quiz>"


def category(path: str) -> str:
    return f'<question type="category"><category><text>{path}</text></category></question>'


def question(kind: str, name: str, text: str, body: str, grade: str = "1.0000000", fmt: str = "html") -> str:
    return (
        f'<question type="{kind}"><name><text>{name}</text></name>'
        f'<questiontext format="{fmt}"><text><![CDATA[{text}]]></text></questiontext>'
        f'<generalfeedback format="html"><text></text></generalfeedback><defaultgrade>{grade}</defaultgrade>'
        f"{body}</question>"
    )


def answer(fraction: str, text: str, feedback: str = "", extra: str = "") -> str:
    fb = f'<feedback format="html"><text>{feedback}</text></feedback>' if feedback else ""
    return f'<answer fraction="{fraction}" format="html"><text><![CDATA[{text}]]></text>{fb}{extra}</answer>'


def _parse(xml: str | bytes, name: str = "questions.xml"):
    bank = parse_upload(name, xml if isinstance(xml, bytes) else xml.encode())
    assert bank.format == "moodle_xml"
    return bank


def test_multichoice_single_and_multiple_with_fractions_images_and_category_tags():
    encoded = base64.b64encode(IMAGE).decode()
    single = question(
        "multichoice", "Cell parts",
        '<p>Which part? <img src="@@PLUGINFILE@@/cell%20a.png" alt="cell"></p>',
        f'<file name="cell a.png" path="/" encoding="base64">{encoded}</file>'
        "<single>true</single><shuffleanswers>1</shuffleanswers>"
        + answer("100", "Nucleus", "Right.") + answer("50", "Nucleolus", "Close.") + answer("0", "Wall")
        + "<tags><tag><text>biology</text></tag></tags>",
        grade="2.5000000",
    )  # fmt: skip
    multiple = question(
        "multichoice", "Primes", "<p>Pick the primes</p>",
        "<single>false</single>" + answer("50", "2") + answer("50", "3") + answer("-100", "4"),
    )  # fmt: skip
    bank = _parse(quiz(category("$course$/top/Unit 1/Cells"), single, multiple))
    one, many = bank.questions
    assert bank.categories == ["$course$/top/Unit 1/Cells"]
    assert (one.type, one.title, one.points, one.shuffle) == ("multiple_choice", "Cell parts", Decimal("2.5"), True)
    assert one.stem_html == '<p>Which part? <img src="asset:cell a.png" alt="cell"></p>'
    assert [(a.name, a.content_type, a.data) for a in one.assets] == [("cell a.png", "image/png", IMAGE)]
    assert [(c.html, c.correct, c.weight, c.feedback_html) for c in one.choices] == [
        ("Nucleus", True, None, "Right."),
        ("Nucleolus", False, Decimal("0.5"), "Close."),
        ("Wall", False, None, ""),
    ]
    assert one.tags == ["biology", "Cells"] and one.partial_credit
    assert many.type == "multiple_select" and many.partial_credit
    assert [(c.correct, c.weight) for c in many.choices] == [
        (True, Decimal("0.5")),
        (True, Decimal("0.5")),
        (False, None),
    ]
    assert [(p.source_id, p.code, p.fatal) for p in bank.problems] == [("Primes", "negative_marks", False)]
    assert len({c.id for c in one.choices}) == 3 and all(c.id.startswith("o-") for c in one.choices)


def test_ids_are_stable_across_imports_of_the_same_file():
    xml = quiz(question("multichoice", "Q", "x", answer("100", "a") + answer("0", "b")))
    assert [c.id for c in _parse(xml).questions[0].choices] == [c.id for c in _parse(xml).questions[0].choices]


def test_truefalse_shortanswer_numerical_matching_essay_and_ordering():
    bank = _parse(
        quiz(
            question("truefalse", "TF", "Water is wet.", answer("100", "true", "Yes") + answer("0", "false", "No")),
            question(
                "shortanswer",
                "SA",
                "Capital of Peru?",
                "<usecase>1</usecase>" + answer("100", "Lima") + answer("50", "lima") + answer("0", "Cusco"),
            ),
            question(
                "numerical",
                "NUM",
                "Pi to 2 places?",
                answer("100", "3.14", extra="<tolerance>0.005</tolerance>") + answer("0", "*"),
            ),
            question(
                "matching",
                "MATCH",
                "Match the capitals.",
                '<subquestion format="html"><text>France</text><answer><text>Paris</text></answer></subquestion>'
                '<subquestion format="html"><text>Peru</text><answer><text>Lima</text></answer></subquestion>'
                '<subquestion format="html"><text></text><answer><text>Oslo</text></answer></subquestion>',
            ),
            question(
                "essay",
                "ESSAY",
                "Discuss.",
                '<responseformat>editor</responseformat><graderinfo format="html"><text>Look for two causes.'
                "</text></graderinfo>",
            ),
            question("ordering", "ORDER", "Order the planets.", answer("1", "Mercury") + answer("2", "Venus")),
        )
    )
    assert bank.problems == []
    tf, sa, num, match, essay, order = bank.questions
    assert [(c.id, c.correct, c.feedback_html) for c in tf.choices] == [("true", True, "Yes"), ("false", False, "No")]
    assert [(a.text, a.case_sensitive, a.weight) for a in sa.text_answers] == [
        ("Lima", True, 1),
        ("lima", True, Decimal("0.5")),
    ]
    assert [(a.kind, a.value, a.tolerance) for a in num.numeric_answers] == [
        ("exact", Decimal("3.14"), Decimal("0.005"))
    ]
    assert [(p.prompt_html, p.answer_html) for p in match.pairs] == [("France", "Paris"), ("Peru", "Lima")]
    assert [d.html for d in match.distractors] == ["Oslo"]
    assert (essay.type, essay.essay_guidance_html) == ("essay", "Look for two causes.")
    assert [i.html for i in order.items] == ["Mercury", "Venus"]


def test_calculated_questions_become_the_fixed_question_of_their_first_data_set():
    dataset = (
        "<dataset_definitions>"
        + "".join(
            f"<dataset_definition><status><text>private</text></status><name><text>{n}</text></name>"
            f"<type>calculated</type><dataset_items><dataset_item><number>1</number><value>{v}</value></dataset_item>"
            f"<dataset_item><number>2</number><value>99</value></dataset_item></dataset_items></dataset_definition>"
            for n, v in (("a", "3"), ("b", "4"))
        )
        + "</dataset_definitions>"
    )
    calc = question(
        "calculated", "Hyp", "<p>Legs {a} and {b}: hypotenuse?</p>",
        answer("100", "sqrt({a}^2 + {b}^2)", extra="<tolerance>0.1</tolerance><tolerancetype>1</tolerancetype>")
        + dataset,
    )  # fmt: skip
    evil = question("calculated", "Evil", "x", answer("100", "__import__('os').system('true')") + dataset)
    bank = _parse(quiz(calc, evil))
    (q,) = bank.questions
    assert (q.type, q.stem_html) == ("numeric", "<p>Legs 3 and 4: hypotenuse?</p>")
    assert [(a.value, a.tolerance) for a in q.numeric_answers] == [(Decimal(5), Decimal("0.5"))]
    assert [(p.source_id, p.code, p.fatal) for p in bank.problems] == [
        ("Hyp", "calculated_fixed", False),
        ("Evil", "bad_formula", True),
    ]


def test_gapselect_becomes_drop_down_blanks():
    body = "".join(
        f"<selectoption><text>{t}</text><group>{g}</group></selectoption>"
        for t, g in (("cat", "1"), ("mat", "2"), ("dog", "1"))
    )
    (q,) = _parse(quiz(question("gapselect", "Gaps", "<p>The [[1]] sat on the [[2]].</p>", body))).questions
    first, second = q.blanks
    assert q.stem_html == f"<p>The [[blank:{first.id}]] sat on the [[blank:{second.id}]].</p>"
    assert [(c.html, c.correct) for c in first.choices] == [("cat", True), ("dog", False)]
    assert [(c.html, c.correct) for c in second.choices] == [("mat", True)]


def test_unrepresentable_and_broken_questions_are_named_and_skipped():
    bank = _parse(
        quiz(
            question("ddmarker", "Map", "Mark the capital.", ""),
            question("multichoice", "Nothing right", "x", answer("0", "a") + answer("0", "b")),
            question("numerical", "Not a number", "x", answer("100", "three")),
            question("essay", "Fine", "ok", ""),
        )
    )
    assert [q.title for q in bank.questions] == ["Fine"]
    assert [(p.source_id, p.code) for p in bank.problems] == [
        ("Map", "unsupported_type"),
        ("Nothing right", "no_correct_response"),
        ("Not a number", "not_a_number"),
    ]


def test_a_windows_1252_file_without_a_declaration_is_read_and_says_so():
    xml = quiz(question("essay", "Caf\u00e9 \u201cquotes\u201d", "Na\u00efve?", "", fmt="plain_text"), declaration="")
    bank = _parse(xml.encode("cp1252"))
    (q,) = bank.questions
    assert (q.title, q.stem_html) == ("Caf\u00e9 \u201cquotes\u201d", "Na\u00efve?")
    assert [p.code for p in bank.problems] == ["encoding_guessed"]


def test_a_latin1_declared_file_and_a_moodle_file_in_a_zip():
    xml = quiz(
        question("essay", "Ni\u00f1o", "\u00bfQu\u00e9?", ""), declaration='<?xml version="1.0" encoding="ISO-8859-1"?>'
    )
    bank = parse_upload("backup.zip", make_zip({"moodle/questions.xml": xml.encode("latin-1")}))
    assert [(q.title, q.stem_html) for q in bank.questions] == [("Ni\u00f1o", "\u00bfQu\u00e9?")]
    assert bank.problems == []


def test_script_in_moodle_html_is_dropped_with_its_text():
    bank = _parse(quiz(question("essay", "X", "<p>Hi<script>steal()</script></p><SCRIPT src=x>", "")))
    assert bank.questions[0].stem_html == "<p>Hi</p>"


def test_embedded_answers_cloze_gaps_become_typed_and_drop_down_blanks():
    text = (
        "<p>Paris is in {1:MULTICHOICE:=France#Yes~Spain~%50%Europe} and its river is "
        "{2:SHORTANSWER_C:=Seine~%50%seine}; 2 + 2 = {1:NUMERICAL:=4:0}.</p>"
    )
    cloze = question("multianswer", "Cloze", text, "")
    ticks = question("multianswer", "Ticks", "<p>{1:MULTIRESPONSE:=a~b}</p>", "")
    bank = _parse(quiz(cloze, ticks))
    (q,) = bank.questions
    place, river, number = q.blanks
    assert q.type == "fill_blanks"
    assert q.stem_html == (
        f"<p>Paris is in [[blank:{place.id}]] and its river is [[blank:{river.id}]]; 2 + 2 = [[blank:{number.id}]].</p>"
    )
    assert [(c.html, c.correct) for c in place.choices] == [("France", True), ("Spain", False), ("Europe", False)]
    assert [(a.text, a.case_sensitive, a.weight) for a in river.answers] == [
        ("Seine", True, 1),
        ("seine", True, Decimal("0.5")),
    ]
    assert [a.text for a in number.answers] == ["4"]
    assert [(p.source_id, p.code, p.fatal) for p in bank.problems] == [
        ("Cloze", "cloze_numeric", False),
        ("Ticks", "unsupported_type", True),
    ]
