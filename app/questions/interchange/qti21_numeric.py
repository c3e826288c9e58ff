"""Numeric answers of a QTI 2.1 item, read from its response processing (equal with a tolerance, gte/lte ranges,
match) or, failing that, from its mapping or correct response."""

from __future__ import annotations

from decimal import Decimal
from xml.etree.ElementTree import Element

from app.questions.data import NumericAnswer
from app.questions.interchange.values import Bad, Ids, decimal_of


def _number(text: str | None, bad):
    value = decimal_of(text)
    if value is None:
        raise bad("not_a_number", f"The numeric answer {(text or '').strip()!r} is not a number.")
    return value


def _refers(element: Element, response: str) -> bool:
    return any(v.tag == "variable" and v.get("identifier") == response for v in element)


def _base(element: Element) -> Element | None:
    return next((child for child in element if child.tag == "baseValue"), None)


def _score(branch: Element) -> Decimal | None:
    """The score a branch sets (the share, when it is share x MAXSCORE)."""
    for setter in branch.findall("setOutcomeValue"):
        if setter.get("identifier") != "SCORE" or not len(setter):
            continue
        value = setter[0]
        if value.tag == "baseValue":
            return decimal_of(value.text)
        if value.tag == "product":
            base = _base(value)
            return decimal_of(base.text) if base is not None else None
    return None


def _answer(condition: Element, response: str, bad) -> tuple[str, Decimal | None, Decimal, Decimal | None,
                                                                 Decimal | None] | None:  # fmt: skip
    """(kind, value, tolerance, low, high) the condition accepts for `response`, or None."""
    if condition.tag in ("equal", "match") and _refers(condition, response) and _base(condition) is not None:
        value = _number(_base(condition).text, bad)
        mode = condition.get("toleranceMode", "exact")
        tolerances = [_number(t, bad) for t in (condition.get("tolerance") or "0").split()] or [Decimal(0)]
        tolerance = max(tolerances) if mode != "exact" else Decimal(0)
        if mode == "relative":
            tolerance = abs(value) * tolerance / 100
        return "exact", value, tolerance, None, None
    if condition.tag == "and":
        low = high = None
        for part in condition:
            if part.tag in ("gte", "gt", "lte", "lt") and _base(part) is not None and _refers(part, response):
                variable_first = part[0].tag == "variable"
                bound = _number(_base(part).text, bad)
                if (part.tag in ("gte", "gt")) == variable_first:
                    low = bound
                else:
                    high = bound
        if low is not None and high is not None:
            return "range", None, Decimal(0), low, high
        return next((found for part in condition if (found := _answer(part, response, bad))), None)
    return None


def numeric_answers(root: Element, response: str, declaration, points: Decimal, ours: bool, known: list[str],
                    ids: Ids) -> list[NumericAnswer]:  # fmt: skip
    found: list[tuple[tuple, Decimal]] = []
    for branch in root.iter():
        if branch.tag not in ("responseIf", "responseElseIf") or not len(branch):
            continue
        answer = _answer(branch[0], response, Bad)
        score = _score(branch)
        if answer and score is not None and score > 0:
            weight = score if ours else (min(score / points, Decimal(1)) if points else Decimal(1))
            found.append((answer, weight))
    if not found:
        for key, value, _ in declaration.mapping:
            if value > 0:
                found.append((("exact", _number(key, Bad), Decimal(0), None, None), value))
        best = max((weight for _, weight in found), default=Decimal(1))
        found = [(answer, weight / best) for answer, weight in found]
    if not found:
        found = [(("exact", _number(value, Bad), Decimal(0), None, None), Decimal(1)) for value in declaration.correct]
    if not found:
        raise Bad("no_correct_response", "The numeric item has no correct response.")
    known = known if len(known) == len(found) else []
    return [
        NumericAnswer(id=known[n] if known else ids.take(None, "n", response, n), kind=kind, value=value,
                      tolerance=tolerance, low=low, high=high, weight=weight)
        for n, ((kind, value, tolerance, low, high), weight) in enumerate(found)
    ]  # fmt: skip
