"""The bank's rules for a question: a draft (what an editor posted, or what an importer produced) becomes a clean
QuestionData, or Invalid naming each field that is wrong, in the editor's field names, all at once.

Field names: `title`, `points`, `difficulty`, `stem`, `type`; a list's own problems on its name (`choices`,
`text_answers`, `numeric_answers`, `pairs`, `items`, `blanks`); one entry's on `<kind>-<id>-<part>`
(`choice-o-k3j9x0qa-html`, `num-n-1-value`, ...). HTML is sanitised through the rich-text pipeline here."""

from __future__ import annotations

import re
import secrets
import string
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from app.errors import Invalid
from app.questions.data import QUESTION_TYPES, Blank, Choice, NumericAnswer, Pair, QuestionData, TextAnswer
from app.richtext import services as richtext

SAFE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
BLANK = re.compile(r"\[\[blank:([A-Za-z0-9_.:-]{1,64})\]\]")
MAX_POINTS = Decimal("999999.99")
MAX_TAGS, MAX_TAG = 30, 60
_ALPHABET = string.ascii_lowercase + string.digits


def new_id(prefix: str = "o") -> str:
    return f"{prefix}-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


class _Ids:
    """Ids stay as given when safe and unique within the question; others get a new one."""

    def __init__(self):
        self.seen: set[str] = set()

    def __call__(self, given, prefix: str) -> str:
        given = str(given or "")
        if not SAFE_ID.match(given) or given in self.seen:
            given = new_id(prefix)
            while given in self.seen:
                given = new_id(prefix)
        self.seen.add(given)
        return given


def number(raw, field: str, errors: dict, *, required: bool = False, minimum: Decimal | None = None):
    """A decimal from what was typed (a comma as the decimal mark accepted), or None; a message on `field`."""
    if isinstance(raw, Decimal):
        text = str(raw)
    else:
        text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        if required:
            errors[field] = _("Enter a number.")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[field] = _("“%(value)s” is not a number.", value=str(raw)[:40])
        return None
    if not value.is_finite() or abs(value) > Decimal("1e12"):
        errors[field] = _("“%(value)s” is not a number.", value=str(raw)[:40])
        return None
    if minimum is not None and value < minimum:
        errors[field] = _("Enter %(minimum)s or more.", minimum=minimum)
        return None
    return value


def _html(raw, field: str, errors: dict) -> str:
    """Sanitised HTML in the pipeline's normal form ("" when empty)."""
    try:
        doc = richtext.to_document(str(raw or ""), None, field=field)
    except Invalid as error:
        errors.update(error.fields)
        return ""
    return "" if richtext.is_empty(doc) else richtext.to_editor_html(doc)


def _weight(raw, field: str, errors: dict, default):
    value = number(raw, field, errors)
    if value is None:
        return default
    if not Decimal(0) <= value <= Decimal(1):
        errors[field] = _("A share of the points is between 0 and 1.")
        return default
    return value


def _choices(raw: list, kind: str, ids: _Ids, errors: dict, *, weights: bool = False) -> list[Choice]:
    out = []
    for entry in raw or []:
        choice_id = ids(entry.get("id"), "o")
        html = _html(entry.get("html"), f"{kind}-{choice_id}-html", errors)
        feedback = _html(entry.get("feedback_html"), f"{kind}-{choice_id}-feedback", errors)
        weight = None
        if weights and entry.get("weight") not in (None, ""):
            weight = _weight(entry.get("weight"), f"{kind}-{choice_id}-weight", errors, None)
        out.append(Choice(choice_id, html, bool(entry.get("correct")), feedback, weight))
    return out


def _need_text(entries, kind: str, part: str, attr: str, errors: dict, message: str) -> None:
    for entry in entries:
        if not getattr(entry, attr).strip():
            errors[f"{kind}-{entry.id}-{part}"] = message


def _check_choices(question: QuestionData, errors: dict) -> None:
    _need_text(question.choices, "choice", "html", "html", errors, _("Write this answer, or remove it."))
    correct = [c for c in question.choices if c.correct]
    if len(question.choices) < 2:
        errors["choices"] = _("Give at least two answers to choose from.")
    elif not correct:
        errors["choices"] = _("Mark the correct answer.")
    elif question.type == "multiple_choice" and len(correct) > 1:
        errors["choices"] = _("Only one answer can be correct here; use multiple select for more.")


def _true_false(raw: list) -> list[Choice]:
    given = {str(c.get("id")): c for c in raw or []}
    return [
        Choice(
            key,
            label,
            bool((given.get(key) or {}).get("correct")),
            (given.get(key) or {}).get("feedback_html") or "",
        )
        # The stored labels stay English (what an export writes); pages show them translated by id.
        for key, label in (("true", "True"), ("false", "False"))
    ]


def _text_answers(raw: list, kind: str, ids: _Ids, errors: dict) -> list[TextAnswer]:
    out = []
    for entry in raw or []:
        answer_id = ids(entry.get("id"), "t")
        text = str(entry.get("text") or "").strip()[:500]
        weight = _weight(entry.get("weight"), f"{kind}-{answer_id}-weight", errors, Decimal(1))
        out.append(TextAnswer(answer_id, text, bool(entry.get("case_sensitive")), weight))
    return out


def _numeric(raw: list, ids: _Ids, errors: dict) -> list[NumericAnswer]:
    out = []
    for entry in raw or []:
        answer_id = ids(entry.get("id"), "n")
        name = f"num-{answer_id}"
        kind = entry.get("kind") if entry.get("kind") in ("exact", "range") else "exact"
        weight = _weight(entry.get("weight"), f"{name}-weight", errors, Decimal(1))
        if kind == "exact":
            value = number(entry.get("value"), f"{name}-value", errors, required=True)
            tolerance = number(entry.get("tolerance"), f"{name}-tolerance", errors, minimum=Decimal(0))
            out.append(NumericAnswer(answer_id, kind, value, tolerance or Decimal(0), weight=weight))
        else:
            low = number(entry.get("low"), f"{name}-low", errors, required=True)
            high = number(entry.get("high"), f"{name}-high", errors, required=True)
            if low is not None and high is not None and low > high:
                errors[f"{name}-high"] = _("The end of the range is below its start.")
            out.append(NumericAnswer(answer_id, kind, low=low, high=high, weight=weight))
    return out


def _blanks(raw: list, ids: _Ids, errors: dict) -> list[Blank]:
    out = []
    for entry in raw or []:
        blank_id = ids(entry.get("id"), "blank")
        answers = [a for a in _text_answers(entry.get("answers"), f"blank-{blank_id}", ids, errors) if a.text]
        choices = [c for c in _choices(entry.get("choices"), f"blank-{blank_id}", ids, errors) if c.html]
        name = f"blank-{blank_id}-answers"
        if not answers and not choices:
            errors[name] = _("Give the blank an accepted answer, or choices to pick from.")
        elif choices and sum(c.correct for c in choices) != 1:
            errors[name] = _("Mark one choice of the blank as correct.")
        out.append(Blank(blank_id, answers, choices))
    return out


def _tags(raw) -> list[str]:
    if isinstance(raw, str):
        raw = raw.split(",")
    tags, seen = [], set()
    for tag in raw or []:
        tag = " ".join(str(tag).split())[:MAX_TAG]
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags[:MAX_TAGS]


def check(draft: dict) -> QuestionData:
    """The clean question for a draft dict (codec's shape, values as typed); Invalid with every problem."""
    errors: dict[str, str] = {}
    kind = draft.get("type")
    if kind not in QUESTION_TYPES:
        raise Invalid({"type": _("Choose the kind of question.")})
    ids = _Ids()
    stem = _html(draft.get("stem_html"), "stem", errors)
    raw_points = "1" if draft.get("points") is None else draft["points"]
    points = number(raw_points, "points", errors, required=True, minimum=Decimal(0))
    if points is not None and points > MAX_POINTS:
        errors["points"] = _("A question is worth at most %(n)s points.", n=MAX_POINTS)
    difficulty = number(draft.get("difficulty"), "difficulty", errors)
    if difficulty is not None and (difficulty != difficulty.to_integral_value() or not 1 <= difficulty <= 5):
        errors["difficulty"] = _("Difficulty is a whole number from 1 (easy) to 5 (hard).")
    question = QuestionData(
        type=kind,
        stem_html=stem,
        title=" ".join(str(draft.get("title") or "").split())[:200],
        points=(points or Decimal(0)).quantize(Decimal("0.01")) if points is not None else Decimal(1),
        difficulty=int(difficulty) if difficulty is not None and "difficulty" not in errors else None,
        tags=_tags(draft.get("tags")),
        standard_codes=[str(c)[:100] for c in draft.get("standard_codes") or []][:50],
        general_feedback_html=_html(draft.get("general_feedback_html"), "general_feedback", errors),
        partial_credit=bool(draft.get("partial_credit")),
        shuffle=bool(draft.get("shuffle")),
        source_id=str(draft.get("source_id") or "")[:200],
        extra=dict(draft.get("extra") or {}),
    )
    if not stem and kind != "fill_blanks":
        errors["stem"] = _("Write the question.")
    if kind in ("multiple_choice", "multiple_select"):
        question.choices = _choices(draft.get("choices"), "choice", ids, errors, weights=kind == "multiple_select")
        _check_choices(question, errors)
    elif kind == "true_false":
        question.choices = _true_false(draft.get("choices"))
        if sum(c.correct for c in question.choices) != 1:
            errors["choices"] = _("Say whether the statement is true or false.")
    elif kind == "short_answer":
        question.text_answers = [a for a in _text_answers(draft.get("text_answers"), "text", ids, errors) if a.text]
        if not question.text_answers:
            errors["text_answers"] = _("Give at least one accepted answer.")
    elif kind == "numeric":
        question.numeric_answers = _numeric(draft.get("numeric_answers"), ids, errors)
        if not question.numeric_answers:
            errors["numeric_answers"] = _("Give the correct number, or a range.")
    elif kind == "matching":
        question.pairs = _pairs(draft.get("pairs"), ids, errors)
        question.distractors = [c for c in _choices(draft.get("distractors"), "distractor", ids, errors) if c.html]
        if not question.pairs:
            errors["pairs"] = _("Give at least one pair to match.")
    elif kind == "ordering":
        question.items = _choices(draft.get("items"), "item", ids, errors)
        _need_text(question.items, "item", "html", "html", errors, _("Write this item, or remove it."))
        if len(question.items) < 2:
            errors["items"] = _("Give at least two items to put in order.")
    elif kind == "fill_blanks":
        question.blanks = _blanks(draft.get("blanks"), ids, errors)
        _check_blanks(question, errors)
    elif kind == "essay":
        question.essay_guidance_html = _html(draft.get("essay_guidance_html"), "essay_guidance", errors)
    if errors:
        raise Invalid(errors)
    return question


def _pairs(raw: list, ids: _Ids, errors: dict) -> list[Pair]:
    out = []
    for entry in raw or []:
        pair_id = ids(entry.get("id"), "p")
        prompt = _html(entry.get("prompt_html"), f"pair-{pair_id}-prompt", errors)
        answer = _html(entry.get("answer_html"), f"pair-{pair_id}-answer", errors)
        if not prompt:
            errors[f"pair-{pair_id}-prompt"] = _("Write what is to be matched, or remove the pair.")
        if not answer:
            errors[f"pair-{pair_id}-answer"] = _("Write its match.")
        out.append(Pair(pair_id, prompt, answer))
    return out


def _check_blanks(question: QuestionData, errors: dict) -> None:
    if not question.stem_html:
        errors["stem"] = _("Write the text with its blanks.")
    if not question.blanks:
        errors["blanks"] = _("Add at least one blank.")
        return
    placed = set(BLANK.findall(question.stem_html))
    for blank in question.blanks:
        if blank.id not in placed:
            name = f"blank-{blank.id}-answers"
            errors.setdefault(name, _("Put [[blank:%(id)s]] in the text where this blank goes.", id=blank.id))
