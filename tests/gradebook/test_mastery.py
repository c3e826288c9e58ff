"""Standards mastery per student and standard, by the district's method, never in the percent."""

from __future__ import annotations

from decimal import Decimal

from app import db
from app.gradebook import services
from app.gradebook.models import Assignment, GradingPolicy
from tests.gradebook.conftest import ago


def test_mastery_follows_the_districts_method_and_stays_out_of_the_percent(klass, assign, district):
    k = klass(1)
    first = assign(k, title="Check 1", grading_type="mastery", points_possible="4", due=ago(10))
    second = assign(k, title="Check 2", grading_type="mastery", points_possible="4", due=ago(5))
    quiz = assign(k, title="Quiz", points_possible="10", due=ago(3))
    db.set_tenant(district.id, None, "system")
    for work, standards in ((first, [101, 102]), (second, [101])):
        db.session.get(Assignment, work.id).standard_ids = standards
    db.session.commit()
    student = k.students[0].id
    services.grade_cell(k.actor, k.id, first.id, student, "2")
    services.grade_cell(k.actor, k.id, second.id, student, "4")
    saved = services.grade_cell(k.actor, k.id, quiz.id, student, "7")
    assert saved.book.rows[0].percent == Decimal("70.00")  # mastery levels are not in the percent
    report = services.mastery_report(k.actor, k.id)
    assert report.standard_ids == [101, 102] and report.method == "most_recent"
    assert report.rows[0][1] == {101: Decimal("4.00"), 102: Decimal("2.00")}
    db.set_tenant(district.id, None, "system")
    db.session.add(GradingPolicy(district_id=district.id, mastery_method="mean"))
    db.session.commit()
    assert services.mastery_report(k.actor, k.id).rows[0][1][101] == Decimal("3.00")
