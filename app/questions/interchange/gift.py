r"""GIFT, Moodle's text format: questions separated by blank lines, answers in braces.

    // [tag:fractions]
    ::Title:: [html]Question text {=right#feedback ~wrong ~%50%half ####general feedback}
    $CATEGORY: $course$/top/Unit 1

Forms: {} essay; {T} {FALSE#wrong#right} true/false; {=a =b} short answer; {=a ~b ~c} multiple choice (several
positive %n% weights make it multiple select); {=a -> 1 =b -> 2} matching; {#3:0.5} {#1..5} {#=3:0.5 =%50%3:1}
numeric. Text after the braces makes a missing-word question (a blank in the sentence). Escapes: \~ \= \# \{ \}
\: \\ and \n for a line break.
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.questions.data import Blank, Choice, NumericAnswer, Pair, ParsedBank, QuestionData, TextAnswer
from app.questions.interchange.markup import drop_scripts, html_to_text, text_to_html
from app.questions.interchange.values import Ids, decimal_of, fraction_of, problem

_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003", "\\{": "\ue004", "\\}": "\ue005",
            "\\:": "\ue006"}  # fmt: skip
_RESTORE = {mark: escape[1] for escape, mark in _ESCAPES.items()}
_TRUE, _FALSE = ("t", "true"), ("f", "false")


class Bad(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _hide(text: str) -> str:
    for escape, mark in _ESCAPES.items():
        text = text.replace(escape, mark)
    return text.replace("\\n", "\n")


def _show(text: str) -> str:
    for mark, char in _RESTORE.items():
        text = text.replace(mark, char)
    return text


def parse(text: str, guessed_encoding: bool = False) -> ParsedBank:
    """Every question of a GIFT file; a question that cannot be read is reported by its line and skipped."""
    bank = ParsedBank(format="gift")
    if guessed_encoding:
        bank.problems.append(problem("file", "encoding_guessed", "The file is not UTF-8; read as Windows-1252.", False))
    category = ""
    for line, block, tags in _blocks(text.lstrip("\ufeff")):
        source_id = f"line {line}"
        if block.startswith("$CATEGORY:"):
            path = _show(block[len("$CATEGORY:") :]).strip()
            parts = [part for part in path.split("/") if part and not part.startswith("$") and part != "top"]
            category = parts[-1].strip() if parts else ""
            if path and path not in bank.categories:
                bank.categories.append(path)
            continue
        try:
            question = _question(block, source_id)
        except Bad as bad:
            bank.problems.append(problem(source_id, bad.code, bad.message))
            continue
        question.tags = list(dict.fromkeys(t for t in [*tags, category] if t))
        bank.questions.append(question)
    return bank


def _blocks(text: str):
    """(first line number, text, tags from `// [tag:x]` comments) of each blank-line separated block."""
    start, lines, tags = 0, [], []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            tags += re.findall(r"\[tag:([^\]]+)\]", stripped)
            continue
        if not stripped:
            if lines:
                yield start, _hide("\n".join(lines)).strip(), tags
            start, lines, tags = 0, [], [] if lines else tags
            continue
        if not lines:
            start = number
        lines.append(raw)
    if lines:
        yield start, _hide("\n".join(lines)).strip(), tags


def _text_html(raw: str, kind: str) -> str:
    text = _show(raw).strip()
    if kind in ("plain", "markdown"):
        return text_to_html(text)
    if kind == "html":
        return drop_scripts(text)
    return drop_scripts(text).replace("\n", "<br>") if "<" in text else text_to_html(text)


def _question(block: str, source_id: str) -> QuestionData:
    title = ""
    match = re.match(r"::(.*?)::", block, re.S)
    if match:
        title, block = _show(match.group(1)).strip(), block[match.end() :].lstrip()
    kind = "moodle"
    match = re.match(r"\[(html|moodle|plain|markdown)\]", block)
    if match:
        kind, block = match.group(1), block[match.end() :]
    opening, closing = block.find("{"), block.rfind("}")
    if opening < 0 or closing < opening:
        raise Bad("no_answers", "The question has no answers in braces { }.")
    before, inside, after = block[:opening], block[opening + 1 : closing].strip(), block[closing + 1 :].strip()
    inside, general = ([*inside.split("####", 1), ""])[:2]
    question = QuestionData(type="essay", stem_html=_text_html(before, kind), title=title, source_id=source_id,
                            general_feedback_html=_text_html(general, kind) if general.strip() else "")  # fmt: skip
    ids = Ids(source_id)
    inside = inside.strip()
    if not inside:
        pass  # {} is an essay
    elif inside.startswith("#"):
        question.type = "numeric"
        question.numeric_answers = _numeric(inside[1:], ids)
    elif inside.split("#", 1)[0].strip().lower() in (*_TRUE, *_FALSE):
        _true_false(question, inside, kind)
    else:
        answers = _answers(inside, kind)
        if any("->" in text or "-&gt;" in text for _, _, text, _ in answers):
            _matching(question, answers, kind, ids)
        elif any(sign == "~" for sign, _, _, _ in answers):
            _choices(question, answers, ids)
        else:
            question.type = "short_answer"
            question.text_answers = [
                TextAnswer(id=ids.take(None, "a", n), text=html_to_text(text), weight=min(weight, Decimal(1)))
                for n, (_, weight, text, _) in enumerate(answers) if weight > 0
            ]  # fmt: skip
            if not question.text_answers:
                raise Bad("no_correct_response", "The short answer question has no accepted answer.")
    if after:
        _missing_word(question, before, after, kind, ids)
    return question


def _answers(inside: str, kind: str) -> list[tuple[str, Decimal, str, str]]:
    """(sign, weight, answer html, feedback html) of each `=` or `~` answer."""
    out = []
    for sign, body in re.findall(r"([=~])([^=~]*)", inside):
        weight = Decimal(1) if sign == "=" else Decimal(0)
        match = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", body)
        if match:
            weight, body = fraction_of(match.group(1)), body[match.end() :]
        text, feedback = ([*body.split("#", 1), ""])[:2]
        out.append((sign, weight, _text_html(text, kind), _text_html(feedback, kind) if feedback.strip() else ""))
    if not out:
        raise Bad("no_answers", "The answers must each start with = or ~.")
    return out


def _true_false(question: QuestionData, inside: str, kind: str) -> None:
    word, *feedback = inside.split("#")
    truth = word.strip().lower() in _TRUE
    wrong, right = ([*feedback, "", ""])[:2]
    question.type = "true_false"
    question.choices = [
        Choice(id=value, html=value.capitalize(), correct=(value == "true") == truth,
               feedback_html=_text_html(right if (value == "true") == truth else wrong, kind))
        for value in ("true", "false")
    ]  # fmt: skip


def _choices(question: QuestionData, answers, ids: Ids) -> None:
    positive = [weight for _, weight, _, _ in answers if weight > 0]
    if not positive:
        raise Bad("no_correct_response", "No answer is marked right (=) or given a positive %weight%.")
    several = len(positive) > 1 and not any(sign == "=" for sign, _, _, _ in answers)
    best = max(positive)
    question.type = "multiple_select" if several else "multiple_choice"
    for n, (_, weight, html, feedback) in enumerate(answers):
        correct = weight > 0 if several else weight >= best
        partial = weight > 0 and (several or weight < best)
        question.choices.append(Choice(id=ids.take(None, "o", n), html=html, correct=correct, feedback_html=feedback,
                                       weight=min(weight, Decimal(1)) if partial else None))  # fmt: skip
    question.partial_credit = any(choice.weight is not None for choice in question.choices)


def _matching(question: QuestionData, answers, kind: str, ids: Ids) -> None:
    question.type = "matching"
    for n, (_, _, html, _) in enumerate(answers):
        if "-&gt;" not in html and "->" not in html:
            raise Bad("bad_matching", "Every matching answer needs a -> between its two sides.")
        separator = "-&gt;" if "-&gt;" in html else "->"
        prompt, answer = (part.strip() for part in html.split(separator, 1))
        if prompt:
            question.pairs.append(Pair(id=ids.take(None, "p", n), prompt_html=prompt, answer_html=answer))
        else:
            question.distractors.append(Choice(id=ids.take(None, "o", n), html=answer))
    if len(question.pairs) < 2:
        raise Bad("no_pairs", "A matching question needs at least two pairs.")


def _numeric(inside: str, ids: Ids) -> list[NumericAnswer]:
    entries = re.findall(r"=\s*(?:%(-?\d+(?:\.\d+)?)%)?([^=#]*)(?:#[^=]*)?", inside) if "=" in inside else []
    if not entries:
        entries = [("", inside.split("#", 1)[0])]
    out = []
    for n, (percent, raw) in enumerate(entries):
        weight = fraction_of(percent) if percent else Decimal(1)
        answer = _show(raw).strip()
        if weight <= 0:
            continue
        if ".." in answer:
            low, high = (decimal_of(part) for part in answer.split("..", 1))
            if low is None or high is None or low > high:
                raise Bad("not_a_number", f"The range {answer!r} is not two numbers, low..high.")
            out.append(NumericAnswer(id=ids.take(None, "n", n), kind="range", low=low, high=high, weight=weight))
            continue
        value_text, _, tolerance_text = answer.partition(":")
        value, tolerance = decimal_of(value_text), decimal_of(tolerance_text) if tolerance_text else Decimal(0)
        if value is None or tolerance is None:
            raise Bad("not_a_number", f"The numeric answer {answer!r} is not a number.")
        out.append(NumericAnswer(id=ids.take(None, "n", n), kind="exact", value=value, tolerance=abs(tolerance),
                                 weight=min(weight, Decimal(1))))  # fmt: skip
    if not out:
        raise Bad("no_correct_response", "The numeric question has no correct answer.")
    return out


def _missing_word(question: QuestionData, before: str, after: str, kind: str, ids: Ids) -> None:
    """A sentence with the answers in its middle: the answers become a blank (or a line for other types)."""
    tail = _text_html(after, kind)
    if question.type not in ("multiple_choice", "short_answer"):
        question.stem_html = f"{question.stem_html} _____ {tail}".strip()
        return
    blank = Blank(id=ids.take(None, "b", 0))
    if question.type == "multiple_choice":
        blank.choices, question.choices = question.choices, []
    else:
        blank.answers, question.text_answers = question.text_answers, []
    question.type = "fill_blanks"
    question.blanks = [blank]
    question.stem_html = f"{question.stem_html} [[blank:{blank.id}]] {tail}".strip()
