"""Moodle XML (`<quiz>` of `<question type=...>`): the core types, categories as tags, images from base64
`<file>` elements, and calculated questions as the one fixed question their first data set makes."""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal
from html import unescape
from xml.etree.ElementTree import Element

from app.questions.data import Blank, Choice, NumericAnswer, Pair, ParsedBank, QuestionData, TextAnswer
from app.questions.interchange.assets import Images
from app.questions.interchange.formulas import FormulaError, evaluate, substitute
from app.questions.interchange.markup import html_to_text, text_to_html
from app.questions.interchange.values import Ids, decimal_of, fraction_of, problem

NOT_REPRESENTABLE = {
    "random": "a random pick from a category, not a question",
    "randomsamatch": "a random short-answer matching question",
    "ddmarker": "a drag-and-drop marker question (students place marks on an image)",
    "ddimageortext": "a drag-and-drop onto image question",
    "description": "a description (text with no question)",
}
KNOWN = {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay", "calculated", "calculatedsimple",
         "calculatedmulti", "ordering", "gapselect", "ddwtos", "multianswer"}  # fmt: skip


class Bad(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def parse(root: Element, guessed_encoding: bool) -> ParsedBank:
    """Every question of a Moodle XML quiz file, each category question setting the tag of those after it."""
    bank = ParsedBank(format="moodle_xml")
    if guessed_encoding:
        bank.problems.append(
            problem("file", "encoding_guessed", "The file is not UTF-8; it was read as Windows-1252.", fatal=False)
        )
    category = ""
    for n, element in enumerate(root.findall("question"), start=1):
        kind = element.get("type", "")
        if kind == "category":
            path = (element.findtext("category/text") or "").strip()
            category = _category_tag(path)
            if path and path not in bank.categories:
                bank.categories.append(path)
            continue
        name = (element.findtext("name/text") or "").strip()
        source_id = (element.findtext("idnumber") or "").strip() or name or f"question {n}"
        images = Images(_files(element), "", source_id, bank.problems)
        try:
            question = _question(element, kind, source_id, name, images, bank.problems)
        except Bad as bad:
            bank.problems.append(problem(source_id, bad.code, bad.message))
            continue
        tags = [(tag.text or "").strip() for tag in element.findall("tags/tag/text")]
        question.tags = list(dict.fromkeys(t for t in [*tags, category] if t))
        question.assets = images.asset_list()
        bank.questions.append(question)
    return bank


def _category_tag(path: str) -> str:
    parts = [part for part in path.split("/") if part and not part.startswith("$") and part != "top"]
    return parts[-1].strip() if parts else ""


def _files(element: Element) -> dict[str, bytes]:
    files = {}
    for file in element.iter("file"):
        name = (file.get("path") or "/").strip("/") + "/" + (file.get("name") or "")
        try:
            files[name.lstrip("/")] = base64.b64decode((file.text or "").strip(), validate=False)
        except (binascii.Error, ValueError):
            continue
    return files


def _html(holder: Element | None, images: Images) -> str:
    if holder is None:
        return ""
    text = holder.findtext("text") or ""
    kind = holder.get("format", "html")
    if kind in ("plain_text", "markdown") or (kind == "moodle_auto_format" and "<" not in text):
        text = text_to_html(text)
    return images.html(text.strip())


def _flag(element: Element, tag: str, default: bool = False) -> bool:
    value = (element.findtext(tag) or "").strip().lower()
    return default if not value else value in ("1", "true", "yes")


def _question(element, kind, source_id, name, images, problems) -> QuestionData:
    if kind in NOT_REPRESENTABLE:
        raise Bad("unsupported_type", f"This is {NOT_REPRESENTABLE[kind]}, which the bank cannot hold.")
    if kind not in KNOWN:
        raise Bad("unsupported_type", f"The Moodle question type {kind!r} is not known.")
    points = decimal_of(element.findtext("defaultgrade")) if element.findtext("defaultgrade") else Decimal(1)
    if points is None or points < 0:
        problems.append(problem(source_id, "bad_points", "The default mark is not a number; 1 point is used.", False))
        points = Decimal(1)
    question = QuestionData(
        type="essay", stem_html=_html(element.find("questiontext"), images), title=name, points=points,
        general_feedback_html=_html(element.find("generalfeedback"), images), source_id=source_id,
        shuffle=_flag(element, "shuffleanswers"),
    )  # fmt: skip
    ids = Ids(source_id)
    answers = element.findall("answer")
    if kind == "multichoice":
        _multichoice(question, element, answers, images, ids, problems)
    elif kind == "truefalse":
        question.type = "true_false"
        by_word = {html_to_text(_html(a, images)).lower(): a for a in answers}
        if set(by_word) != {"true", "false"}:
            raise Bad("bad_true_false", "The true/false question does not have the answers true and false.")
        question.choices = [
            Choice(id=word, html=word.capitalize(), correct=fraction_of(by_word[word].get("fraction")) > 0,
                   feedback_html=_html(by_word[word].find("feedback"), images))
            for word in ("true", "false")
        ]  # fmt: skip
    elif kind == "shortanswer":
        question.type = "short_answer"
        case = _flag(element, "usecase")
        question.text_answers = [
            TextAnswer(id=ids.take(None, "a", n), text=html_to_text(a.findtext("text") or ""), case_sensitive=case,
                       weight=min(fraction_of(a.get("fraction")), Decimal(1)))
            for n, a in enumerate(answers) if fraction_of(a.get("fraction")) > 0
        ]  # fmt: skip
        if not question.text_answers:
            raise Bad("no_correct_response", "The short answer question has no answer worth any marks.")
    elif kind == "numerical":
        question.type = "numeric"
        question.numeric_answers = _numeric(answers, ids, {})
    elif kind in ("calculated", "calculatedsimple", "calculatedmulti"):
        _calculated(question, element, answers, images, ids, problems)
    elif kind == "matching":
        _matching(question, element, images, ids)
    elif kind == "ordering":
        question.type = "ordering"
        question.items = [Choice(id=ids.take(None, "o", n), html=_html(a, images)) for n, a in enumerate(answers)]
        if len(question.items) < 2:
            raise Bad("no_items_to_order", "The ordering question has fewer than two items.")
    elif kind in ("gapselect", "ddwtos"):
        _gaps(question, element, images, ids)
    elif kind == "multianswer":
        _cloze(question, ids, problems)
    elif kind == "essay":
        question.essay_guidance_html = _html(element.find("graderinfo"), images)
    return question


def _multichoice(question, element, answers, images, ids, problems) -> None:
    single = _flag(element, "single", default=True)
    fractions = [fraction_of(a.get("fraction")) for a in answers]
    if not any(f > 0 for f in fractions):
        raise Bad("no_correct_response", "No answer is worth any marks.")
    best = max(fractions)
    question.type = "multiple_choice" if single else "multiple_select"
    question.choices = []
    for n, (answer, fraction) in enumerate(zip(answers, fractions, strict=True)):
        partial = (not single and fraction > 0) or (single and 0 < fraction < best)
        question.choices.append(
            Choice(
                id=ids.take(None, "o", n), html=_html(answer, images),
                correct=fraction >= best if single else fraction > 0,
                feedback_html=_html(answer.find("feedback"), images),
                weight=min(fraction, Decimal(1)) if partial else None,
            )
        )  # fmt: skip
    question.partial_credit = any(choice.weight is not None for choice in question.choices)
    if any(f < 0 for f in fractions):
        problems.append(
            problem(question.source_id, "negative_marks", "Penalties for wrong answers are not imported.", False)
        )


def _numeric(answers, ids, values: dict[str, Decimal]) -> list[NumericAnswer]:
    out = []
    for n, answer in enumerate(answers):
        weight = fraction_of(answer.get("fraction"))
        text = (answer.findtext("text") or "").strip()
        if weight <= 0 or text == "*":
            continue
        if values:
            try:
                value = evaluate(text, values)
            except FormulaError as error:
                raise Bad("bad_formula", f"The answer formula cannot be worked out: {error}.") from error
        else:
            value = decimal_of(text)
        tolerance = decimal_of(answer.findtext("tolerance")) if answer.findtext("tolerance") else Decimal(0)
        if value is None or tolerance is None:
            raise Bad("not_a_number", f"The numeric answer {text!r} is not a number.")
        if values:
            tolerance = _absolute_tolerance(answer, value, tolerance)
        out.append(NumericAnswer(id=ids.take(None, "n", n), kind="exact", value=value, tolerance=abs(tolerance),
                                 weight=min(weight, Decimal(1))))  # fmt: skip
    if not out:
        raise Bad("no_correct_response", "The numeric question has no answer worth any marks.")
    return out


def _absolute_tolerance(answer: Element, value: Decimal, tolerance: Decimal) -> Decimal:
    kind = (answer.findtext("tolerancetype") or "1").strip()
    return tolerance if kind == "2" else abs(value) * tolerance  # 1 relative, 3 geometric (close to relative)


def _dataset(element: Element) -> dict[str, Decimal]:
    values = {}
    for definition in element.iter("dataset_definition"):
        name = (definition.findtext("name/text") or "").strip()
        items = sorted(definition.iter("dataset_item"), key=lambda item: int(item.findtext("number") or 0))
        value = decimal_of(items[0].findtext("value")) if items else None
        if name and value is not None:
            values[name] = value
    return values


def _calculated(question, element, answers, images, ids, problems) -> None:
    values = _dataset(element)
    if not values:
        raise Bad("no_dataset", "The calculated question has no data set to take its values from.")
    question.stem_html = substitute(question.stem_html, values)
    if element.get("type") == "calculatedmulti":
        question.type = "multiple_choice" if _flag(element, "single", default=True) else "multiple_select"
        for n, answer in enumerate(answers):
            html = re.sub(
                r"\{=([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}", lambda m: _worked(m.group(1), values), _html(answer, images)
            )
            correct = fraction_of(answer.get("fraction")) > 0
            question.choices.append(Choice(id=ids.take(None, "o", n), html=substitute(html, values), correct=correct))
        if not any(choice.correct for choice in question.choices):
            raise Bad("no_correct_response", "No answer is worth any marks.")
    else:
        question.type = "numeric"
        question.numeric_answers = _numeric(answers, ids, values)
    shown = ", ".join(f"{name} = {value}" for name, value in values.items())
    message = f"Imported as one fixed question with {shown}: the bank has no generated values."
    problems.append(problem(question.source_id, "calculated_fixed", message, fatal=False))


def _worked(formula: str, values: dict[str, Decimal]) -> str:
    try:
        return str(evaluate(formula, values))
    except FormulaError as error:
        raise Bad("bad_formula", f"The formula cannot be worked out: {error}.") from error


def _matching(question, element, images, ids) -> None:
    question.type = "matching"
    for n, sub in enumerate(element.findall("subquestion")):
        prompt = _html(sub, images)
        answer = text_to_html(sub.findtext("answer/text") or "")
        if html_to_text(prompt) or "<img" in prompt:
            question.pairs.append(Pair(id=ids.take(None, "p", n), prompt_html=prompt, answer_html=answer))
        elif answer:
            question.distractors.append(Choice(id=ids.take(None, "o", n), html=answer))
    if not question.pairs:
        raise Bad("no_pairs", "The matching question has no pairs.")


def _gaps(question, element, images, ids) -> None:
    question.type = "fill_blanks"
    tag = "selectoption" if element.get("type") == "gapselect" else "dragbox"
    options = [
        (text_to_html(o.findtext("text") or ""), (o.findtext("group") or "1").strip()) for o in element.findall(tag)
    ]
    blanks: dict[str, Blank] = {}

    def blank(match: re.Match) -> str:
        number = int(match.group(1))
        if not 1 <= number <= len(options):
            raise Bad("bad_gap", f"The gap [[{number}]] has no answer.")
        group = options[number - 1][1]
        found = blanks.get(match.group(0))
        if found is None:
            found = blanks[match.group(0)] = Blank(id=ids.take(None, "b", number))
            found.choices = [
                Choice(id=ids.take(None, "o", number, n), html=html, correct=n == number - 1)
                for n, (html, option_group) in enumerate(options) if option_group == group
            ]  # fmt: skip
        return f"[[blank:{found.id}]]"

    question.stem_html = re.sub(r"\[\[(\d+)\]\]", blank, question.stem_html)
    question.blanks = list(blanks.values())
    if not question.blanks:
        raise Bad("no_blanks", "The question has no gaps.")


_CLOZE = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^{}\\])*)\}")


def _cloze_answers(body: str) -> list[tuple[Decimal, str]]:
    """(fraction, text) of each answer in a Cloze gap ("=right#fb~%50%half~wrong")."""
    out = []
    for part in re.split(r"(?<!\\)~", body):
        match = re.match(r"\s*(=|%(-?\d+(?:\.\d+)?)%)?(.*)", part, re.S)
        fraction = (
            Decimal(1) if match.group(1) == "=" else fraction_of(match.group(2)) if match.group(2) else Decimal(0)
        )
        text = re.split(r"(?<!\\)#", match.group(3))[0]
        out.append((fraction, re.sub(r"\\(.)", r"\1", text).strip()))
    return out


def _cloze(question: QuestionData, ids: Ids, problems) -> None:
    """Moodle's embedded answers: each {n:TYPE:answers} gap becomes a typed or a drop-down blank."""
    question.type = "fill_blanks"

    def gap(match: re.Match) -> str:
        kind, answers = match.group(2), _cloze_answers(match.group(3))
        blank = Blank(id=ids.take(None, "b", len(question.blanks)))
        if kind.startswith(("MULTIRESPONSE", "MR")):
            raise Bad("unsupported_type", "A gap with several right answers to tick (MULTIRESPONSE) cannot be held.")
        if kind.startswith(("MULTICHOICE", "MC")):
            best = max((f for f, _ in answers), default=Decimal(0))
            blank.choices = [Choice(id=ids.take(None, "o", len(question.blanks), n), html=text,
                                    correct=best > 0 and f >= best) for n, (f, text) in enumerate(answers)]  # fmt: skip
        elif kind.startswith(("SHORTANSWER", "SA", "MW", "NUMERICAL", "NM")):
            case = kind.endswith("_C") or kind in ("SAC", "MWC")
            if kind.startswith(("NUMERICAL", "NM")):
                answers = [(f, text.split(":", 1)[0]) for f, text in answers]
                problems.append(problem(question.source_id, "cloze_numeric",
                                        "A numeric gap is imported as a typed blank.", fatal=False))  # fmt: skip
            blank.answers = [
                TextAnswer(id=ids.take(None, "a", len(question.blanks), n), text=unescape(text), case_sensitive=case,
                           weight=min(f, Decimal(1)))
                for n, (f, text) in enumerate(answers) if f > 0
            ]  # fmt: skip
        else:
            raise Bad("unsupported_type", f"The Cloze gap type {kind!r} is not known.")
        if not blank.answers and not any(choice.correct for choice in blank.choices):
            raise Bad("no_correct_response", f"The gap {match.group(0)[:40]!r} has no right answer.")
        question.blanks.append(blank)
        return f"[[blank:{blank.id}]]"

    question.stem_html = _CLOZE.sub(gap, question.stem_html)
    if not question.blanks:
        raise Bad("no_blanks", "The embedded answers question has no gaps.")
