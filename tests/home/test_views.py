"""The home page shows each role its own real data, and nothing of anyone else's."""

from __future__ import annotations

import re
import uuid

from app import db
from app.accounts.models import GuardianLink, Membership
from app.jobruns.models import JobRun
from app.org.models import School


def _stat(html: str, label: str) -> int:
    match = re.search(rf'stat-card__label">{label}</span>\s*<span class="stat-card__value">([\d,]+)</span>', html)
    assert match, f"no {label} stat on the page"
    return int(match.group(1).replace(",", ""))


def _school(tenant, district, name: str) -> int:
    tenant(district)
    school = School(district_id=district.id, name=name, code=uuid.uuid4().hex[:6], grade_low=6, grade_high=8)
    db.session.add(school)
    db.session.commit()
    return school.id


def _link(tenant, district, guardian, student) -> None:
    tenant(district)
    db.session.add(
        GuardianLink(district_id=district.id, guardian_id=guardian.id, student_id=student.id, relationship="parent")
    )
    db.session.commit()


def test_anonymous_visitors_are_sent_to_sign_in(browser):
    response = browser.get("/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"


def test_a_district_admin_sees_the_districts_own_counts(as_user, make_user, make_district):
    admin, _user = as_user("district_admin")
    for role, count in (("teacher", 2), ("student", 3), ("guardian", 1)):
        for _ in range(count):
            make_user(role)
    elsewhere = make_district()
    for _ in range(4):
        make_user("student", district=elsewhere)

    html = admin.get("/").get_data(as_text=True)

    assert (_stat(html, "Schools"), _stat(html, "Teachers"), _stat(html, "Students"), _stat(html, "Guardians")) == (
        1,
        2,
        3,
        1,
    )


def test_a_teacher_in_two_schools_is_counted_once(as_user, make_user, tenant, district):
    admin, _user = as_user("district_admin")
    teacher = make_user("teacher")
    second = _school(tenant, district, "Second Middle School")
    db.session.add(Membership(district_id=district.id, user_id=teacher.id, school_id=second, role="teacher"))
    db.session.commit()

    html = admin.get("/").get_data(as_text=True)

    assert _stat(html, "Teachers") == 1
    assert _stat(html, "Schools") == 2


def test_a_school_admin_sees_counts_of_their_own_school_only(as_user, make_user, tenant, district):
    principal, _user = as_user("school_admin")
    make_user("teacher")
    other = _school(tenant, district, "Other Middle School")
    make_user("teacher", school_id=other)
    make_user("student", school_id=other)

    html = principal.get("/").get_data(as_text=True)

    assert (_stat(html, "Schools"), _stat(html, "Teachers"), _stat(html, "Students")) == (1, 1, 0)
    assert "Other Middle School" not in html


def test_a_teacher_sees_their_school_and_not_the_others(as_user, tenant, district):
    _school(tenant, district, "Not My Middle School")
    teacher, _user = as_user("teacher")

    html = teacher.get("/").get_data(as_text=True)

    assert f"School of {district.slug}" in html
    assert "Not My Middle School" not in html
    assert "stat-card" not in html


def test_a_guardian_sees_linked_students_and_not_others(as_user, make_user, tenant, district):
    guardian_client, guardian = as_user("guardian")
    linked = make_user("student", display_name="Linked Kid")
    make_user("student", display_name="Unlinked Kid")
    _link(tenant, district, guardian, linked)

    html = guardian_client.get("/").get_data(as_text=True)

    assert "Linked Kid" in html
    assert "Unlinked Kid" not in html


def test_a_guardian_without_links_sees_the_empty_state(as_user):
    client, _user = as_user("guardian")

    assert "No students linked" in client.get("/").get_data(as_text=True)


def test_a_student_sees_their_guardian_and_not_other_guardians(as_user, make_user, tenant, district):
    student_client, student = as_user("student")
    parent = make_user("guardian", display_name="Jordan Parent")
    make_user("guardian", display_name="Somebody Else")
    _link(tenant, district, parent, student)

    html = student_client.get("/").get_data(as_text=True)

    assert "Jordan Parent" in html
    assert "Somebody Else" not in html
    assert f"School of {district.slug}" in html


def test_the_home_page_lists_only_the_users_own_background_tasks(as_user, make_user, tenant, district):
    client, user = as_user("teacher")
    other = make_user("teacher")
    tenant(district)
    mine = JobRun(district_id=district.id, user_id=user.id, kind="mail.invitations", status="done")
    theirs = JobRun(district_id=district.id, user_id=other.id, kind="mail.invitations", status="done")
    db.session.add_all([mine, theirs])
    db.session.commit()

    html = client.get("/").get_data(as_text=True)

    assert f'href="/jobs/{mine.id}"' in html
    assert f'href="/jobs/{theirs.id}"' not in html


def test_a_district_admin_sees_recent_activity_of_the_district_only(as_user, make_district, tenant):
    from app.events.models import Event

    admin, _user = as_user("district_admin")
    elsewhere = make_district()
    tenant(elsewhere)
    db.session.add(Event(district_id=elsewhere.id, type="test.foreign_activity", payload={}))
    db.session.commit()

    html = admin.get("/").get_data(as_text=True)

    assert "<code>user.signed_in</code>" in html
    assert "test.foreign_activity" not in html
