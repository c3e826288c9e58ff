"""Students and guardians: own work only, linked and permitted only, posted grades only; handing work in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import GuardianLink, User
from app.errors import Invalid, NotFound
from app.events.models import Event
from app.gradebook import services
from app.gradebook.models import Submission
from tests.browser import Browser
from tests.factories import PASSWORD
from tests.gradebook.conftest import ago


@pytest.fixture
def link(district):
    def _link(guardian, student, can_see_grades=True):
        db.set_tenant(district.id, None, "system")
        db.session.add(
            GuardianLink(
                district_id=district.id, guardian_id=guardian.id, student_id=student.id, can_see_grades=can_see_grades
            )
        )
        db.session.commit()

    return _link


def _graded_class(klass, assign):
    k = klass(2)
    shown = assign(k, title="Posted quiz", points_possible="10", due=ago(3))
    held = assign(k, title="Held test", points_possible="10", due=ago(2), is_held=True)
    assign(k, title="Draft", points_possible="10", due=ago(-5), publish="draft")
    for student in k.students:
        services.grade_cell(k.actor, k.id, shown.id, student.id, "9")
        services.grade_cell(k.actor, k.id, held.id, student.id, "2")
    services.set_comment(k.actor, k.id, shown.id, k.students[0].id, "Well argued.")
    return k, shown, held


def test_a_student_sees_published_work_and_posted_grades_only(klass, assign, actor_of):
    k, _shown, _held = _graded_class(klass, assign)
    work = services.student_work(actor_of(k.students[0]), k.students[0].id)
    (course,) = work.courses
    assert [i.column.title for i in course.items] == ["Posted quiz", "Held test"]  # no draft
    by_title = {i.column.title: i for i in course.items}
    assert by_title["Posted quiz"].status == "graded" and by_title["Posted quiz"].cell.comment == "Well argued."
    assert by_title["Held test"].status != "missing" and by_title["Held test"].cell.score is None
    assert course.percent == Decimal("90.00")  # the held 2/10 does not count yet
    with pytest.raises(NotFound):
        services.student_work(actor_of(k.students[0]), k.students[1].id)


def test_a_guardian_sees_a_linked_students_grades_only_where_the_link_allows(
    klass, assign, make_user, actor_of, link, district
):
    k, _shown, _held = _graded_class(klass, assign)
    allowed, refused, stranger = make_user("guardian"), make_user("guardian"), make_user("guardian")
    link(allowed, k.students[0])
    link(refused, k.students[0], can_see_grades=False)
    work = services.student_work(actor_of(allowed), k.students[0].id)
    assert work.sees_grades and work.courses[0].percent == Decimal("90.00")
    hidden = services.student_work(actor_of(refused), k.students[0].id)
    assert not hidden.sees_grades and hidden.courses == []
    with pytest.raises(NotFound):
        services.student_work(actor_of(stranger), k.students[0].id)
    with pytest.raises(NotFound):
        services.student_work(actor_of(allowed), k.students[1].id)
    db.set_tenant(district.id, None, "system")
    db.session.get(User, k.students[0].id).holds_own_rights = True
    db.session.commit()
    assert not services.student_work(actor_of(allowed), k.students[0].id).sees_grades


def test_the_pages_answer_404_to_others_and_show_the_student_their_grades(app, klass, assign, make_user):
    k, _shown, _held = _graded_class(klass, assign)
    me = Browser(app)
    me.login(k.students[0].email, PASSWORD)
    page = me.get("/gradebook/my").get_data(as_text=True)
    assert "Posted quiz" in page and "Well argued." in page and "Draft" not in page
    assert me.get(f"/gradebook/students/{k.students[1].id}").status_code == 404
    teacher = Browser(app)
    teacher.login(make_user("teacher").email, PASSWORD)
    assert teacher.get(f"/gradebook/students/{k.students[0].id}").status_code == 404


def test_a_student_hands_in_text_and_a_resubmission_keeps_the_first(klass, assign, actor_of):
    k = klass(1)
    essay = assign(k, title="Essay", points_possible="10", submission_type="text", due=ago(-2))
    me = actor_of(k.students[0])
    services.submit_work(me, essay.id, "<p>First draft</p>")
    services.submit_work(me, essay.id, "<p>Second draft</p>")
    attempts = db.session.scalars(select(Submission).where(Submission.assignment_id == essay.id)).all()
    assert sorted(s.attempt for s in attempts) == [1, 2]
    events = db.session.scalars(select(Event).where(Event.type == "submission.created").order_by(Event.id)).all()
    assert [e.payload["attempt"] for e in events] == [1, 2] and not events[0].payload["late"]
    with pytest.raises(Invalid) as empty:
        services.submit_work(me, essay.id, "<p> </p>")
    assert "body" in empty.value.fields
    page = services.work_page(me, essay.id)
    assert [s.attempt for s in page.attempts] == [2, 1]


def test_after_the_lock_time_nothing_is_handed_in(klass, assign, actor_of):
    k = klass(1)
    essay = assign(k, title="Essay", points_possible="10", submission_type="text", due=ago(3), lock=ago(1))
    with pytest.raises(Invalid) as locked:
        services.submit_work(actor_of(k.students[0]), essay.id, "<p>Late</p>")
    assert "locked" in locked.value.fields["body"]
    services.set_override(k.actor, essay.id, k.students[0].id, due=ago(-1), lock=ago(-2))
    services.submit_work(actor_of(k.students[0]), essay.id, "<p>With an extension</p>")


def test_a_file_must_be_what_its_name_says_and_not_too_large(klass, assign, actor_of, monkeypatch):
    k = klass(1)
    upload = assign(k, title="Poster", points_possible="10", submission_type="file", due=ago(-2))
    me = actor_of(k.students[0])
    with pytest.raises(Invalid) as mislabelled:
        services.submit_work(me, upload.id, upload=("poster.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100))
    assert "does not match" in mislabelled.value.fields["upload"]
    with pytest.raises(Invalid):
        services.submit_work(me, upload.id, upload=("run.exe", b"MZ\x90\x00"))
    monkeypatch.setattr("app.gradebook.services.submissions.MAX_FILE_BYTES", 1000)
    with pytest.raises(Invalid) as large:
        services.submit_work(me, upload.id, upload=("notes.txt", b"a" * 2000))
    assert "larger" in large.value.fields["upload"]
    saved = services.submit_work(me, upload.id, upload=("poster.pdf", b"%PDF-1.7\n" + b"0" * 100))
    assert saved.file_type == "application/pdf" and saved.file_size == 109
    _row, data = services.submission_file(k.actor, saved.id)
    assert data.startswith(b"%PDF")
    with pytest.raises(NotFound):
        other = klass(1)
        services.submission_file(actor_of(other.students[0]), saved.id)
