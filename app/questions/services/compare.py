"""Comparing two versions of a bank question: the question's field spec for app/diff, and the comparison a page shows.

Answers (choices, pairs, ordering items, blanks, accepted answers) are records matched by their stable ids, so a
reordered option is a move and an option whose `correct` flag flipped is reported as "Correct answer changed"
(app/diff does both). Whoever may read the question compares any two of its versions (as its history shows them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts import services as accounts
from app.diff import services as diff
from app.questions.services.questions import ITEM_TYPE, get_question
from app.questions.services.render import text_of_html
from app.versions import services as versions

FieldSpec = diff.FieldSpec
PICKER_LIMIT = 500


def _record_labels() -> dict:
    return {
        "html": _l("Text"),
        "text": _l("Answer"),
        "correct": _l("Correct"),
        "feedback_html": _l("Feedback"),
        "weight": _l("Share of the points"),
        "case_sensitive": _l("Case matters"),
        "kind": _l("Kind"),
        "value": _l("Value"),
        "tolerance": _l("Tolerance"),
        "low": _l("From"),
        "high": _l("To"),
        "prompt_html": _l("Prompt"),
        "answer_html": _l("Match"),
        "answers": _l("Accepted answers"),
        "choices": _l("Choices"),
    }


def question_specs() -> list[FieldSpec]:
    """The fields of a question version, in the order the question reads (snapshot_of's shape)."""
    labels = _record_labels()

    def records(key: str, label) -> FieldSpec:
        return FieldSpec(("body", key), label, "records", record_labels=labels)

    return [
        FieldSpec(("title",), _l("Title"), "text"),
        FieldSpec(("stem",), _l("Question"), "rich"),
        FieldSpec(("points",), _l("Points"), "value"),
        FieldSpec(("difficulty",), _l("Difficulty"), "value"),
        FieldSpec(("tags",), _l("Tags"), "records"),
        FieldSpec(("standard_ids",), _l("Standards"), "records"),
        records("choices", _l("Choices")),
        records("text_answers", _l("Accepted answers")),
        records("numeric_answers", _l("Numeric answers")),
        records("pairs", _l("Pairs")),
        records("distractors", _l("Extra answers")),
        records("items", _l("Items in order")),
        records("blanks", _l("Blanks")),
        FieldSpec(("body", "partial_credit"), _l("Partial credit"), "value"),
        FieldSpec(("body", "shuffle"), _l("Shuffle the answers"), "value"),
        FieldSpec(("body", "general_feedback_html"), _l("General feedback"), "text"),
        FieldSpec(("body", "essay_guidance_html"), _l("Guidance for graders"), "text"),
        # Bookkeeping a reader does not compare: the bank it lives in, the file it came from.
        FieldSpec(("bank_id",), _l("Bank"), "value"),
        FieldSpec(("type",), _l("Question type"), "value"),
        FieldSpec(("body", "type"), _l("Question type"), "value"),
        FieldSpec(("body", "source_id"), _l("Source"), "value"),
        FieldSpec(("body", "extra"), _l("Other settings"), "value"),
    ]


def _readable_value(key: str, value):
    if isinstance(value, list):
        return [_readable_record(v) if isinstance(v, dict) else v for v in value]
    if isinstance(value, str) and key.endswith("html"):
        return text_of_html(value)
    return value


def _readable_record(record: dict) -> dict:
    return {key: _readable_value(key, value) for key, value in record.items() if value not in (None, "")}


def readable(snapshot: dict | None) -> dict | None:
    """A version's snapshot as a reader compares it: the answers' stored HTML as their words (diffed word by word,
    never shown as markup), fields left empty dropped. The stem stays a rich-text document. Pure."""
    if not isinstance(snapshot, dict):
        return snapshot
    body = snapshot.get("body")
    if not isinstance(body, dict):
        return snapshot
    return {**snapshot, "body": {key: _readable_value(key, value) for key, value in body.items()}}


@dataclass(frozen=True)
class Side:
    """One version of a comparison (the shape the shared compare templates read)."""

    number: int
    author: str | None
    at: object
    note: str | None
    is_published: bool = False


@dataclass
class QuestionComparison:
    question: object
    access: object
    choices: list[Side]  # newest first
    left: Side | None
    right: Side | None
    fields: list = field(default_factory=list)  # diff.FieldView of the changed fields
    unchanged: list = field(default_factory=list)  # labels of the fields that did not change
    changes: int = 0
    view: str = "inline"
    problem: str | None = None


def compare_question_versions(
    actor, question_id: int, left: int | None = None, right: int | None = None, view: str = "inline"
) -> QuestionComparison:
    """Whoever may read the question: two of its versions (default the newest against the one before). A number
    the question does not have gives a comparison with `problem` set; NotFound for a question out of sight."""
    question, access = get_question(actor, question_id)
    rows, _total = versions.history(ITEM_TYPE, question.id, PICKER_LIMIT, 0)
    names = accounts.names_by_id(row.author_id for row in rows if row.author_id)
    choices = [
        Side(row.number, names.get(row.author_id) if row.author_id else None, row.created_at, row.note) for row in rows
    ]
    comparison = QuestionComparison(question, access, choices, None, None, view=diff.view_of(view))
    by_number = {side.number: side for side in choices}
    if not choices:
        comparison.problem = _("There are no versions to compare yet.")
        return comparison
    right = choices[0].number if right is None else right
    if left is None:
        older = [side.number for side in choices if side.number < right]
        left = older[0] if older else right
    missing = [n for n in (left, right) if n not in by_number]
    if missing:
        comparison.problem = _(
            "There is no version %(n)d of this that you can compare. Choose versions from the lists.", n=missing[0]
        )
        return comparison
    comparison.left, comparison.right = by_number[left], by_number[right]
    if left == right:
        return comparison
    old = versions.get_version(ITEM_TYPE, question.id, left).snapshot
    new = versions.get_version(ITEM_TYPE, question.id, right).snapshot
    result = diff.compare(question_specs(), readable(old), readable(new))
    comparison.fields = [fv for fv in diff.field_views(result, comparison.view) if fv.status != diff.UNCHANGED]
    comparison.unchanged = [fd.spec.label for fd in result.unchanged if fd.key not in _HIDDEN]
    comparison.changes = result.change_count()
    return comparison


_HIDDEN = {"bank_id", "type", "body.type", "body.source_id", "body.extra"}  # not worth listing unchanged
