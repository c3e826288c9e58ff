"""Late and missing are computed, never typed, and never outside the student's enrollment."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app import db
from app.gradebook import services
from app.gradebook.models import GradingPolicy, Submission
from app.rosters.models import Enrollment
from tests.gradebook.conftest import ago


def _cell(book, student_id, assignment_id):
    row = next(i for i, r in enumerate(book.rows) if r.student_id == student_id)
    return book.cells[row][book.column_index(assignment_id)]


def test_work_past_due_with_nothing_handed_in_is_missing_and_counts_as_zero(klass, assign):
    k = klass(2)
    past = assign(k, title="Past", points_possible="10", due=ago(3))
    future = assign(k, title="Future", points_possible="10", due=ago(-3))
    services.grade_cell(k.actor, k.id, past.id, k.students[1].id, "10")
    book = services.load_book(k.actor, k.section)
    assert _cell(book, k.students[0].id, past.id).missing
    assert not _cell(book, k.students[0].id, future.id).missing
    assert not _cell(book, k.students[1].id, past.id).missing
    assert book.rows[0].percent == Decimal("0.00") and book.rows[0].missing_count == 1


def test_a_student_who_joined_later_has_no_missing_work_from_before(
    klass, assign, make_user, make_enrollment, district
):
    k = klass(1)
    early = assign(k, title="Week 1", points_possible="10", due=ago(30))
    late = assign(k, title="Week 6", points_possible="10", due=ago(2))
    newcomer = make_user("student", family_name="Zed", given_name="Newcomer")
    make_enrollment(district.id, k.id, newcomer.id, date.today() - timedelta(days=10))
    book = services.load_book(k.actor, k.section)
    early_cell = _cell(book, newcomer.id, early.id)
    assert not early_cell.missing and not early_cell.applies
    assert _cell(book, newcomer.id, late.id).missing
    row = next(r for r in book.rows if r.student_id == newcomer.id)
    assert row.missing_count == 1 and row.joined_late
    # Only the week-6 zero counts: 0 of 10, not 0 of 20.
    services.grade_cell(k.actor, k.id, late.id, newcomer.id, "5")
    row = next(r for r in services.load_book(k.actor, k.section).rows if r.student_id == newcomer.id)
    assert row.percent == Decimal("50.00")


def test_work_due_after_a_student_dropped_is_not_missing(klass, assign, district):
    k = klass(1)
    before = assign(k, title="Before", points_possible="10", due=ago(20))
    after = assign(k, title="After", points_possible="10", due=ago(2))
    db.set_tenant(district.id, None, "system")
    enrollment = db.session.query(Enrollment).filter_by(section_id=k.id, student_id=k.students[0].id).one()
    enrollment.dropped_on = date.today() - timedelta(days=10)
    db.session.commit()
    book = services.load_book(k.actor, k.section, include_dropped=True)
    assert _cell(book, k.students[0].id, before.id).missing
    assert not _cell(book, k.students[0].id, after.id).missing
    assert services.load_book(k.actor, k.section).rows == []  # the grid shows the students in the class


def test_an_exemption_and_an_extension_stop_missing(klass, assign):
    k = klass(2)
    quiz = assign(k, points_possible="10", due=ago(3))
    services.set_override(k.actor, quiz.id, k.students[0].id, exempt=True)
    services.set_override(k.actor, quiz.id, k.students[1].id, due=ago(-2))
    book = services.load_book(k.actor, k.section)
    exempt, extended = _cell(book, k.students[0].id, quiz.id), _cell(book, k.students[1].id, quiz.id)
    assert exempt.exempt and not exempt.missing and not exempt.applies
    assert not extended.missing
    assert book.rows[0].percent is None


def test_not_counted_until_lock_leaves_missing_work_out_before_the_lock(klass, assign, district):
    k = klass(1)
    db.set_tenant(district.id, None, "system")
    db.session.add(GradingPolicy(district_id=district.id, missing_counts_as="not_counted_until_lock"))
    db.session.commit()
    open_ = assign(k, title="Open", points_possible="10", due=ago(3), lock=ago(-3))
    assign(k, title="Locked", points_possible="10", due=ago(5), lock=ago(4))
    graded = assign(k, title="Graded", points_possible="10", due=ago(5))
    services.grade_cell(k.actor, k.id, graded.id, k.students[0].id, "8")
    book = services.load_book(k.actor, k.section)
    assert _cell(book, k.students[0].id, open_.id).missing
    # Graded 8/10 plus the locked zero: 8/20; the open one does not count yet.
    assert book.rows[0].percent == Decimal("40.00")


def test_late_work_loses_the_penalty_per_school_day_down_to_the_floor(klass, assign, district):
    k = klass(1)
    db.set_tenant(district.id, None, "system")
    db.session.add(GradingPolicy(district_id=district.id, late_penalty_per_day=Decimal(10), late_floor=Decimal(50)))
    db.session.commit()
    essay = assign(k, title="Essay", points_possible="100", submission_type="text", due=ago(30))
    db.session.add(
        Submission(
            district_id=district.id,
            assignment_id=essay.id,
            section_id=k.id,
            student_id=k.students[0].id,
            attempt=1,
            body={"blocks": []},
        )
    )
    db.session.commit()
    services.grade_cell(k.actor, k.id, essay.id, k.students[0].id, "90")
    book = services.load_book(k.actor, k.section)
    cell = _cell(book, k.students[0].id, essay.id)
    assert cell.late_days >= 15 and not cell.missing
    assert book.rows[0].percent == Decimal("45.00")  # 90 at the 50 % floor
