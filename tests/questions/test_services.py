"""Every question type saved and reloaded; bad input refused per field with nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import db
from app.errors import Invalid
from app.questions import codec, services
from app.questions.data import QUESTION_TYPES
from app.questions.models import Question
from tests.questions.conftest import drafts


@pytest.mark.parametrize("kind", QUESTION_TYPES)
def test_every_type_is_saved_and_reloaded_the_same(teacher, bank, kind):
    draft = drafts()[kind]
    question = services.create_question(teacher, bank.id, draft)
    db.session.expire_all()

    loaded, access = services.get_question(teacher, question.id)
    data = services.question_data(loaded)

    assert access.can_edit and loaded.type == kind and loaded.version == 1
    assert data == services.check(draft)  # what was stored is what the rules made of the draft
    assert services.check(codec.to_json(data)) == data  # and saving it again changes nothing


def test_stable_ids_are_kept_and_unsafe_or_repeated_ones_replaced(teacher, bank):
    draft = drafts()["multiple_choice"]
    draft["choices"][1]["id"] = "o-newton01"  # a repeat
    draft["choices"][2]["id"] = "<script>"
    data = services.question_data(services.create_question(teacher, bank.id, draft))

    ids = [c.id for c in data.choices]
    assert ids[0] == "o-newton01" and len(set(ids)) == 3
    assert all(i.startswith("o-") and len(i) == 10 for i in ids[1:])


def test_answers_keep_their_points_weights_and_feedback(teacher, bank):
    data = services.question_data(services.create_question(teacher, bank.id, drafts()["numeric"]))

    assert data.points == Decimal("2.00")
    assert data.numeric_answers[0].value == Decimal("6") and data.numeric_answers[0].tolerance == Decimal("0.1")
    assert data.numeric_answers[1].kind == "range" and data.numeric_answers[1].weight == Decimal("0.5")


def test_rich_text_is_sanitised_and_latex_kept(teacher, bank):
    draft = drafts()["multiple_choice"]
    draft["stem_html"] = r'<p onclick="x()">Solve \(x^2 = 4\)<script>alert(1)</script></p>'
    draft["choices"][0]["html"] = '<img src="https://evil.test/x.png">2'
    data = services.question_data(services.create_question(teacher, bank.id, draft))

    assert "script" not in data.stem_html and "onclick" not in data.stem_html
    assert r"\(x^2 = 4\)" in data.stem_html
    assert "evil" not in data.choices[0].html


@pytest.mark.parametrize(
    ("kind", "change", "field"),
    [
        ("multiple_choice", lambda d: [c.update(correct=False) for c in d["choices"]], "choices"),
        ("multiple_choice", lambda d: d["choices"][1].update(correct=True), "choices"),
        ("multiple_select", lambda d: [c.update(correct=False) for c in d["choices"]], "choices"),
        ("true_false", lambda d: d["choices"][0].update(correct=False), "choices"),
        ("numeric", lambda d: d["numeric_answers"][0].update(value="six"), "num-n-1-value"),
        ("numeric", lambda d: d["numeric_answers"][1].update(low="7"), "num-n-2-high"),
        ("numeric", lambda d: d["numeric_answers"][0].update(tolerance="-1"), "num-n-1-tolerance"),
        ("multiple_choice", lambda d: d.update(points="-1"), "points"),
        ("multiple_choice", lambda d: d.update(points="lots"), "points"),
        ("multiple_choice", lambda d: d.update(difficulty="9"), "difficulty"),
        ("short_answer", lambda d: d.update(text_answers=[]), "text_answers"),
        ("matching", lambda d: d["pairs"][0].update(answer_html=""), "pair-p-1-answer"),
        ("ordering", lambda d: d.update(items=d["items"][:1]), "items"),
        ("fill_blanks", lambda d: d.update(stem_html="<p>No blanks here.</p>"), "blank-b1-answers"),
        ("essay", lambda d: d.update(stem_html=""), "stem"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(teacher, bank, kind, change, field):
    draft = drafts()[kind]
    change(draft)
    before = db.session.scalar(select(func.count()).select_from(Question))

    with pytest.raises(Invalid) as error:
        services.create_question(teacher, bank.id, draft)

    assert field in error.value.fields
    assert db.session.scalar(select(func.count()).select_from(Question)) == before


def test_a_comma_decimal_mark_is_understood(teacher, bank):
    draft = drafts()["numeric"]
    draft["numeric_answers"][0]["value"] = "6,5"
    data = services.question_data(services.create_question(teacher, bank.id, draft))

    assert data.numeric_answers[0].value == Decimal("6.5")


def test_copy_keeps_lineage_and_starts_its_own_history(teacher, bank):
    question = services.create_question(teacher, bank.id, drafts()["essay"])
    other = services.create_bank(teacher, "Second bank")

    copy = services.copy_question(teacher, question.id, other.id)

    assert copy.bank_id == other.id and copy.copied_from_id == question.id and copy.copied_from_version == 1
    assert services.question_data(copy) == services.question_data(question)
    assert copy.version == 1


def test_copying_a_bank_copies_its_questions(teacher, bank):
    for kind in ("essay", "numeric"):
        services.create_question(teacher, bank.id, drafts()[kind])

    copy = services.copy_bank(teacher, bank.id)

    listed = services.bank_questions(teacher, copy.id, services.Filters())
    assert copy.copied_from_id == bank.id and listed["total"] == 2


def test_events_are_recorded_for_created_and_updated(teacher, bank):
    from app.events.models import Event

    question = services.create_question(teacher, bank.id, drafts()["essay"])
    services.update_question(teacher, question.id, drafts()["essay"], base_revision=question.revision)

    types = db.session.scalars(select(Event.type).where(Event.subject_id == question.id)).all()
    assert "question.created" in types and "question.updated" in types
