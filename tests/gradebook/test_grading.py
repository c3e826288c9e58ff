"""Grading cells: what a typed value means, what is refused, history, posting and events."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.events.models import Event
from app.gradebook import services
from app.gradebook.models import Grade, GradeHistory
from tests.gradebook.conftest import ago


def _grade(assignment_id, student_id):
    return db.session.scalar(select(Grade).where(Grade.assignment_id == assignment_id, Grade.student_id == student_id))


def _events(kind):
    return list(db.session.scalars(select(Event).where(Event.type == kind).order_by(Event.id)))


def test_a_typed_score_is_saved_and_recomputes_the_students_grade(klass, assign):
    k = klass(2)
    quiz = assign(k, points_possible="20", due=ago(2))
    saved = services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "15")
    assert _grade(quiz.id, k.students[0].id).score == Decimal("15.00")
    (row,) = saved.book.rows
    assert row.student_id == k.students[0].id
    assert row.percent == Decimal("75.00")
    assert row.letter == "C"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("21", "The most this assignment gives is 20 points."),
        ("-1", "A score cannot be negative."),
        ("ten", "Enter a number, EX for excused or M for missing."),
        ("120%", "The most this assignment gives is 20 points."),
    ],
)
def test_a_refused_value_says_why_and_changes_nothing(klass, assign, typed, message):
    k = klass(1)
    quiz = assign(k, points_possible="20", due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "12")
    with pytest.raises(Invalid) as refused:
        services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, typed)
    assert refused.value.fields == {"value": message}
    assert _grade(quiz.id, k.students[0].id).score == Decimal("12.00")


def test_extra_credit_allows_a_score_above_the_points(klass, assign):
    k = klass(1)
    quiz = assign(k, points_possible="10", allows_extra_credit=True, due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "12")
    assert _grade(quiz.id, k.students[0].id).score == Decimal("12.00")


def test_percent_letter_and_complete_types_store_points(klass, assign):
    k = klass(1)
    student = k.students[0].id
    percent = assign(k, title="P", points_possible="50", grading_type="percent", due=ago(2))
    letter = assign(k, title="L", points_possible="100", grading_type="letter", due=ago(2))
    done = assign(k, title="C", points_possible="5", grading_type="complete_incomplete", due=ago(2))
    services.grade_cell(k.actor, k.id, percent.id, student, "80")
    services.grade_cell(k.actor, k.id, letter.id, student, "b+")
    services.grade_cell(k.actor, k.id, done.id, student, "c")
    assert _grade(percent.id, student).score == Decimal("40.00")
    letter_grade = _grade(letter.id, student)
    assert (letter_grade.letter, letter_grade.score) == ("B+", Decimal("90.00"))
    assert _grade(done.id, student).score == Decimal("5.00")
    with pytest.raises(Invalid):
        services.grade_cell(k.actor, k.id, letter.id, student, "Q")


def test_excused_and_missing_are_typed_as_codes(klass, assign):
    k = klass(1)
    student = k.students[0].id
    quiz = assign(k, points_possible="10", due=ago(2))
    other = assign(k, title="Other", points_possible="10", due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, student, "EX")
    saved = services.grade_cell(k.actor, k.id, other.id, student, "8")
    assert _grade(quiz.id, student).is_excused
    # Excused leaves numerator and denominator: 8 of 10.
    assert saved.book.rows[0].percent == Decimal("80.00")
    saved = services.grade_cell(k.actor, k.id, quiz.id, student, "M")
    assert _grade(quiz.id, student).is_marked_missing and not _grade(quiz.id, student).is_excused
    assert saved.book.rows[0].percent == Decimal("40.00")  # missing counts as zero by default


def test_every_change_keeps_who_when_old_and_new(klass, assign):
    k = klass(1)
    student = k.students[0].id
    quiz = assign(k, points_possible="10", due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, student, "7")
    services.grade_cell(k.actor, k.id, quiz.id, student, "9")
    services.grade_cell(k.actor, k.id, quiz.id, student, "9")  # no change, no history row
    services.set_comment(k.actor, k.id, quiz.id, student, "Much better.")
    rows = list(
        db.session.scalars(select(GradeHistory).where(GradeHistory.assignment_id == quiz.id).order_by(GradeHistory.id))
    )
    assert [(r.old and r.old["score"], r.new["score"]) for r in rows] == [(None, "7"), ("7", "9"), ("9", "9")]
    assert rows[-1].new["comment"] == "Much better."
    assert {r.changed_by for r in rows} == {k.teacher.id}
    detail = services.cell_detail(k.actor, k.id, quiz.id, student)
    assert [h.new["score"] for h, _who, _approver in detail.history] == ["9", "9", "7"]


def test_only_the_sections_teachers_grade(klass, assign, make_actor):
    k = klass(1)
    quiz = assign(k, points_possible="10", due=ago(2))
    other_teacher = make_actor("teacher")
    with pytest.raises(NotFound):
        services.grade_cell(other_teacher, k.id, quiz.id, k.students[0].id, "5")
    outsider = klass(1)
    with pytest.raises(NotFound):  # a student of another section
        services.grade_cell(k.actor, k.id, quiz.id, outsider.students[0].id, "5")


def test_a_grade_is_posted_once_then_changed_and_events_carry_ids(klass, assign):
    k = klass(1)
    student = k.students[0].id
    quiz = assign(k, points_possible="10", due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, student, "7")
    services.grade_cell(k.actor, k.id, quiz.id, student, "8")
    (posted,) = _events("grade.posted")
    (changed,) = _events("grade.changed")
    assert posted.payload == {"assignment_id": quiz.id, "section_id": k.id, "student_id": student}
    assert changed.payload["posted"] is True
    (published,) = _events("assignment.published")
    assert published.subject_id == quiz.id and published.payload["section_ids"] == [k.id]


def test_a_held_column_posts_only_when_the_teacher_posts_it(klass, assign):
    k = klass(2)
    quiz = assign(k, points_possible="10", is_held=True, due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "7")
    assert _grade(quiz.id, k.students[0].id).posted_at is None
    assert _events("grade.posted") == []
    assert services.post_grades(k.actor, quiz.id) == 1
    assert _grade(quiz.id, k.students[0].id).posted_at is not None
    assert [e.payload["student_id"] for e in _events("grade.posted")] == [k.students[0].id]


def test_fill_column_sets_the_empty_cells_only(klass, assign):
    k = klass(3)
    quiz = assign(k, points_possible="10", due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "4")
    assert services.fill_column(k.actor, k.id, quiz.id, "10") == 2
    assert [_grade(quiz.id, s.id).score for s in k.students] == [Decimal("4.00"), Decimal("10.00"), Decimal("10.00")]
    with pytest.raises(Invalid):
        services.fill_column(k.actor, k.id, quiz.id, "11")


def test_enter_column_saves_the_good_values_and_reports_the_refused(klass, assign):
    k = klass(3)
    quiz = assign(k, points_possible="10", due=ago(2))
    problems = services.enter_column(
        k.actor, k.id, quiz.id, {k.students[0].id: "9", k.students[1].id: "99", k.students[2].id: ""}
    )
    assert problems == {k.students[1].id: "The most this assignment gives is 10 points."}
    assert _grade(quiz.id, k.students[0].id).score == Decimal("9.00")
    assert _grade(quiz.id, k.students[1].id) is None
    assert _grade(quiz.id, k.students[2].id) is None
