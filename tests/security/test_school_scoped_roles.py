"""Finding 1: a role and its permissions hold only at the school where the membership is held.

Every admin action, tried by a school admin of school A who is also a teacher at school B: allowed at A, refused
(404, or left unchanged) at B."""

from __future__ import annotations

import pytest

from app import db
from app.accounts import services as accounts
from app.errors import NotFound
from app.rosters import services as rosters
from tests.browser import Browser
from tests.factories import PASSWORD


@pytest.fixture
def two_schools(app, make_user, make_school, add_membership, make_section, district, actor_of):
    school_b = make_school("School B")
    principal = make_user("school_admin", display_name="Pat Principal")  # school admin of school A
    add_membership(principal, "teacher", school_b.id)
    teacher_b = make_user("teacher", school_id=school_b.id, display_name="Bea B-Teacher")
    student_b = make_user("student", school_id=school_b.id, display_name="Sid B-Student")
    teacher_a = make_user("teacher", display_name="Al A-Teacher")
    student_a = make_user("student", display_name="Ann A-Student")
    section_a = make_section("Math A", "P1", teacher=teacher_a)
    section_b = make_section("Math B", "P1", teacher=teacher_b, school_id=school_b.id)
    admin = actor_of(make_user("district_admin"))
    rosters.apply_bulk(admin, "enroll", [student_a.id], section_id=section_a.id)
    rosters.apply_bulk(admin, "enroll", [student_b.id], section_id=section_b.id)
    client = Browser(app)
    client.login(principal.email, PASSWORD)
    db.set_tenant(district.id, None, "system")
    return {
        "principal": principal,
        "actor": actor_of(principal),
        "client": client,
        "a": district.school_id,
        "b": school_b.id,
        "teacher_a": teacher_a,
        "teacher_b": teacher_b,
        "student_a": student_a,
        "student_b": student_b,
        "section_a": section_a,
        "section_b": section_b,
    }


def test_the_actor_keeps_each_role_at_its_own_school(two_schools):
    actor = two_schools["actor"]

    assert actor.can_at("rosters.manage", two_schools["a"])
    assert not actor.can_at("rosters.manage", two_schools["b"])
    assert actor.can_at("sections.teach", two_schools["b"])
    assert not actor.can_district_wide("rosters.manage")


@pytest.mark.parametrize(
    "path",
    [
        "/org/schools/{b}/courses",
        "/rosters/schools/{b}/sections",
        "/rosters/schools/{b}/sections/new",
        "/rosters/sections/{section_b}/edit",
        "/rosters/students/{student_b}",
    ],
)
def test_school_b_admin_pages_answer_404_and_school_a_ones_open(two_schools, path):
    ids = {
        "b": two_schools["b"],
        "section_b": two_schools["section_b"].id,
        "student_b": two_schools["student_b"].id,
    }
    mine = {
        "b": two_schools["a"],
        "section_b": two_schools["section_a"].id,
        "student_b": two_schools["student_a"].id,
    }
    client = two_schools["client"]

    assert client.get(path.format(**ids)).status_code == 404
    assert client.get(path.format(**mine)).status_code == 200


def test_bulk_drop_from_a_school_b_section_is_refused(two_schools):
    client = two_schools["client"]
    client.get(f"/rosters/sections/{two_schools['section_a'].id}")
    data = {
        "action": "drop",
        "user_ids": [str(two_schools["student_b"].id)],
        "from_section_id": str(two_schools["section_b"].id),
    }

    assert client.post("/rosters/people/bulk", data).status_code == 404
    assert client.post("/rosters/people/bulk/apply", data).status_code == 404


def test_school_b_people_cannot_be_deactivated_and_school_a_ones_can(two_schools):
    actor = two_schools["actor"]
    b_people = [two_schools["teacher_b"].id, two_schools["student_b"].id]
    a_people = [two_schools["teacher_a"].id, two_schools["student_a"].id]

    assert accounts.deactivatable(actor, b_people) == []
    assert accounts.deactivatable(actor, a_people) == a_people


def test_the_directory_and_the_counts_hold_school_a_only(two_schools):
    actor = two_schools["actor"]

    names = {row.user.display_name for row in accounts.search_people(actor).rows}

    assert "Al A-Teacher" in names and "Ann A-Student" in names
    assert "Bea B-Teacher" not in names and "Sid B-Student" not in names


def test_inviting_into_school_b_is_refused(two_schools):
    from app.errors import Invalid

    with pytest.raises(Invalid) as excinfo:
        accounts.invite_users(two_schools["actor"], ["new@example.test"], "student", two_schools["b"], "http://x")

    assert "school_id" in excinfo.value.fields or "role" in excinfo.value.fields


def test_as_a_teacher_at_school_b_they_see_only_the_sections_they_teach(two_schools, make_section):
    mine = make_section("Science B", "P2", teacher=two_schools["principal"], school_id=two_schools["b"])
    actor = two_schools["actor"]

    assert rosters.get_section(actor, mine.id).id == mine.id
    with pytest.raises(NotFound):
        rosters.get_section(actor, two_schools["section_b"].id)
