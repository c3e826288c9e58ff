"""The guardians' digest end to end: gradebook news, guardian links and rights, one message per guardian."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app import db
from app.accounts.models import GuardianLink
from app.gradebook import services
from app.gradebook.digest import send_digests
from app.identity.data import SystemActor
from app.notifications.models import MailMessage, Notification
from app.rosters.models import Enrollment
from tests.gradebook.conftest import TERM_START, ago


def _link(district, guardian, student, **flags):
    db.set_tenant(district.id, None, "system")
    db.session.add(GuardianLink(district_id=district.id, guardian_id=guardian.id, student_id=student.id, **flags))
    db.session.commit()


def _mail(user) -> list[MailMessage]:
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to_address == user.email)))


def _school(k, assign, sibling_section, district):
    """Two students in one section, the first also in a second section; graded, missing and due-soon work."""
    first, second = k.students
    other = sibling_section(k, name="Science 7 P2")
    db.session.add(Enrollment(district_id=district.id, section_id=other.id, student_id=first.id, added_on=TERM_START))
    db.session.commit()
    db.set_tenant(district.id, k.teacher.id, "teacher")
    quiz = assign(k, title="Fractions quiz", points_possible="10", due=ago(2))
    assign(k, title="Homework 4", points_possible="10", due=ago(3))
    assign(k, title="Lab report", points_possible="20", due=ago(2), sections=[other.id])
    assign(k, title="Book report", points_possible="10", due=ago(-1))
    for student in k.students:
        services.grade_cell(k.actor, k.id, quiz.id, student.id, "8.5")
    return first, second


def test_one_message_per_guardian_covers_every_student_and_section(klass, assign, sibling_section, make_user, district):
    k = klass(2)
    first, second = _school(k, assign, sibling_section, district)
    parent = make_user("guardian", display_name="Pat Parent")
    _link(district, parent, first)
    _link(district, parent, second)

    result = send_digests(SystemActor(district.id), now=datetime.now(UTC) + timedelta(seconds=1))

    assert (result["guardians"], result["email"]) == (1, 1)
    (mail,) = _mail(parent)
    body = mail.body_text
    assert body.count("== Ann 0 ==") == 1 and body.count("== Ann 1 ==") == 1
    assert "- Math 7: Fractions quiz (8.5 / 10)" in body
    assert "- Math 7: Homework 4 (was due" in body
    assert "- Science 7 P2: Lab report (was due" in body  # the first student's second section
    assert body.count("Book report (due") == 2
    assert body.index("== Ann 0 ==") < body.index("Lab report") < body.index("== Ann 1 ==")


def test_a_guardian_without_grade_rights_hears_of_missing_and_due_work_but_no_grades(
    klass, assign, sibling_section, make_user, district
):
    k = klass(2)
    first, _second = _school(k, assign, sibling_section, district)
    barred = make_user("guardian")
    _link(district, barred, first, can_see_grades=False)

    send_digests(SystemActor(district.id), now=datetime.now(UTC) + timedelta(seconds=1))

    (mail,) = _mail(barred)
    assert "Fractions quiz" not in mail.body_text and "New grades" not in mail.body_text
    assert "Homework 4" in mail.body_text and "Book report" in mail.body_text


def test_no_missing_work_from_before_a_student_joined_and_no_message_without_news(klass, assign, make_user, district):
    k = klass(0)
    assign(k, title="Before joining", points_possible="10", due=ago(6))
    assign(k, title="After joining", points_possible="10", due=ago(1))
    newcomer, quiet = make_user("student"), make_user("student")
    db.session.add(
        Enrollment(
            district_id=district.id, section_id=k.id, student_id=newcomer.id, added_on=date.today() - timedelta(3)
        )
    )
    db.session.commit()
    parent, other = make_user("guardian"), make_user("guardian")
    _link(district, parent, newcomer)
    _link(district, other, quiet)

    result = send_digests(SystemActor(district.id), now=datetime.now(UTC))

    assert result["guardians"] == 1
    (mail,) = _mail(parent)
    assert "After joining" in mail.body_text and "Before joining" not in mail.body_text
    assert _mail(other) == []


def test_the_digest_is_in_the_guardians_language_and_a_rerun_sends_nothing(
    klass, assign, sibling_section, make_user, district
):
    k = klass(2)
    first, _second = _school(k, assign, sibling_section, district)
    parent = make_user("guardian", locale="es")
    _link(district, parent, first)
    now = datetime.now(UTC) + timedelta(seconds=1)

    send_digests(SystemActor(district.id), now=now)
    again = send_digests(SystemActor(district.id), now=now + timedelta(hours=1))

    (mail,) = _mail(parent)
    assert mail.subject.startswith("Resumen diario del ")
    assert "Calificaciones nuevas:" in mail.body_text and "Trabajos pendientes:" in mail.body_text
    assert again["already_sent"] is True
    assert len(db.session.scalars(select(Notification).where(Notification.user_id == parent.id)).all()) == 1


def test_the_job_runs_the_digest_of_one_district(klass, assign, sibling_section, make_user, district):
    from jobs.digest import send_district_digest

    k = klass(2)
    first, _second = _school(k, assign, sibling_section, district)
    parent = make_user("guardian")
    _link(district, parent, first)

    result = send_district_digest(district.id, "America/New_York")

    assert result["email"] == 1
    db.set_tenant(district.id, None, "system")
    assert len(_mail(parent)) == 1


def test_a_posted_grade_reaches_the_student_inbox_once_through_the_event_outbox(klass, assign, district):
    from app.events.services import dispatch_events
    from app.notifications import services as notifications

    k = klass(2)
    quiz = assign(k, title="Fractions quiz", points_possible="10", due=ago(2))
    held = assign(k, title="Held quiz", points_possible="10", due=ago(2), is_held=True)
    first, second = k.students
    services.grade_cell(k.actor, k.id, quiz.id, first.id, "9")
    services.grade_cell(k.actor, k.id, quiz.id, first.id, "9.5")
    services.grade_cell(k.actor, k.id, held.id, second.id, "7")

    db.set_tenant(district.id, None, "system")
    dispatch_events(district.id)

    rows = db.session.scalars(select(Notification).where(Notification.type == "grade_posted")).all()
    assert [(r.user_id, r.title, r.link) for r in rows] == [
        (first.id, "New grade: Fractions quiz", f"/gradebook/work/{quiz.id}")
    ]
    assert all(r.mail_message_id is None for r in rows)  # in the inbox only, unless the student chose email
    assert notifications.channels_for([first.id], "grade_posted") == {first.id: (True, False)}
