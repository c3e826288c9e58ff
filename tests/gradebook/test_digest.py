"""digest_items: what the guardians' digest says per student, bounded by enrollment, posted grades only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app import db
from app.gradebook import services
from tests.gradebook.conftest import ago


def test_the_digest_lists_new_posted_grades_missing_work_and_work_due_soon(klass, assign, district):
    k = klass(2)
    first, second = k.students
    graded = assign(k, title="Graded quiz", points_possible="10", due=ago(2))
    held = assign(k, title="Held quiz", points_possible="10", due=ago(2), is_held=True)
    missing = assign(k, title="Missing homework", points_possible="10", due=ago(3))
    assign(k, title="Old homework", points_possible="10", due=ago(40))  # missing, but outside the window
    soon = assign(k, title="Due tomorrow", points_possible="10", due=ago(-1))
    assign(k, title="Draft", points_possible="10", due=ago(-1), publish="draft")
    for student in k.students:
        services.grade_cell(k.actor, k.id, graded.id, student.id, "8")
        services.grade_cell(k.actor, k.id, held.id, student.id, "5")
    services.grade_cell(k.actor, k.id, missing.id, second.id, "EX")
    now = datetime.now(UTC)
    db.set_tenant(district.id, None, "system")
    news = services.digest_items(district.id, now - timedelta(days=1), now + timedelta(seconds=1))
    mine = {(i.kind, i.title) for i in news[first.id].items}
    assert mine == {("graded", "Graded quiz"), ("missing", "Missing homework"), ("due_soon", "Due tomorrow")}
    (grade,) = [i for i in news[first.id].items if i.kind == "graded"]
    assert (grade.score, grade.points_possible, grade.assignment_id, grade.section_id) == (8, 10, graded.id, k.id)
    assert news[first.id].student_name == first.display_name
    # Excused work is not missing.
    assert ("missing", "Missing homework") not in {(i.kind, i.title) for i in news[second.id].items}
    assert soon.id in {i.assignment_id for i in news[second.id].items}
    only = services.digest_items(district.id, now - timedelta(days=1), now, student_ids=[second.id])
    assert set(only) == {second.id}


def test_a_student_who_joined_later_gets_no_missing_work_from_before(
    klass, assign, make_user, make_enrollment, district
):
    k = klass(0)
    assign(k, title="Before joining", points_possible="10", due=ago(6))
    assign(k, title="After joining", points_possible="10", due=ago(1))
    newcomer = make_user("student")
    make_enrollment(district.id, k.id, newcomer.id, date.today() - timedelta(days=3))
    now = datetime.now(UTC)
    db.set_tenant(district.id, None, "system")
    news = services.digest_items(district.id, now - timedelta(days=1), now)
    assert [i.title for i in news[newcomer.id].items if i.kind == "missing"] == ["After joining"]
