"""The bank's pages: list, bank with filters (a fragment for HTMX), the editor of every type (rows added and
removed by posts that save nothing), bad input kept on a 422, stale saves answered 409, history and restore."""

from __future__ import annotations

import re

import pytest

from app import db
from app.questions import services
from app.questions.data import QUESTION_TYPES
from tests.questions.conftest import drafts


@pytest.fixture
def signed_in(as_user, actor_of):
    client, user = as_user("teacher")
    return client, actor_of(user)


def _bank(actor, name="Physics", **kwargs):
    bank = services.create_bank(actor, name, **kwargs)
    return bank


def test_the_bank_list_shows_mine_and_creates_a_bank(signed_in):
    client, actor = signed_in
    _bank(actor, "Waves")

    page = client.get("/questions/")
    assert page.status_code == 200 and "Waves" in page.text

    created = client.post("/questions/", data={"name": "Optics", "visibility": "school", "description": ""})
    assert created.status_code == 303
    db.set_tenant(actor.district_id, actor.id, "teacher")
    assert any(row.bank.name == "Optics" for row in services.visible_banks(actor))


def test_a_bank_without_a_name_is_refused_keeping_the_description(signed_in):
    client, _actor = signed_in
    page = client.post("/questions/", data={"name": " ", "visibility": "private", "description": "My notes"})
    assert page.status_code == 422 and "Give the bank a name." in page.text and "My notes" in page.text


def test_the_bank_page_filters_and_answers_htmx_with_the_results_only(signed_in):
    client, actor = signed_in
    bank = _bank(actor)
    for kind in ("multiple_choice", "essay", "numeric"):
        services.create_question(actor, bank.id, drafts()[kind])

    full = client.get(f"/questions/banks/{bank.id}?type=essay")
    fragment = client.get(f"/questions/banks/{bank.id}?q=Newton", headers={"HX-Request": "true"})
    by_tag = client.get(f"/questions/banks/{bank.id}?tag=physics")

    assert full.status_code == 200 and "<html" in full.text and "1 question" in full.text
    assert "Explain Newton" in full.text and "SI unit of force" not in full.text
    assert "<html" not in fragment.text and 'id="results"' in fragment.text and "Explain Newton" in fragment.text
    assert "1 question" in by_tag.text and "SI unit of force" in by_tag.text


@pytest.mark.parametrize("kind", QUESTION_TYPES)
def test_the_editor_opens_for_every_type_and_its_page_shows_the_preview(signed_in, kind):
    client, actor = signed_in
    bank = _bank(actor)
    question = services.create_question(actor, bank.id, drafts()[kind])

    new = client.get(f"/questions/banks/{bank.id}/new/{kind}")
    edit = client.get(f"/questions/{question.id}/edit")
    show = client.get(f"/questions/{question.id}")

    assert new.status_code == 200 and edit.status_code == 200 and show.status_code == 200
    assert "As a student sees it" in show.text and "Answer key" in show.text


def _choice_form(stem="<p>Which is a vector?</p>", correct="o-aaaaaaa1", points="1"):
    return {
        "title": "Vectors",
        "stem": stem,
        "points": points,
        "difficulty": "",
        "tags": "physics, vectors",
        "choice": ["o-aaaaaaa1", "o-aaaaaaa2"],
        "choice-o-aaaaaaa1-html": "<div>Velocity</div>",
        "choice-o-aaaaaaa2-html": "<div>Mass</div>",
        "choice-correct": correct,
    }


def test_a_new_multiple_choice_question_is_saved_from_the_form(signed_in):
    client, actor = signed_in
    bank = _bank(actor)

    saved = client.post(f"/questions/banks/{bank.id}/new/multiple_choice", data=_choice_form())

    assert saved.status_code == 303
    db.set_tenant(actor.district_id, actor.id, "teacher")
    question_id = int(re.search(r"/questions/(\d+)$", saved.headers["Location"]).group(1))
    data = services.question_data(services.get_question(actor, question_id)[0])
    assert [c.id for c in data.choices] == ["o-aaaaaaa1", "o-aaaaaaa2"] and data.choices[0].correct
    assert data.tags == ["physics", "vectors"]


def test_adding_and_removing_rows_saves_nothing_and_keeps_what_was_typed(signed_in):
    client, actor = signed_in
    bank = _bank(actor)
    url = f"/questions/banks/{bank.id}/new/multiple_choice"

    added = client.post(url, data=_choice_form() | {"op": "add:choice"}, headers={"HX-Request": "true"})
    removed = client.post(url, data=_choice_form() | {"op": "remove:choice:o-aaaaaaa2"})

    assert added.status_code == 200 and 'id="q-answers"' in added.text and "<html" not in added.text
    assert added.text.count('name="choice" value=') == 3 and "Velocity" in added.text
    assert removed.text.count('name="choice" value=') == 1 and "Which is a vector?" in removed.text
    db.set_tenant(actor.district_id, actor.id, "teacher")
    assert services.bank_questions(actor, bank.id, services.Filters())["total"] == 0


def test_moving_an_ordering_item_keeps_its_id(signed_in):
    client, actor = signed_in
    bank = _bank(actor)
    form = {
        "stem": "<p>Order</p>",
        "points": "1",
        "item": ["i-first001", "i-second01"],
        "item-i-first001-html": "<div>One</div>",
        "item-i-second01-html": "<div>Two</div>",
        "op": "down:item:i-first001",
    }

    moved = client.post(f"/questions/banks/{bank.id}/new/ordering", data=form)

    assert moved.text.index('value="i-second01"') < moved.text.index('value="i-first001"')


@pytest.mark.parametrize(
    ("kind", "form", "message", "kept"),
    [
        ("multiple_choice", _choice_form(correct=""), "Mark the correct answer.", "Which is a vector?"),
        ("multiple_choice", _choice_form(points="-2"), "Enter 0 or more.", "Velocity"),
        (
            "numeric",
            {"stem": "<p>2+2</p>", "points": "1", "num": ["n-1"], "num-n-1-kind": "exact", "num-n-1-value": "four"},
            "is not a number",
            'value="four"',
        ),
    ],
)
def test_bad_input_answers_422_with_the_message_and_what_was_typed(signed_in, kind, form, message, kept):
    client, actor = signed_in
    bank = _bank(actor)

    page = client.post(f"/questions/banks/{bank.id}/new/{kind}", data=form)

    assert page.status_code == 422 and message in page.text and kept in page.text


def test_a_stale_save_answers_409_and_keeps_the_users_text(signed_in):
    client, actor = signed_in
    bank = _bank(actor)
    question = services.create_question(actor, bank.id, drafts()["multiple_choice"])
    opened = {"base_revision": question.revision, "base_version": question.version}
    services.update_question(actor, question.id, drafts()["multiple_choice"] | {"points": "5"}, base_revision=None)

    form = _choice_form(stem="<p>My own wording</p>") | opened
    page = client.post(f"/questions/{question.id}/edit", data=form)

    assert page.status_code == 409 and "My own wording" in page.text and "Points" in page.text


def test_history_lists_versions_and_restore_adds_one(signed_in):
    client, actor = signed_in
    bank = _bank(actor)
    question = services.create_question(actor, bank.id, drafts()["essay"])
    question = services.update_question(
        actor, question.id, drafts()["essay"] | {"stem_html": "<p>Changed</p>"}, base_revision=question.revision
    )
    revision = question.revision

    history = client.get(f"/questions/{question.id}/history")
    version = client.get(f"/questions/{question.id}/versions/1")
    restored = client.post(f"/questions/{question.id}/versions/1/restore", data={"base_revision": revision})

    assert history.status_code == 200 and "Version 2" in history.text
    assert version.status_code == 200 and "Newton" in version.text
    assert restored.status_code == 303
    db.set_tenant(actor.district_id, actor.id, "teacher")
    assert services.get_question(actor, question.id)[0].version == 3


@pytest.mark.parametrize("role", ["student", "guardian"])
def test_students_and_guardians_get_404_everywhere(as_user, make_user, actor_of, role):
    owner = actor_of(make_user("teacher"))
    bank = _bank(owner, visibility="district")
    question = services.create_question(owner, bank.id, drafts()["essay"])
    client, _user = as_user(role)

    for url in (
        "/questions/",
        f"/questions/banks/{bank.id}",
        f"/questions/{question.id}",
        f"/questions/{question.id}/edit",
    ):
        assert client.get(url).status_code == 404


def test_another_teachers_private_bank_and_its_questions_are_404(signed_in, make_user, actor_of):
    client, _actor = signed_in
    owner = actor_of(make_user("teacher"))
    bank = _bank(owner)
    question = services.create_question(owner, bank.id, drafts()["essay"])

    for url in (f"/questions/banks/{bank.id}", f"/questions/{question.id}", f"/questions/{question.id}/history"):
        assert client.get(url).status_code == 404
    assert client.post(f"/questions/{question.id}/edit", data=_choice_form()).status_code == 404


def test_the_plans_search_finds_questions_the_searcher_may_read(signed_in, make_user, actor_of):
    client, actor = signed_in
    mine = _bank(actor)
    services.create_question(actor, mine.id, drafts()["essay"])
    other = actor_of(make_user("teacher"))
    private = _bank(other, "Private")
    services.create_question(other, private.id, drafts()["essay"] | {"stem_html": "<p>Newton secret draft</p>"})

    page = client.get("/curriculum/search?q=Newton")
    only = client.get("/curriculum/search?q=Newton&kind=question", headers={"HX-Request": "true"})
    lessons = client.get("/curriculum/search?q=Newton&kind=lesson")

    assert page.status_code == 200 and "1 question in your banks" in page.text and "third law" in page.text
    assert "secret draft" not in page.text
    assert "1 question in your banks" in only.text and "<html" not in only.text
    assert "question in your banks" not in lessons.text
