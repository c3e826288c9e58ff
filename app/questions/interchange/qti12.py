"""QTI 1.2 as Canvas exports it (`questestinterop` with `objectbank` or `assessment` items and their
`question_type` metadata), Common Cartridge's cc profiles, and plain QTI 1.2 items typed by their responses."""

from __future__ import annotations

import posixpath
import re
from decimal import Decimal
from xml.etree.ElementTree import Element

from app.questions.data import Blank, Choice, NumericAnswer, Pair, ParsedBank, QuestionData, TextAnswer
from app.questions.interchange.assets import Images
from app.questions.interchange.markup import build_img, html_to_text, text_to_html
from app.questions.interchange.values import Ids, decimal_of, problem

TYPES = {
    "multiple_choice_question": "multiple_choice",
    "true_false_question": "true_false",
    "multiple_answers_question": "multiple_select",
    "short_answer_question": "short_answer",
    "numerical_question": "numeric",
    "matching_question": "matching",
    "essay_question": "essay",
    "fill_in_multiple_blanks_question": "fill_blanks",
    "multiple_dropdowns_question": "fill_blanks",
    "cc.multiple_choice.v0p1": "multiple_choice",
    "cc.multiple_response.v0p1": "multiple_select",
    "cc.true_false.v0p1": "true_false",
    "cc.fib.v0p1": "short_answer",
    "cc.essay.v0p1": "essay",
    "calculated_question": "numeric",
}
NOT_REPRESENTABLE = {
    "file_upload_question": "a file upload question (students hand in a file)",
    "text_only_question": "text only, with no question to answer",
    "hot_spot_question": "a hot spot question (students click on an image)",
    "ordering_question": "a New Quizzes ordering question (not in QTI 1.2)",
    "categorization_question": "a categorization question",
    "formula_question": "a formula question",
}
_FEEDBACK_IDS = frozenset({"correct_fb", "general_fb", "general_incorrect_fb"})


class Bad(Exception):
    """A question that cannot be imported: (code, message)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def parse(documents: list[tuple[str, Element]], files: dict[str, bytes]) -> ParsedBank:
    """Every item of every questestinterop document; an item seen before (Canvas writes a quiz twice in a course
    export, and bank questions again in the quizzes that use them) is read once."""
    bank = ParsedBank(format="qti12")
    seen: set[str] = set()
    ordered = sorted(documents, key=lambda doc: (not doc[0].startswith("non_cc_assessments/"), doc[0]))
    for path, root in ordered:
        for holder in root.iter():
            title = holder.get("title") if holder.tag in ("objectbank", "assessment") else None
            if title and title not in bank.categories:
                bank.categories.append(title)
        for item in root.iter("item"):
            ident = item.get("ident") or f"{path} item {len(seen) + 1}"
            meta = _metadata(item)
            refs = {ident, meta.get("assessment_question_identifierref", "")} - {""}
            if refs & seen:
                continue
            seen |= refs
            images = Images(files, posixpath.dirname(path), ident, bank.problems)
            try:
                question = _item(item, ident, meta, images)
            except Bad as bad:
                bank.problems.append(problem(ident, bad.code, bad.message))
                continue
            question.assets = images.asset_list()
            bank.questions.append(question)
    return bank


def _metadata(item: Element) -> dict[str, str]:
    meta = {}
    for field in item.iter("qtimetadatafield"):
        label, entry = field.findtext("fieldlabel"), field.findtext("fieldentry")
        if label:
            meta[label.strip()] = (entry or "").strip()
    return meta


def _material(element: Element | None, images: Images) -> str:
    """The HTML of a material (or of the first material under `element`)."""
    if element is None:
        return ""
    material = element if element.tag == "material" else element.find(".//material")
    if material is None:
        return ""
    parts = []
    for node in material:
        if node.tag in ("mattext", "matemtext"):
            text = node.text or ""
            parts.append(text if "html" in (node.get("texttype") or "") else text_to_html(text))
        elif node.tag == "matimage" and node.get("uri"):
            parts.append(build_img({"src": node.get("uri", ""), "alt": node.get("label") or ""}))
        elif node.tag == "matbreak":
            parts.append("<br>")
    return images.html("".join(parts))


def _conditions(item: Element) -> list[tuple[Element, Decimal, list[str]]]:
    """(conditionvar, score it sets or adds, feedback ids it shows) of each respcondition."""
    out = []
    for condition in item.iter("respcondition"):
        score = Decimal(0)
        for setvar in condition.iter("setvar"):
            if (setvar.get("varname") or "SCORE").upper() in ("SCORE", "QUE_SCORE", "RESPONDUS_CORRECT"):
                score += decimal_of(setvar.text) or Decimal(0)
        shows = [feedback.get("linkrefid", "") for feedback in condition.iter("displayfeedback")]
        out.append((condition.find("conditionvar"), score, shows))
    return [entry for entry in out if entry[0] is not None]


def _equals(conditionvar: Element, negated: bool = False):
    """(respident, value, negated, element) of every varequal under a conditionvar."""
    for node in conditionvar:
        if node.tag == "not":
            yield from _equals(node, not negated)
        elif node.tag in ("and", "or"):
            yield from _equals(node, negated)
        elif node.tag == "varequal":
            yield node.get("respident", ""), (node.text or "").strip(), negated, node


def _item(item: Element, ident: str, meta: dict[str, str], images: Images) -> QuestionData:
    canvas_type = meta.get("question_type") or meta.get("cc_profile") or _inferred_type(item)
    if canvas_type in NOT_REPRESENTABLE:
        raise Bad("unsupported_type", f"This is {NOT_REPRESENTABLE[canvas_type]}, which the bank cannot hold.")
    kind = TYPES.get(canvas_type)
    if kind is None:
        raise Bad("unsupported_type", f"The question type {canvas_type or 'of this item'!r} is not known.")
    presentation = item.find("presentation")
    if presentation is None:
        raise Bad("no_presentation", "The item has no presentation (no question text or answers).")
    stem_materials = [m for m in presentation.iter("material") if not _inside_response(presentation, m)]
    points = decimal_of(meta.get("points_possible")) if meta.get("points_possible") else Decimal(1)
    if points is None or points < 0:
        images.problems.append(problem(ident, "bad_points", "The points are not a number; 1 point is used.", False))
        points = Decimal(1)
    stem = "".join(_material(material, images) for material in stem_materials)
    question = QuestionData(type=kind, stem_html=stem, title=item.get("title") or "", points=points, source_id=ident)
    feedback = {fb.get("ident", ""): _material(fb, images) for fb in item.findall("itemfeedback")}
    question.general_feedback_html = feedback.get("general_fb", "")
    ids = Ids(ident)
    conditions = _conditions(item)
    if kind in ("multiple_choice", "multiple_select", "true_false"):
        _choices(question, presentation, conditions, feedback, images, ids, canvas_type)
    elif kind == "short_answer":
        question.text_answers = _text_answers(conditions, ids)
        if not question.text_answers:
            raise Bad("no_correct_response", "The short answer question has no accepted answer.")
    elif kind == "numeric" and canvas_type == "calculated_question":
        _calculated(question, item, ids, images)
    elif kind == "numeric":
        question.numeric_answers = _numeric(conditions, ids)
    elif kind == "matching":
        _matching(question, presentation, conditions, images, ids)
    elif kind == "fill_blanks":
        _blanks(question, presentation, conditions, images, ids, dropdown=canvas_type == "multiple_dropdowns_question")
    return question


def _inside_response(presentation: Element, material: Element) -> bool:
    for response in presentation.iter():
        if response.tag.startswith("response_") and any(node is material for node in response.iter("material")):
            return True
    return False


def _inferred_type(item: Element) -> str:
    lid = item.find(".//response_lid")
    if lid is not None:
        labels = [html_to_text(_plain(label)).lower() for label in lid.iter("response_label")]
        if (lid.get("rcardinality") or "Single").lower() == "multiple":
            return "multiple_answers_question"
        return "true_false_question" if sorted(labels) == ["false", "true"] else "multiple_choice_question"
    fib = item.find(".//render_fib")
    if fib is not None:
        if (fib.get("fibtype") or "").lower() in ("decimal", "integer"):
            return "numerical_question"
        has_answers = any(value for _, value, _, _ in _all_equals(item))
        return "short_answer_question" if has_answers else "essay_question"
    return ""


def _all_equals(item: Element):
    for conditionvar, _, _ in _conditions(item):
        yield from _equals(conditionvar)


def _plain(label: Element) -> str:
    mattext = label.find(".//mattext")
    return (mattext.text or "") if mattext is not None else ""


def _labels(response: Element, images: Images) -> list[tuple[str, str]]:
    return [(label.get("ident", ""), _material(label, images)) for label in response.iter("response_label")]


def _choices(question, presentation, conditions, feedback, images, ids, canvas_type) -> None:
    lid = presentation.find(".//response_lid")
    if lid is None:
        raise Bad("no_choices", "The choice question has no choices.")
    correct: set[str] = set()
    choice_feedback: dict[str, str] = {}
    for conditionvar, score, shows in conditions:
        equals = list(_equals(conditionvar))
        if score > 0:
            correct |= {value for _, value, negated, _ in equals if not negated}
        own = [ref for ref in shows if ref not in _FEEDBACK_IDS]
        if len(equals) == 1 and not equals[0][2] and own and own[0] in feedback:
            choice_feedback.setdefault(equals[0][1], feedback[own[0]])
    labels = _labels(lid, images)
    if question.type == "true_false":
        by_word = {html_to_text(html).lower(): ident for ident, html in labels}
        if set(by_word) == {"true", "false"}:
            question.choices = [
                Choice(id=word, html=word.capitalize(), correct=by_word[word] in correct,
                       feedback_html=feedback.get(f"{by_word[word]}_fb") or choice_feedback.get(by_word[word], ""))
                for word in ("true", "false")
            ]  # fmt: skip
        else:
            question.type = "multiple_choice"
    if not question.choices:
        question.choices = [
            Choice(id=ids.take(ident, "o", n), html=html, correct=ident in correct,
                   feedback_html=feedback.get(f"{ident}_fb") or choice_feedback.get(ident, ""))
            for n, (ident, html) in enumerate(labels)
        ]  # fmt: skip
    question.shuffle = (lid.find("render_choice") is not None) and (
        (lid.find("render_choice").get("shuffle") or "").lower() == "yes"
    )
    if not any(choice.correct for choice in question.choices):
        raise Bad("no_correct_response", "No choice is marked correct.")
    if question.type == "multiple_select":
        question.partial_credit = canvas_type == "multiple_answers_question"
    elif sum(choice.correct for choice in question.choices) > 1:
        question.type = "multiple_select"


def _text_answers(conditions, ids) -> list[TextAnswer]:
    answers: list[TextAnswer] = []
    texts: set[str] = set()
    for conditionvar, score, _ in conditions:
        if score <= 0:
            continue
        weight = min(score / 100, Decimal(1)) if score > 1 else Decimal(1)
        for _, value, negated, node in _equals(conditionvar):
            if value and not negated and value not in texts:
                texts.add(value)
                case = (node.get("case") or "No").lower() == "yes"
                answers.append(
                    TextAnswer(id=ids.take(None, "a", value), text=value, case_sensitive=case, weight=weight)
                )
    return answers


def _number(node: Element) -> Decimal:
    value = decimal_of(node.text)
    if value is None:
        raise Bad("not_a_number", f"The numeric answer {(node.text or '').strip()!r} is not a number.")
    return value


def _numeric(conditions, ids) -> list[NumericAnswer]:
    answers = []
    for n, (conditionvar, score, _) in enumerate(conditions):
        if score <= 0:
            continue
        weight = min(score / 100, Decimal(1)) if score > 1 else Decimal(1)
        exact = next(conditionvar.iter("varequal"), None)
        lows = [_number(node) for tag in ("vargte", "vargt") for node in conditionvar.iter(tag)]
        highs = [_number(node) for tag in ("varlte", "varlt") for node in conditionvar.iter(tag)]
        if exact is not None:
            value = _number(exact)
            tolerance = max([value - low for low in lows] + [high - value for high in highs] + [Decimal(0)])
            answers.append(NumericAnswer(id=ids.take(None, "n", n), kind="exact", value=value, tolerance=tolerance,
                                         weight=weight))  # fmt: skip
        elif lows and highs:
            answers.append(NumericAnswer(id=ids.take(None, "n", n), kind="range", low=min(lows), high=max(highs),
                                         weight=weight))  # fmt: skip
    if not answers:
        raise Bad("no_correct_response", "The numeric question has no correct answer.")
    return answers


def _matching(question, presentation, conditions, images, ids) -> None:
    matched: dict[str, str] = {}
    for conditionvar, score, _ in conditions:
        if score > 0:
            for respident, value, negated, _ in _equals(conditionvar):
                if not negated:
                    matched.setdefault(respident, value)
    targets: dict[str, str] = {}
    used: set[str] = set()
    for lid in presentation.iter("response_lid"):
        for ident, html in _labels(lid, images):
            targets.setdefault(ident, html)
        respident = lid.get("ident", "")
        prompt = _material(lid.find("material"), images)
        if respident not in matched or matched[respident] not in targets:
            raise Bad("no_correct_response", f"The matching prompt {html_to_text(prompt)!r} has no correct match.")
        used.add(matched[respident])
        pair_id = ids.take(respident.removeprefix("response_"), "p", respident)
        question.pairs.append(Pair(id=pair_id, prompt_html=prompt, answer_html=targets[matched[respident]]))
    if not question.pairs:
        raise Bad("no_pairs", "The matching question has no pairs.")
    question.distractors = [
        Choice(id=ids.take(ident, "o", ident), html=html) for ident, html in targets.items() if ident not in used
    ]


def _blanks(question, presentation, conditions, images, ids, dropdown: bool) -> None:
    correct: dict[str, set[str]] = {}
    for conditionvar, score, _ in conditions:
        if score > 0:
            for respident, value, negated, _ in _equals(conditionvar):
                if not negated:
                    correct.setdefault(respident, set()).add(value)
    stem = question.stem_html
    for lid in presentation.iter("response_lid"):
        respident = lid.get("ident", "")
        name = (lid.findtext(".//mattext") or respident.removeprefix("response_")).strip()
        blank = Blank(id=ids.take(name, "b", name))
        labels = _labels(lid, images)
        if dropdown:
            blank.choices = [
                Choice(id=ids.take(ident, "o", ident), html=html, correct=ident in correct.get(respident, set()))
                for ident, html in labels
            ]
            if not any(choice.correct for choice in blank.choices):
                raise Bad("no_correct_response", f"The drop-down {name!r} has no correct choice.")
        else:
            blank.answers = [
                TextAnswer(id=ids.take(None, "a", name, ident), text=html_to_text(html)) for ident, html in labels
            ]
            if not blank.answers:
                raise Bad("no_correct_response", f"The blank {name!r} has no accepted answer.")
        marker = f"[[blank:{blank.id}]]"
        stem, found = re.subn(rf"\[{re.escape(name)}\]", marker, stem, count=1)
        if not found:
            stem += f"<p>{marker}</p>"
        question.blanks.append(blank)
    if not question.blanks:
        raise Bad("no_blanks", "The fill-in question has no blanks.")
    question.stem_html = stem


def _calculated(question: QuestionData, item: Element, ids: Ids, images: Images) -> None:
    """Canvas's formula question as the one fixed question its first variable set makes (stem `[x]` filled in)."""
    var_set = item.find(".//calculated/var_sets/var_set")
    answer = decimal_of(var_set.findtext("answer")) if var_set is not None else None
    if var_set is None or answer is None:
        raise Bad("no_dataset", "The formula question has no variable set with an answer.")
    values = {v.get("name", ""): (v.text or "").strip() for v in var_set.findall("var")}
    for name, value in values.items():
        question.stem_html = question.stem_html.replace(f"[{name}]", value)
    raw = (item.findtext(".//calculated/answer_tolerance") or "0").strip()
    tolerance = decimal_of(raw.rstrip("%")) or Decimal(0)
    if raw.endswith("%"):
        tolerance = abs(answer) * tolerance / 100
    question.numeric_answers = [NumericAnswer(id=ids.take(None, "n", 0), kind="exact", value=answer,
                                              tolerance=abs(tolerance))]  # fmt: skip
    shown = ", ".join(f"{name} = {value}" for name, value in values.items())
    message = f"Imported as one fixed question with {shown}: the bank has no generated values."
    images.problems.append(problem(question.source_id, "calculated_fixed", message, fatal=False))
