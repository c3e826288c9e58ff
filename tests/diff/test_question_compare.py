"""Comparing two versions of a bank question: options matched by id (a reorder is a move), a changed correct
answer reported, option text diffed word by word; the page's views, who may see it and bad version numbers."""

from __future__ import annotations

import pytest

from app.errors import NotFound
from app.questions import services
from tests.browser import Browser
from tests.factories import PASSWORD
from tests.questions.conftest import drafts


def _client(app, user) -> Browser:
    client = Browser(app)
    client.login(user.email, PASSWORD)
    return client


@pytest.fixture
def owner(make_user):
    return make_user("teacher")


@pytest.fixture
def teacher(owner, actor_of):
    return actor_of(owner)


def _question(teacher, visibility="private"):
    bank = services.create_bank(teacher, "Forces and motion", "", visibility)
    return services.create_question(teacher, bank.id, drafts()["multiple_choice"])


def _save(teacher, question, **changes):
    draft = drafts()["multiple_choice"] | changes
    return services.update_question(
        teacher, question.id, draft, base_revision=question.revision, base_version=question.version
    )


def _choices(*order, correct="o-newton01", **texts):
    base = {c["id"]: c for c in drafts()["multiple_choice"]["choices"]}
    out = []
    for key in order:
        choice = dict(base[key], correct=key == correct)
        if key in texts:
            choice["html"] = texts[key]
        out.append(choice)
    return out


def _field(comparison, key):
    return next((fv for fv in comparison.fields if fv.key == key), None)


def test_a_reordered_option_is_a_move_not_a_deletion_and_an_insertion(teacher):
    question = _question(teacher)
    _save(teacher, question, choices=_choices("o-watt0001", "o-newton01", "o-joule001"))

    comparison = services.compare_question_versions(teacher, question.id)

    choices = _field(comparison, "body.choices")
    assert [fv.key for fv in comparison.fields] == ["body.choices"]
    assert [r.status for r in choices.records] == ["equal", "equal", "equal"]
    moved = [r for r in choices.records if r.moved]
    assert len(moved) == 1 and "Moved from place 3 to place 1" in moved[0].notes
    assert comparison.changes == 1


def test_a_changed_correct_answer_is_reported(teacher):
    question = _question(teacher)
    _save(teacher, question, choices=_choices("o-newton01", "o-joule001", "o-watt0001", correct="o-joule001"))

    comparison = services.compare_question_versions(teacher, question.id, 1, 2)

    records = _field(comparison, "body.choices").records
    edited = [r for r in records if r.status == "edited"]
    assert len(edited) == 2 and all("Correct answer changed" in r.notes for r in edited)
    assert not any(r.moved for r in records)


def test_option_text_is_diffed_word_by_word(teacher):
    question = _question(teacher)
    question = _save(
        teacher,
        question,
        choices=_choices("o-newton01", "o-joule001", "o-watt0001", **{"o-joule001": "Joule of energy"}),
    )
    _save(
        teacher,
        question,
        choices=_choices("o-newton01", "o-joule001", "o-watt0001", **{"o-joule001": "Joule of heat energy"}),
    )

    comparison = services.compare_question_versions(teacher, question.id, 2, 3)

    (edited,) = [r for r in _field(comparison, "body.choices").records if r.status == "edited"]
    html = str(edited.html)
    assert "Correct answer changed" not in edited.notes and not edited.moved
    assert '<ins><span class="visually-hidden">Added: </span>heat </ins>' in html
    assert "<del>" not in html and "&lt;p&gt;" not in html and "o-joule001" not in html


def test_stem_points_and_tags_are_compared(teacher):
    question = _question(teacher)
    _save(teacher, question, stem_html="<p>What is the SI unit of weight?</p>", points="3", tags=["physics"])

    comparison = services.compare_question_versions(teacher, question.id)

    keys = {fv.key for fv in comparison.fields}
    assert {"stem", "points", "tags"} <= keys and "body.choices" not in keys
    assert "Choices" in [str(label) for label in comparison.unchanged]


def test_the_page_defaults_to_the_latest_two_and_switches_view_by_htmx(app, teacher, owner):
    question = _question(teacher)
    _save(teacher, question, choices=_choices("o-newton01", "o-joule001", "o-watt0001", correct="o-joule001"))
    client = _client(app, owner)

    page = client.get(f"/questions/{question.id}/compare")
    fragment = client.get(f"/questions/{question.id}/compare?left=1&right=2&view=side", htmx=True)

    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Version 1" in html and "Version 2" in html
    assert "Correct answer changed" in html and "/static/css/diff." in html
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="diff"') and "<html" not in body and "diff--side" in body
    assert 'hx-push-url="true"' in body and "view=inline" in body
    history = client.get(f"/questions/{question.id}/history").get_data(as_text=True)
    assert f"/questions/{question.id}/compare" in history


def test_the_same_version_twice_says_no_differences(app, teacher, owner):
    question = _question(teacher)
    _save(teacher, question, points="5")
    client = _client(app, owner)

    response = client.get(f"/questions/{question.id}/compare?left=2&right=2")

    assert response.status_code == 200 and "No differences" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["left=1&right=9", "left=0&right=2", "left=-3"])
def test_a_version_that_does_not_exist_is_404_with_the_pickers(app, teacher, owner, query):
    question = _question(teacher)
    _save(teacher, question, points="5")
    client = _client(app, owner)

    response = client.get(f"/questions/{question.id}/compare?{query}")

    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "Choose versions from the lists" in html and 'name="left"' in html


def test_a_bad_version_number_is_not_a_500(app, teacher, owner):
    question = _question(teacher)
    client = _client(app, owner)

    response = client.get(f"/questions/{question.id}/compare?left=abc&right=%00")

    assert response.status_code in (200, 400, 404)


def test_another_teachers_private_question_and_another_district_are_404(
    app, teacher, make_user, make_district, actor_of
):
    question = _question(teacher)
    _save(teacher, question, points="5")
    colleague = make_user("teacher")
    stranger = make_user("district_admin", district=make_district())

    for user in (colleague, stranger):
        assert _client(app, user).get(f"/questions/{question.id}/compare").status_code == 404
        with pytest.raises(NotFound):
            services.compare_question_versions(actor_of(user), question.id)
    assert _client(app, colleague).get("/questions/999999/compare").status_code == 404
