"""GIFT: every question form Moodle's documentation lists, escapes, titles, categories, feedback and weights."""

from __future__ import annotations

from decimal import Decimal

from app.questions.interchange import parse_upload

GIFT = r"""// A comment line
// [tag:geography]
::Capital:: What is the capital of France? {=Paris#Right! ~London#No, that is England. ~%50%Lyon ####Paris, of course.}

$CATEGORY: $course$/top/Unit 2/Numbers

::TF:: 2 + 2 is 5. {F#Wrong, it is 4.#Right.}

Who wrote Hamlet? {=Shakespeare =William Shakespeare =%50%Marlowe}

::Pi:: Pi to two places? {#3.14:0.005}

::Range:: A number from one to five? {#1..5}

::Several:: Square root of 9? {#=3:0 =%50%3:0.5#Close}

Match the animals. {=cat -> meow =dog -> woof = -> moo}

::Primes:: Which are prime? {~%50%2 ~%50%3 ~%-100%4}

::Essay:: Describe your summer. {}

Gandhi was born in {=India ~Pakistan ~Nepal} in 1869.

[html]<p>Escapes: 1 \= 1, a \~ b, \{braces\}, \#hash, colon\: and a\nbreak</p> {=yes}

::Plain::[plain]<b>not bold</b> {TRUE}
"""


def test_every_gift_form_maps_to_its_type():
    bank = parse_upload("questions.gift", GIFT.encode())
    assert bank.format == "gift"
    assert bank.problems == []
    assert bank.categories == ["$course$/top/Unit 2/Numbers"]
    types = [q.type for q in bank.questions]
    assert types == [
        "multiple_choice", "true_false", "short_answer", "numeric", "numeric", "numeric", "matching",
        "multiple_select", "essay", "fill_blanks", "short_answer", "true_false",
    ]  # fmt: skip
    mc, tf, sa, pi, rng, several, match, primes, essay, missing, escaped, plain = bank.questions
    assert (mc.title, mc.stem_html, mc.source_id, mc.tags) == (
        "Capital", "What is the capital of France?", "line 3", ["geography"]
    )  # fmt: skip
    assert [(c.html, c.correct, c.feedback_html, c.weight) for c in mc.choices] == [
        ("Paris", True, "Right!", None),
        ("London", False, "No, that is England.", None),
        ("Lyon", False, "", Decimal("0.5")),
    ]
    assert mc.general_feedback_html == "Paris, of course." and mc.partial_credit
    assert [(c.id, c.correct, c.feedback_html) for c in tf.choices] == [
        ("true", False, "Wrong, it is 4."),
        ("false", True, "Right."),
    ]
    assert tf.tags == ["Numbers"]
    assert [(a.text, a.weight) for a in sa.text_answers] == [
        ("Shakespeare", 1),
        ("William Shakespeare", 1),
        ("Marlowe", Decimal("0.5")),
    ]
    assert [(a.kind, a.value, a.tolerance) for a in pi.numeric_answers] == [
        ("exact", Decimal("3.14"), Decimal("0.005"))
    ]
    assert [(a.kind, a.low, a.high) for a in rng.numeric_answers] == [("range", Decimal(1), Decimal(5))]
    assert [(a.value, a.tolerance, a.weight) for a in several.numeric_answers] == [
        (Decimal(3), Decimal(0), Decimal(1)),
        (Decimal(3), Decimal("0.5"), Decimal("0.5")),
    ]
    assert [(p.prompt_html, p.answer_html) for p in match.pairs] == [("cat", "meow"), ("dog", "woof")]
    assert [d.html for d in match.distractors] == ["moo"]
    assert [(c.html, c.correct, c.weight) for c in primes.choices] == [
        ("2", True, Decimal("0.5")),
        ("3", True, Decimal("0.5")),
        ("4", False, None),
    ]
    assert essay.stem_html == "Describe your summer."
    (blank,) = missing.blanks
    assert missing.stem_html == f"Gandhi was born in [[blank:{blank.id}]] in 1869."
    assert [(c.html, c.correct) for c in blank.choices] == [("India", True), ("Pakistan", False), ("Nepal", False)]
    assert escaped.stem_html == "<p>Escapes: 1 = 1, a ~ b, {braces}, #hash, colon: and a\nbreak</p>"
    assert plain.stem_html == "&lt;b&gt;not bold&lt;/b&gt;"


def test_a_broken_question_is_named_by_its_line_and_the_rest_import():
    text = "Fine? {T}\n\nHow many? {#three}\n\n\nNo braces here\n\nOk {=yes}\n"
    bank = parse_upload("quiz.txt", text.encode())
    assert [q.stem_html for q in bank.questions] == ["Fine?", "Ok"]
    assert [(p.source_id, p.code, p.fatal) for p in bank.problems] == [
        ("line 3", "not_a_number", True),
        ("line 6", "no_answers", True),
    ]
    assert "three" in bank.problems[0].message


def test_a_windows_1252_gift_file_is_read_and_the_guess_is_reported():
    bank = parse_upload("quiz.gift", "\u00bfCaf\u00e9? {=s\u00ed}".encode("cp1252"))
    assert bank.questions[0].stem_html == "\u00bfCaf\u00e9?"
    assert [(p.code, p.fatal) for p in bank.problems] == [("encoding_guessed", False)]
