"""Versions as lessons have them (history, stale save refused with the change, restore), and pinning: what an
assignment was given never changes."""

from __future__ import annotations

import pytest

from app.errors import NotFound
from app.questions import services
from tests.questions.conftest import drafts


def _save(teacher, question, stem, *, base=None, base_version=None, points="2"):
    draft = drafts()["multiple_choice"] | {"stem_html": stem, "points": points}
    return services.update_question(
        teacher,
        question.id,
        draft,
        base_revision=question.revision if base is None else base,
        base_version=question.version if base_version is None else base_version,
    )


def test_each_save_is_a_new_version_listed_newest_first(teacher, bank):
    question = services.create_question(teacher, bank.id, drafts()["multiple_choice"])
    question = _save(teacher, question, "<p>Which unit measures force?</p>")
    question = _save(teacher, question, "<p>Which SI unit measures force?</p>")

    history = services.question_history(teacher, question.id)

    assert [e.number for e in history["entries"]] == [3, 2, 1] and history["entries"][0].is_current
    old = services.question_version(teacher, question.id, 1)["data"]
    assert "What is the SI unit" in old.stem_html


def test_a_stale_save_is_refused_with_what_changed(teacher, bank):
    question = services.create_question(teacher, bank.id, drafts()["multiple_choice"])
    opened_at, opened_version = question.revision, question.version
    _save(teacher, question, "<p>Edited in another tab.</p>", points="4")

    with pytest.raises(services.Stale) as error:
        _save(teacher, question, "<p>My edit.</p>", base=opened_at, base_version=opened_version)

    assert "stem" in error.value.changes and "points" in error.value.changes
    assert services.question_history(teacher, question.id)["total"] == 2


def test_restore_writes_a_new_version_with_the_old_content(teacher, bank):
    question = services.create_question(teacher, bank.id, drafts()["multiple_choice"])
    question = _save(teacher, question, "<p>Changed.</p>", points="9")

    restored = services.restore_question(teacher, question.id, 1, question.revision)

    data = services.question_data(restored)
    assert restored.version == 3 and "What is the SI unit" in data.stem_html and str(data.points) == "2.00"
    assert services.question_history(teacher, question.id)["entries"][0].note == "Restored version 1"


def test_a_pinned_version_survives_edits_and_restores(teacher, bank):
    question = services.create_question(teacher, bank.id, drafts()["multiple_choice"])
    pinned = services.pin_current(teacher, question.id)
    given = services.get_version(teacher, pinned)

    question = _save(teacher, question, "<p>Rewritten after the quiz was given.</p>", points="7")
    question = services.restore_question(teacher, question.id, 2, question.revision)
    services.archive_question(teacher, question.id)

    again = services.get_version(teacher, pinned)
    assert again.data == given.data and again.number == 1 and str(again.data.points) == "2.00"
    assert services.pin_current(teacher, question.id) != pinned  # the current version is a newer one


def test_a_version_of_another_district_is_not_found(teacher, bank, make_district, make_user, actor_of):
    question = services.create_question(teacher, bank.id, drafts()["essay"])
    pinned = services.pin_current(teacher, question.id)
    stranger = actor_of(make_user("teacher", district=make_district()))

    with pytest.raises(NotFound):
        services.get_version(stranger, pinned)
