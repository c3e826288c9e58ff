"""The access audit and the disclosure record: append-only for the app role, written by the student pages."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from app import db
from app.audit import services as audit
from app.errors import Invalid


@pytest.fixture
def staff_and_student(make_user, make_section, make_enrollment, actor_of):
    teacher = make_user("teacher")
    student = make_user("student", display_name="Audit Student")
    section = make_section(teacher=teacher)
    from datetime import date

    make_enrollment(student.district_id, section.id, student.id, date(2026, 9, 1))
    return actor_of(teacher), student, section


def _rows(student_id):
    return db.session.execute(
        text("select actor_id, what, purpose, detail, origin from access_audit where student_id = :s order by id"),
        {"s": student_id},
    ).all()


@pytest.mark.parametrize("statement", ["update {t} set student_id = null", "delete from {t}", "truncate {t}"])
@pytest.mark.parametrize("table", ["access_audit", "disclosures"])
def test_the_app_role_cannot_change_or_remove_rows_of_either_log(staff_and_student, table, statement):
    teacher, student, _section = staff_and_student
    audit.record_access(teacher, student.id, "student.record")
    audit.record_disclosure(teacher, student.id, "Lincoln High", "transfer_school", "Enrolling there", "Transcript")
    db.session.commit()
    with pytest.raises(ProgrammingError, match="permission denied"), db.session.begin_nested():
        db.session.execute(text(statement.format(t=table)))


def test_an_access_is_written_when_the_session_commits_with_who_what_why_and_where(staff_and_student):
    teacher, student, _section = staff_and_student
    audit.set_origin("cli")
    audit.record_access(teacher, student.id, "student.export", "records_request", "request 7")
    assert _rows(student.id) == []
    db.session.commit()
    assert _rows(student.id) == [(teacher.id, "student.export", "records_request", "request 7", "cli")]


def test_an_access_survives_a_rolled_back_change(staff_and_student):
    teacher, student, _section = staff_and_student
    audit.record_access(teacher, student.id, "student.record")
    db.session.rollback()
    db.set_tenant(student.district_id, teacher.id, "teacher")
    assert audit.flush_pending() == 1
    assert len(_rows(student.id)) == 1


def test_students_and_guardians_reading_their_own_records_are_not_audited(make_actor, staff_and_student):
    _teacher, student, _section = staff_and_student
    guardian = make_actor("guardian")
    audit.record_access(guardian, student.id, "student.record")
    db.session.commit()
    assert _rows(student.id) == []


def test_an_unknown_purpose_is_a_programming_error(staff_and_student):
    teacher, student, _section = staff_and_student
    with pytest.raises(ValueError, match="purpose"):
        audit.record_access(teacher, student.id, "student.record", purpose="curiosity")


def test_the_student_page_and_the_roster_and_its_csv_are_audited(app, make_user, make_section, make_enrollment):
    from datetime import date

    from tests.browser import Browser

    teacher = make_user("teacher")
    student = make_user("student")
    section = make_section(teacher=teacher)
    make_enrollment(student.district_id, section.id, student.id, date(2026, 9, 1))
    client = Browser(app)
    client.login(teacher.email, "correct horse battery")
    assert client.get(f"/rosters/students/{student.id}").status_code == 200
    assert client.get(f"/rosters/sections/{section.id}").status_code == 200
    response = client.post(
        "/rosters/people/bulk/apply",
        {"action": "export", "user_ids": [student.id], "from_section_id": section.id},
    )
    assert response.status_code == 200
    db.set_tenant(student.district_id, None, "system")
    rows = _rows(student.id)
    assert [(r.actor_id, r.what, r.purpose) for r in rows] == [
        (teacher.id, "student.record", "instruction"),
        (teacher.id, "section.roster", "instruction"),
        (teacher.id, "people.csv", "administration"),
    ]
    assert rows[0].origin.endswith("rosters.show_student")
    assert rows[1].detail == f"section {section.id}"


def test_disclosures_to_school_officials_and_parents_are_not_recorded(staff_and_student):
    teacher, student, _section = staff_and_student
    for kind in ("school_official", "parent", "eligible_student", "written_consent", "directory_information"):
        assert audit.record_disclosure(teacher, student.id, "x", kind, "y", "z") is None
    made = audit.record_disclosure(teacher, student.id, "State of Ohio", "state", "State reporting", "Enrollment")
    db.session.commit()
    assert [d.id for d in audit.disclosures_of(student.id)] == [made.id]


def test_a_disclosure_without_party_interest_or_contents_is_refused(staff_and_student):
    teacher, student, _section = staff_and_student
    with pytest.raises(Invalid) as refused:
        audit.record_disclosure(teacher, student.id, " ", "state", "", "")
    assert set(refused.value.fields) == {"party", "legitimate_interest", "what_disclosed"}


def test_the_logs_forget_a_student_only_while_their_deletion_runs(staff_and_student):
    teacher, student, _section = staff_and_student
    audit.record_access(teacher, student.id, "student.record")
    audit.record_disclosure(teacher, student.id, "Lincoln High", "transfer_school", "Enrolling", "Transcript")
    db.session.commit()
    with pytest.raises(ProgrammingError, match="no running deletion"), db.session.begin_nested():
        audit.forget_student(student.id)
    db.session.execute(
        text(
            "insert into deletions (district_id, student_id, basis, status)"
            " values (:d, :s, 'district_policy', 'running')"
        ),
        {"d": student.district_id, "s": student.id},
    )
    assert audit.forget_student(student.id) == 2
    assert _rows(student.id) == []
    assert audit.disclosures_of(student.id) == []
