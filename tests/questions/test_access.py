"""Who sees and edits which bank: the owner edits; shared banks reach school or district staff; everyone else,
students, guardians and other districts get NotFound, in one-item reads and in lists alike."""

from __future__ import annotations

import pytest

from app.errors import NotFound
from app.questions import services
from tests.questions.conftest import drafts


@pytest.fixture
def people(make_user, actor_of, make_school, add_membership, district):
    other_school = make_school()
    colleague = make_user("teacher")
    elsewhere = make_user("teacher", school_id=other_school.id)
    return {
        "colleague": actor_of(colleague),
        "teacher_elsewhere": actor_of(elsewhere),
        "district_admin": actor_of(make_user("district_admin")),
        "student": actor_of(make_user("student")),
        "guardian": actor_of(make_user("guardian")),
    }


@pytest.mark.parametrize(
    ("visibility", "who", "sees"),
    [
        ("private", "colleague", False),
        ("private", "district_admin", False),
        ("private", "student", False),
        ("school", "colleague", True),
        ("school", "teacher_elsewhere", False),
        ("school", "district_admin", True),
        ("school", "student", False),
        ("school", "guardian", False),
        ("district", "teacher_elsewhere", True),
        ("district", "student", False),
    ],
)
def test_who_reads_a_bank_follows_its_visibility(teacher, people, visibility, who, sees, actor_of):
    bank = services.create_bank(teacher, "Shared", visibility=visibility)
    question = services.create_question(teacher, bank.id, drafts()["essay"])
    actor = people[who]

    listed = any(row.bank.id == bank.id for row in services.visible_banks(actor))
    if sees:
        assert services.get_question(actor, question.id)[1].can_edit is False
        assert listed
    else:
        with pytest.raises(NotFound):
            services.get_question(actor, question.id)
        with pytest.raises(NotFound):
            services.bank_questions(actor, bank.id, services.Filters())
        assert not listed


def test_only_the_owner_edits_even_a_shared_bank(teacher, people):
    bank = services.create_bank(teacher, "Shared", visibility="district")
    question = services.create_question(teacher, bank.id, drafts()["essay"])
    colleague = people["colleague"]

    with pytest.raises(NotFound):
        services.update_question(colleague, question.id, drafts()["essay"], base_revision=None)
    with pytest.raises(NotFound):
        services.create_question(colleague, bank.id, drafts()["essay"])
    mine = services.create_bank(colleague, "Mine")
    copy = services.copy_question(colleague, question.id, mine.id)
    assert copy.owner_id == colleague.id


def test_another_district_sees_nothing(teacher, make_district, make_user, actor_of):
    bank = services.create_bank(teacher, "District bank", visibility="district")
    question = services.create_question(teacher, bank.id, drafts()["essay"])
    other = make_district()
    stranger = actor_of(make_user("district_admin", district=other))

    with pytest.raises(NotFound):
        services.get_question(stranger, question.id)
    with pytest.raises(NotFound):
        services.get_bank(stranger, bank.id)
    assert services.visible_banks(stranger) == []


def test_students_cannot_keep_banks(people):
    with pytest.raises(NotFound):
        services.create_bank(people["student"], "Mine")
