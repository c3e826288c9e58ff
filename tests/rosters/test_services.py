from __future__ import annotations

from datetime import date
from types import GeneratorType

import pytest
from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.accounts.models import GuardianLink, User
from app.errors import Invalid, NotFound
from app.org.models import School
from app.rosters import services
from app.rosters.models import Enrollment


@pytest.fixture
def admin(make_user, actor_of):
    return actor_of(make_user("district_admin"))


def _link(guardian, student, **flags):
    db.session.add(
        GuardianLink(district_id=student.district_id, guardian_id=guardian.id, student_id=student.id, **flags)
    )
    db.session.commit()


def _other_school(district, tenant):
    tenant(district)
    school = School(district_id=district.id, name="Second School", code="S2")
    db.session.add(school)
    db.session.commit()
    return school


def test_enrolling_a_student_twice_is_refused_naming_student_and_section(admin, make_user, make_section):
    section = make_section("Math 7", "P1")
    student = make_user("student", display_name="Ada Park")
    services.enroll_student(admin, section.id, student.id)

    with pytest.raises(Invalid) as error:
        services.enroll_student(admin, section.id, student.id)

    assert "Ada Park" in str(error.value) and "Math 7 \u2013 P1" in str(error.value)


def test_an_archived_section_refuses_enrollments(admin, make_user, make_section):
    section = make_section(is_archived=True)

    with pytest.raises(Invalid, match="archived"):
        services.enroll_student(admin, section.id, make_user("student").id)


def test_a_student_of_another_school_cannot_join_the_section(admin, make_user, make_section, district, tenant):
    other = _other_school(district, tenant)
    section = make_section()
    student = make_user("student", school_id=other.id)

    with pytest.raises(Invalid, match="not a student of this section's school"):
        services.enroll_student(admin, section.id, student.id)


def test_dropping_keeps_the_enrollment_as_history_and_allows_a_later_return(
    admin, make_user, make_section, tenant, district
):
    section = make_section()
    student = make_user("student")
    services.enroll_student(admin, section.id, student.id, on=date(2026, 9, 1))

    services.drop_student(admin, section.id, student.id, on=date(2026, 10, 1))
    services.enroll_student(admin, section.id, student.id, on=date(2026, 11, 1))

    tenant(district)
    rows = db.session.scalars(select(Enrollment).where(Enrollment.student_id == student.id).order_by(Enrollment.id))
    assert [(e.added_on, e.dropped_on) for e in rows] == [
        (date(2026, 9, 1), date(2026, 10, 1)),
        (date(2026, 11, 1), None),
    ]


def test_moving_drops_from_one_section_and_enrolls_in_the_other(admin, make_user, make_section):
    first, second = make_section("Math 7", "P1"), make_section("Math 7", "P2")
    student = make_user("student")
    services.enroll_student(admin, first.id, student.id)

    services.move_student(admin, student.id, first.id, second.id)

    assert services.section_roster(admin, first.id).students == []
    assert [s.id for s, _on in services.section_roster(admin, second.id).students] == [student.id]


def test_a_failed_move_changes_nothing(admin, make_user, make_section):
    first, second = make_section("Math 7", "P1"), make_section("Math 7", "P2")
    student = make_user("student")
    services.enroll_student(admin, first.id, student.id)
    services.enroll_student(admin, second.id, student.id)

    with pytest.raises(Invalid, match="already enrolled"):
        services.move_student(admin, student.id, first.id, second.id)

    db.session.rollback()
    assert [s.id for s, _on in services.section_roster(admin, first.id).students] == [student.id]


def test_a_school_admin_cannot_enroll_in_a_section_of_another_school(
    make_user, make_section, actor_of, district, tenant
):
    other = _other_school(district, tenant)
    principal = actor_of(make_user("school_admin"))
    section = make_section(school_id=other.id)

    with pytest.raises(NotFound):
        services.enroll_student(principal, section.id, make_user("student", school_id=other.id).id)


def test_another_districts_section_is_not_found(admin, make_section, make_district, tenant, district):
    section = make_section(district=make_district())
    tenant(district)

    with pytest.raises(NotFound):
        services.get_section(admin, section.id)


def test_a_teacher_sees_only_sections_they_teach_with_student_counts(make_user, make_section, actor_of, admin):
    teacher = make_user("teacher")
    mine = make_section("Science 6", "P3", teacher=teacher)
    make_section("History 8", "P4")
    archived = make_section("Old Science", None, teacher=teacher, is_archived=True)
    services.enroll_student(admin, mine.id, make_user("student").id)

    rows = services.my_sections(actor_of(teacher))

    assert [(r.section.id, r.student_count) for r in rows] == [(mine.id, 1), (archived.id, 0)]


def test_a_teacher_cannot_open_the_roster_of_a_section_they_do_not_teach(make_user, make_section, actor_of):
    section = make_section()

    with pytest.raises(NotFound):
        services.section_roster(actor_of(make_user("teacher")), section.id)


def test_a_guardian_sees_only_linked_students(make_user, actor_of):
    guardian = make_user("guardian")
    mine, other = make_user("student", display_name="Mine Kid"), make_user("student", display_name="Other Kid")
    _link(guardian, mine)

    actor = actor_of(guardian)

    assert [row.student.id for row in accounts.my_students(actor)] == [mine.id]
    assert services.get_student(actor, mine.id).id == mine.id
    with pytest.raises(NotFound):
        services.get_student(actor, other.id)


def test_a_student_holding_own_rights_hides_grades_from_guardians(make_user, actor_of, admin):
    guardian = make_user("guardian")
    student = make_user("student")
    _link(guardian, student)
    assert accounts.guardian_may_see_grades(guardian.id, student.id)

    accounts.set_holds_own_rights(admin, student.id, True)

    assert not accounts.guardian_may_see_grades(guardian.id, student.id)
    assert accounts.my_students(actor_of(guardian))[0].sees_grades is False


def test_linking_updates_flags_and_unlinking_removes_visibility(make_user, actor_of, admin):
    guardian, student = make_user("guardian"), make_user("student")
    accounts.link_guardian(admin, guardian.id, student.id, "parent")
    accounts.link_guardian(admin, guardian.id, student.id, "grandparent", can_see_grades=False)

    assert not accounts.guardian_may_see_grades(guardian.id, student.id)
    assert accounts.my_students(actor_of(guardian))[0].relationship == "grandparent"

    accounts.unlink_guardian(admin, guardian.id, student.id)

    with pytest.raises(NotFound):
        services.get_student(actor_of(guardian), student.id)


def test_only_guardian_accounts_can_be_linked(make_user, admin):
    with pytest.raises(Invalid, match="guardian account"):
        accounts.link_guardian(admin, make_user("teacher").id, make_user("student").id)


def test_a_school_admin_sees_only_students_of_their_schools(make_user, actor_of, district, tenant):
    other = _other_school(district, tenant)
    principal = actor_of(make_user("school_admin"))
    here, there = make_user("student"), make_user("student", school_id=other.id)

    assert services.get_student(principal, here.id).id == here.id
    with pytest.raises(NotFound):
        services.get_student(principal, there.id)


def test_the_prefix_query_strips_operators_and_quotes_each_word():
    assert accounts.prefix_tsquery("  ") is None
    assert accounts.prefix_tsquery("a & b | !c:*") == "'a':* & 'b':* & 'c':*"
    assert accounts.prefix_tsquery("O'Brien ann.lee@ex") == "'o':* & 'brien':* & 'ann.lee@ex':*"


def test_search_matches_name_and_email_prefixes(admin, make_user):
    ada = make_user("student", display_name="Ada Lovelace", email="countess@analytic.test")
    make_user("student", display_name="Grace Hopper", email="grace@navy.test")

    by_name = accounts.search_people(admin, q="lovel")
    by_email = accounts.search_people(admin, q="countess@ana")
    hostile = accounts.search_people(admin, q="a & b | !c:* ('")

    assert [r.user.id for r in by_name.rows] == [ada.id]
    assert [r.user.id for r in by_email.rows] == [ada.id]
    assert hostile.total == 0


def test_directory_filters_by_role_school_and_grade(admin, make_user, district, tenant):
    other = _other_school(district, tenant)
    seventh = make_user("student", display_name="Seventh", grade_level=7)
    make_user("student", display_name="Eighth", grade_level=8)
    make_user("student", display_name="Elsewhere", grade_level=7, school_id=other.id)
    teacher = make_user("teacher", display_name="Teacher Here")

    students = accounts.search_people(admin, role="student", school_id=district.school_id, grade=7)
    teachers = accounts.search_people(admin, role="teacher")

    assert [r.user.id for r in students.rows] == [seventh.id]
    assert teacher.id in [r.user.id for r in teachers.rows]
    assert all("teacher" in r.roles for r in teachers.rows)


def test_directory_pages_in_a_stable_order(admin, make_user):
    for _n in range(5):
        make_user("student", display_name="Same Name")

    first = accounts.search_people(admin, q="same", per_page=2)
    second = accounts.search_people(admin, q="same", page=2, per_page=2)
    beyond = accounts.search_people(admin, q="same", page=9, per_page=2)

    ids = [r.user.id for r in first.rows + second.rows]
    assert first.total == 5 and beyond.total == 5 and beyond.rows == []
    assert ids == sorted(ids)


def test_a_school_admin_directory_holds_their_schools_and_linked_guardians(make_user, actor_of, district, tenant):
    other = _other_school(district, tenant)
    principal = actor_of(make_user("school_admin"))
    student = make_user("student", display_name="Here Kid")
    guardian = make_user("guardian", display_name="Here Parent")
    _link(guardian, student)
    make_user("student", display_name="There Kid", school_id=other.id)
    make_user("guardian", display_name="Unlinked Parent")

    names = {r.user.display_name for r in accounts.search_people(principal).rows}

    assert {"Here Kid", "Here Parent"} <= names
    assert not names & {"There Kid", "Unlinked Parent"}


def test_a_teacher_has_no_directory(make_user, actor_of):
    with pytest.raises(NotFound):
        accounts.search_people(actor_of(make_user("teacher")))


def test_bulk_enroll_counts_only_rows_that_change(admin, make_user, make_section):
    section = make_section("Math 7", "P1")
    students = [make_user("student") for _ in range(3)]
    services.enroll_student(admin, section.id, students[0].id)
    teacher = make_user("teacher")

    plan = services.plan_bulk(admin, "enroll", [s.id for s in students] + [teacher.id], section.id)

    assert plan.count == 2 and plan.skipped == 2
    assert plan.question == "Enroll 2 students in Math 7 \u2013 P1?"

    message = services.apply_bulk(admin, "enroll", [s.id for s in students] + [teacher.id], section.id)

    assert message.startswith("2 students enrolled.")
    assert len(services.section_roster(admin, section.id).students) == 3


def test_bulk_move_and_drop_work_from_a_roster(admin, make_user, make_section):
    first, second = make_section("Math 7", "P1"), make_section("Math 7", "P2")
    students = [make_user("student") for _ in range(3)]
    for student in students:
        services.enroll_student(admin, first.id, student.id)

    services.apply_bulk(admin, "move", [students[0].id, students[1].id], second.id, first.id)
    services.apply_bulk(admin, "drop", [students[2].id], None, first.id)

    assert services.section_roster(admin, first.id).students == []
    assert len(services.section_roster(admin, second.id).students) == 2


def test_bulk_deactivate_spares_the_actor_and_people_outside_scope(admin, make_user, make_district, tenant, district):
    mine = make_user("teacher")
    foreign = make_user("teacher", district=make_district())
    tenant(district)

    plan = services.plan_bulk(admin, "deactivate", [mine.id, foreign.id, admin.id])
    services.apply_bulk(admin, "deactivate", [mine.id, foreign.id, admin.id])

    assert plan.count == 1
    tenant(district)
    assert db.session.get(User, mine.id).is_active is False
    assert db.session.get(User, admin.id).is_active is True


def test_bulk_needs_a_selection_and_a_known_action(admin):
    with pytest.raises(Invalid, match="Select at least one"):
        services.plan_bulk(admin, "enroll", [])
    with pytest.raises(Invalid, match="Choose an action"):
        services.plan_bulk(admin, "explode", ["1"])


def test_the_csv_export_quotes_cells_and_defuses_formulas(admin, make_user):
    evil = make_user("student", display_name='=HYPERLINK("http://x")', pronouns="+she", identifier="@id")
    comma = make_user("student", display_name="Lee, Ann")

    lines_out = services.export_people_csv(admin, [evil.id, comma.id])
    body = "".join(lines_out)

    assert isinstance(lines_out, GeneratorType)  # the view streams it line by line
    lines = body.split("\r\n")
    assert lines[0].startswith("id,display_name,given_name,family_name,email")
    assert '"\'=HYPERLINK(""http://x"")"' in body
    assert "'+she" in body and "'@id" in body
    assert '"Lee, Ann"' in body
