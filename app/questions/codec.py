"""QuestionData as JSON and back: the shape of `questions.body`, of a version's snapshot and of an editor's draft.

Decimals travel as strings (JSON numbers would round 0.1), so the one dict shape serves three uses: what is stored
(valid, normalised), what an editor posts back before it is checked (any strings, kept as typed), and what a
preview lists."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from app.questions.data import Blank, Choice, NumericAnswer, Pair, QuestionData, TextAnswer

# What the `body` column leaves to its own columns (stem, title, points, difficulty, tags, standards) or drops
# (assets are stored as images before a question is saved).
OWN_COLUMNS = ("stem_html", "title", "points", "difficulty", "tags", "assets")


def _value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_value(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _value(getattr(value, f.name)) for f in fields(value)}
    return value


def to_json(question: QuestionData, *, body_only: bool = False) -> dict:
    """The question as JSON-safe data; `body_only` leaves out what has a column of its own."""
    data = {f.name: _value(getattr(question, f.name)) for f in fields(question) if f.name != "assets"}
    if body_only:
        for key in OWN_COLUMNS:
            data.pop(key, None)
    return data


def _decimal(value, default=None):
    if value is None or value == "":
        return default
    return Decimal(str(value))


def _choice(data: dict) -> Choice:
    weight = data.get("weight")
    return Choice(
        id=str(data.get("id") or ""),
        html=data.get("html") or "",
        correct=bool(data.get("correct")),
        feedback_html=data.get("feedback_html") or "",
        weight=None if weight in (None, "") else Decimal(str(weight)),
    )


def _text(data: dict) -> TextAnswer:
    return TextAnswer(
        id=str(data.get("id") or ""),
        text=data.get("text") or "",
        case_sensitive=bool(data.get("case_sensitive")),
        weight=_decimal(data.get("weight"), Decimal(1)),
    )


def _numeric(data: dict) -> NumericAnswer:
    return NumericAnswer(
        id=str(data.get("id") or ""),
        kind=data.get("kind") or "exact",
        value=_decimal(data.get("value")),
        tolerance=_decimal(data.get("tolerance"), Decimal(0)),
        low=_decimal(data.get("low")),
        high=_decimal(data.get("high")),
        weight=_decimal(data.get("weight"), Decimal(1)),
    )


def _pair(data: dict) -> Pair:
    return Pair(
        id=str(data.get("id") or ""),
        prompt_html=data.get("prompt_html") or "",
        answer_html=data.get("answer_html") or "",
    )


def _blank(data: dict) -> Blank:
    return Blank(
        id=str(data.get("id") or ""),
        answers=[_text(a) for a in data.get("answers") or []],
        choices=[_choice(c) for c in data.get("choices") or []],
    )


def from_json(data: dict) -> QuestionData:
    """A stored (valid) question dict as QuestionData; raises decimal.InvalidOperation for a draft's bad number."""
    return QuestionData(
        type=data.get("type") or "",
        stem_html=data.get("stem_html") or "",
        title=data.get("title") or "",
        points=_decimal(data.get("points"), Decimal(1)),
        difficulty=None if data.get("difficulty") in (None, "") else int(data["difficulty"]),
        tags=list(data.get("tags") or []),
        standard_codes=list(data.get("standard_codes") or []),
        general_feedback_html=data.get("general_feedback_html") or "",
        partial_credit=bool(data.get("partial_credit")),
        shuffle=bool(data.get("shuffle")),
        choices=[_choice(c) for c in data.get("choices") or []],
        text_answers=[_text(a) for a in data.get("text_answers") or []],
        numeric_answers=[_numeric(a) for a in data.get("numeric_answers") or []],
        pairs=[_pair(p) for p in data.get("pairs") or []],
        distractors=[_choice(c) for c in data.get("distractors") or []],
        items=[_choice(c) for c in data.get("items") or []],
        blanks=[_blank(b) for b in data.get("blanks") or []],
        essay_guidance_html=data.get("essay_guidance_html") or "",
        source_id=data.get("source_id") or "",
        extra=dict(data.get("extra") or {}),
    )
