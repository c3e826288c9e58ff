"""QTI 1.2 as Canvas writes it (lib/cc/qti/qti_items.rb's shapes), in single files and in a course export zip."""

from __future__ import annotations

from decimal import Decimal

from app.questions.interchange import parse_upload
from tests.questions.interchange.files import (
    canvas_item,
    choice_lid,
    condition,
    itemfeedback,
    make_zip,
    mattext,
    png,
    questestinterop,
    resprocessing,
)


def _one(xml: str):
    bank = parse_upload("quiz.xml", xml.encode())
    assert bank.format == "qti12"
    return bank


def mc(stem: str = "<p>What is 2 + 2?</p>") -> str:
    return (
    canvas_item("i1", "multiple_choice_question", stem,
                choice_lid([("4810", "3"), ("7500", "4"), ("1441", "5")]), points="2.0", title="Sums")
    + resprocessing(
        condition('<varequal respident="response1">4810</varequal>', score="", continue_="Yes", feedback="4810_fb")
        + condition('<varequal respident="response1">7500</varequal>', feedback="correct_fb")
    )
    + itemfeedback("general_fb", "<p>Count on your fingers.</p>")
    + itemfeedback("correct_fb", "<p>Yes.</p>")
    + itemfeedback("4810_fb", "<p>One short.</p>")
    + "</item>"
    )  # fmt: skip


MC = mc()


def test_a_canvas_multiple_choice_keeps_its_answer_ids_key_feedback_and_points():
    bank = _one(questestinterop([MC]))
    assert bank.problems == []
    (q,) = bank.questions
    assert (q.type, q.title, q.points, q.source_id) == ("multiple_choice", "Sums", Decimal("2.0"), "i1")
    assert q.stem_html == "<div><p>What is 2 + 2?</p></div>"
    assert [(c.id, c.html, c.correct) for c in q.choices] == [
        ("4810", "3", False),
        ("7500", "4", True),
        ("1441", "5", False),
    ]
    assert q.choices[0].feedback_html == "<p>One short.</p>"
    assert q.general_feedback_html == "<p>Count on your fingers.</p>"
    assert bank.categories == ["Unit 3 quiz"]


def test_true_false_multiple_answers_and_short_answer():
    tf = (
        canvas_item("tf", "true_false_question", "The sky is green.", choice_lid([("11", "True"), ("12", "False")]))
        + resprocessing(condition('<varequal respident="response1">12</varequal>'))
        + "</item>"
    )
    ma = (
        canvas_item("ma", "multiple_answers_question", "Primes?",
                    choice_lid([("1", "2"), ("2", "4"), ("3", "5")], cardinality="Multiple"))
        + resprocessing(condition(
            '<and><varequal respident="response1">1</varequal><not><varequal respident="response1">2</varequal></not>'
            '<varequal respident="response1">3</varequal></and>'))
        + "</item>"
    )  # fmt: skip
    sa = (
        canvas_item("sa", "short_answer_question", "Capital of France?",
                    '<response_str ident="response1" rcardinality="Single"><render_fib>'
                    '<response_label ident="answer1" rshuffle="No"/></render_fib></response_str>')
        + resprocessing(condition('<varequal respident="response1">Paris</varequal>'
                                  '<varequal respident="response1">paris, france</varequal>'))
        + "</item>"
    )  # fmt: skip
    bank = _one(questestinterop([tf, ma, sa], kind="objectbank"))
    assert bank.problems == []
    tf_q, ma_q, sa_q = bank.questions
    assert [(c.id, c.html, c.correct) for c in tf_q.choices] == [("true", "True", False), ("false", "False", True)]
    assert ma_q.type == "multiple_select" and ma_q.partial_credit
    assert [c.correct for c in ma_q.choices] == [True, False, True]
    assert [(a.text, a.case_sensitive, a.weight) for a in sa_q.text_answers] == [
        ("Paris", False, 1),
        ("paris, france", False, 1),
    ]


NUMERIC = (
    canvas_item("num", "numerical_question", "g to 1 decimal?",
                '<response_str ident="response1" rcardinality="Single"><render_fib fibtype="Decimal">'
                '<response_label ident="answer1"/></render_fib></response_str>')
    + resprocessing(
        condition('<or><varequal respident="response1">9.8</varequal><and><vargte respident="response1">9.7</vargte>'
                  '<varlte respident="response1">9.9</varlte></and></or>')
        + condition('<vargte respident="response1">9</vargte><varlte respident="response1">10</varlte>', score="50")
        + condition('<or><varequal respident="response1">10.0</varequal></or>')
    )
    + "</item>"
)  # fmt: skip


def test_numeric_exact_with_margin_ranges_and_partial_weights():
    (q,) = _one(questestinterop([NUMERIC])).questions
    assert [(a.kind, a.value, a.tolerance, a.low, a.high, a.weight) for a in q.numeric_answers] == [
        ("exact", Decimal("9.8"), Decimal("0.1"), None, None, 1),
        ("range", None, 0, Decimal(9), Decimal(10), Decimal("0.5")),
        ("exact", Decimal("10.0"), 0, None, None, 1),
    ]


def test_a_numeric_answer_that_is_not_a_number_skips_that_question_and_names_it():
    bad = NUMERIC.replace('"num"', '"bad1"').replace("9.8</varequal>", "nine point eight</varequal>")
    bank = _one(questestinterop([bad, MC]))
    assert [q.source_id for q in bank.questions] == ["i1"]
    (problem,) = bank.problems
    assert (problem.source_id, problem.code, problem.fatal) == ("bad1", "not_a_number", True)
    assert "nine point eight" in problem.message


def test_matching_pairs_and_distractors():
    lids = "".join(
        f'<response_lid ident="response_{ident}">{mattext(left, "text/plain")}<render_choice>'
        + "".join(
            f'<response_label ident="{m}"><material><mattext>{text}</mattext></material></response_label>'
            for m, text in (("m1", "H2O"), ("m2", "NaCl"), ("m3", "CO2"))
        )
        + "</render_choice></response_lid>"
        for ident, left in (("51", "Water"), ("52", "Salt"))
    )
    item = (
        canvas_item("match", "matching_question", "Match them", lids)
        + resprocessing(
            condition('<varequal respident="response_51">m1</varequal>', score="50.00", continue_="Yes").replace(
                'action="Set"', 'action="Add"'
            )
            + condition('<varequal respident="response_52">m2</varequal>', score="50.00", continue_="Yes")
        )
        + "</item>"
    )
    (q,) = _one(questestinterop([item])).questions
    assert [(p.id, p.prompt_html, p.answer_html) for p in q.pairs] == [("51", "Water", "H2O"), ("52", "Salt", "NaCl")]
    assert [(d.id, d.html) for d in q.distractors] == [("m3", "CO2")]


def test_fill_in_multiple_blanks_and_multiple_dropdowns_become_blanks_in_the_stem():
    def lid(name, answers):
        labels = "".join(f'<response_label ident="{i}">{mattext(t, "text/plain")}</response_label>' for i, t in answers)
        head = f'<response_lid ident="response_{name}"><material><mattext>{name}</mattext></material>'
        return f"{head}<render_choice>{labels}</render_choice></response_lid>"

    fimb = (
        canvas_item("fimb", "fill_in_multiple_blanks_question", "<p>Roses are [color1], violets are [color2].</p>",
                    lid("color1", [("7", "red"), ("8", "Red")]) + lid("color2", [("9", "blue")]))
        + resprocessing(condition('<varequal respident="response_color1">7</varequal>', "50.00", "Yes")
                        + condition('<varequal respident="response_color2">9</varequal>', "50.00", "Yes"))
        + "</item>"
    )  # fmt: skip
    drop = (
        canvas_item("drop", "multiple_dropdowns_question", "<p>Water boils at [temp] C.</p>",
                    lid("temp", [("20", "90"), ("21", "100")]))
        + resprocessing(condition('<varequal respident="response_temp">21</varequal>', "100.00", "Yes"))
        + "</item>"
    )  # fmt: skip
    bank = _one(questestinterop([fimb, drop]))
    assert bank.problems == []
    f, d = bank.questions
    assert f.stem_html == "<div><p>Roses are [[blank:color1]], violets are [[blank:color2]].</p></div>"
    assert [[a.text for a in b.answers] for b in f.blanks] == [["red", "Red"], ["blue"]]
    assert d.stem_html == "<div><p>Water boils at [[blank:temp]] C.</p></div>"
    assert [(c.id, c.html, c.correct) for c in d.blanks[0].choices] == [("20", "90", False), ("21", "100", True)]


def test_essay_and_unrepresentable_types_are_reported_by_name():
    essay = (
        canvas_item("es", "essay_question", "Explain photosynthesis.",
                    '<response_str ident="response1" rcardinality="Single"><render_fib><response_label ident="answer1" '
                    'rshuffle="No"/></render_fib></response_str>')
        + resprocessing("<respcondition continue=\"No\"><conditionvar><other/></conditionvar></respcondition>")
        + "</item>"
    )  # fmt: skip
    upload = canvas_item("up", "file_upload_question", "Upload your lab report.", "") + resprocessing("") + "</item>"
    bank = _one(questestinterop([essay, upload]))
    assert [(q.type, q.stem_html) for q in bank.questions] == [("essay", "<div>Explain photosynthesis.</div>")]
    (problem,) = bank.problems
    assert (problem.source_id, problem.code, problem.fatal) == ("up", "unsupported_type", True)
    assert "file upload" in problem.message


def test_a_choice_question_with_no_correct_response_is_skipped_with_a_message():
    item = canvas_item("nc", "multiple_choice_question", "Pick", choice_lid([("1", "a"), ("2", "b")]))
    bank = _one(questestinterop([item + resprocessing("") + "</item>"]))
    assert bank.questions == []
    assert [(p.source_id, p.code) for p in bank.problems] == [("nc", "no_correct_response")]


def test_a_canvas_export_zip_brings_its_images_and_equations_once():
    stem = (
        '<p>Look: <img src="$IMS-CC-FILEBASE$/Uploaded%20Media/cell.png" alt="A cell"></p>'
        '<p><img class="equation_image" title="x^2" src="https://school.instructure.com/equation_images/x%255E2" '
        'alt="LaTeX: x^2" data-equation-content="x^2 &lt; y"></p>'
        '<p><img src="/equation_images/%255Cfrac%257B1%257D%257B2%257D"></p>'
        "<script>alert('x')</script>"
    )
    item = mc(stem)
    quiz = questestinterop([item])
    image = png(3, 2)
    data = make_zip({
        "imsmanifest.xml": "<manifest/>",
        "gquiz1/gquiz1.xml": quiz,
        "gquiz1/assessment_meta.xml": "<quiz/>",
        "non_cc_assessments/gquiz1.xml.qti": quiz,
        "web_resources/Uploaded Media/cell.png": image,
    })  # fmt: skip
    bank = parse_upload("course_export.imscc", data)
    assert bank.problems == []
    (q,) = bank.questions
    assert '<img src="asset:Uploaded Media/cell.png" alt="A cell">' in q.stem_html
    assert "\\(x^2 &lt; y\\)" in q.stem_html
    assert "\\(\\frac{1}{2}\\)" in q.stem_html
    assert "script" not in q.stem_html and "alert" not in q.stem_html
    assert [(a.name, a.content_type, a.data) for a in q.assets] == [("Uploaded Media/cell.png", "image/png", image)]


def test_a_missing_image_is_a_warning_not_a_failure():
    item = mc('<p><img src="$IMS-CC-FILEBASE$/gone.png"></p>')
    bank = parse_upload("export.zip", make_zip({"q/q.xml": questestinterop([item])}))
    assert len(bank.questions) == 1
    assert [(p.code, p.fatal) for p in bank.problems] == [("missing_image", False)]


def test_plain_qti12_without_canvas_metadata_is_typed_by_its_responses():
    item = (
        '<item ident="r1" title="Respondus">'
        "<presentation><flow>" + mattext("Pick one", "text/plain")
        + choice_lid([("A", "yes"), ("B", "no"), ("C", "maybe")]) + "</flow>"
        + resprocessing(condition('<varequal respident="response1">C</varequal>', score="1"))
        + "</item>"
    )  # fmt: skip
    (q,) = _one(questestinterop([item])).questions
    assert (q.type, q.stem_html, [c.correct for c in q.choices]) == (
        "multiple_choice",
        "Pick one",
        [False, False, True],
    )


def test_a_canvas_formula_question_becomes_the_fixed_question_of_its_first_variable_set():
    extension = (
        "<itemproc_extension><calculated><answer_tolerance>1%</answer_tolerance>"
        '<formulas decimal_places="0"><formula>x*y</formula></formulas>'
        '<vars><var name="x" scale="0"><min>1</min><max>9</max></var><var name="y" scale="0"><min>1</min>'
        "<max>9</max></var></vars><var_sets>"
        '<var_set ident="1"><var name="x">3</var><var name="y">7</var><answer>21</answer></var_set>'
        '<var_set ident="2"><var name="x">2</var><var name="y">2</var><answer>4</answer></var_set>'
        "</var_sets></calculated></itemproc_extension>"
    )
    item = (
        canvas_item("calc", "calculated_question", "<p>What is [x] times [y]?</p>",
                    '<response_str ident="response1" rcardinality="Single"><render_fib fibtype="Decimal">'
                    '<response_label ident="answer1"/></render_fib></response_str>')
        + resprocessing(condition("<other/>"))
        + extension
        + "</item>"
    )  # fmt: skip
    bank = _one(questestinterop([item]))
    (q,) = bank.questions
    assert (q.type, q.stem_html) == ("numeric", "<div><p>What is 3 times 7?</p></div>")
    assert [(a.kind, a.value, a.tolerance) for a in q.numeric_answers] == [("exact", Decimal(21), Decimal("0.21"))]
    assert [(p.code, p.fatal) for p in bank.problems] == [("calculated_fixed", False)]


def test_a_course_export_is_read_past_files_that_are_not_questions():
    data = make_zip({
        "non_cc_assessments/gquiz1.xml.qti": questestinterop([MC]),
        "web_resources/teacher notes.xml": "<notes><unclosed>",
        "web_resources/drawing.xml": '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
        "course_settings/course_settings.xml": "<course><title>Biology</title></course>",
        "wiki_content/page.html": "<html><body>Welcome</body></html>",
    })  # fmt: skip
    bank = parse_upload("course.imscc", data)
    assert ([q.source_id for q in bank.questions], bank.problems) == (["i1"], [])


def test_a_matimage_beside_the_qti_file_becomes_an_asset_and_every_stem_material_is_kept():
    image = png(2, 2)
    matimage = '<material><matimage imagtype="image/png" uri="images/a b.png" label="A &quot;cell&quot;"/></material>'
    item = mc().replace("<presentation>", f"<presentation>{matimage}", 1)
    files = {"quiz/quiz.xml": questestinterop([item]), "quiz/images/a b.png": image}
    (q,) = parse_upload("respondus.zip", make_zip(files)).questions
    assert q.stem_html == '<img src="asset:images/a b.png" alt="A &quot;cell&quot;"><div><p>What is 2 + 2?</p></div>'
    assert [(a.name, a.data) for a in q.assets] == [("images/a b.png", image)]
