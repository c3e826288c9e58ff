"""Grading periods, term grades, overrides, term close and changes after lock with an admin's approval."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.events.models import Event
from app.gradebook import services
from app.gradebook.models import Grade, GradeHistory, GradingPeriod
from tests.gradebook.conftest import ago


def _periods(district, term_id, locks_first_on=None):
    db.set_tenant(district.id, None, "system")
    today = date.today()
    q1 = GradingPeriod(
        district_id=district.id,
        term_id=term_id,
        name="Q1",
        starts_on=date(2026, 8, 1),
        ends_on=today - timedelta(days=20),
        weight=Decimal(40),
        locks_on=locks_first_on or today + timedelta(days=10),
    )
    q2 = GradingPeriod(
        district_id=district.id,
        term_id=term_id,
        name="Q2",
        starts_on=today - timedelta(days=19),
        ends_on=today + timedelta(days=5),
        weight=Decimal(40),
    )
    final = GradingPeriod(
        district_id=district.id,
        term_id=term_id,
        name="Final",
        starts_on=today + timedelta(days=6),
        ends_on=date(2026, 12, 20),
        weight=Decimal(20),
    )
    db.session.add_all([q1, q2, final])
    db.session.commit()
    return q1, q2, final


def test_a_term_grade_combines_periods_at_their_weights_and_a_period_without_work_drops_out(klass, assign, district):
    k = klass(1)
    q1, q2, _final = _periods(district, k.section.term_id)
    first = assign(k, title="Q1 test", points_possible="100", due=ago(30))
    second = assign(k, title="Q2 test", points_possible="100", due=ago(2))
    services.grade_cell(k.actor, k.id, first.id, k.students[0].id, "90")
    services.grade_cell(k.actor, k.id, second.id, k.students[0].id, "70")
    sheet = services.term_sheet(k.actor, k.id)
    (row,) = sheet.rows
    assert row.computed[q1.id][0] == Decimal("90.00")
    assert row.computed[q2.id][0] == Decimal("70.00")
    # The final has no graded work: 40/40 rescaled, (90 + 70) / 2.
    assert row.computed[None] == (Decimal("80.00"), "B-")


def test_an_override_needs_a_comment_and_is_kept_as_an_override(klass, assign):
    k = klass(1)
    quiz = assign(k, points_possible="10", due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "8")
    with pytest.raises(Invalid) as refused:
        services.override_term_grade(k.actor, k.id, k.students[0].id, None, "85", "", "")
    assert "comment" in refused.value.fields
    services.override_term_grade(k.actor, k.id, k.students[0].id, None, "85", "", "Retook the final orally.")
    (row,) = services.term_sheet(k.actor, k.id).rows
    assert row.final(None) == (Decimal("85.000"), "B", True)
    assert row.stored[None].override_comment == "Retook the final orally."
    assert row.stored[None].computed_percent == Decimal("80.000")


def test_closing_a_term_stores_the_grades_locks_them_and_records_term_closed(klass, assign):
    k = klass(2)
    quiz = assign(k, points_possible="10", due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "9")
    assert services.close_term(k.actor, k.id, None) == 2
    assert services.close_term(k.actor, k.id, None) == 0
    (event,) = db.session.scalars(select(Event).where(Event.type == "term.closed"))
    assert event.subject_id == k.id and event.payload["students"] == 2
    with pytest.raises(services.NeedsApproval):
        services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "10")
    with pytest.raises(Invalid):
        services.override_term_grade(k.actor, k.id, k.students[0].id, None, "95", "", "late work")


def test_a_change_after_the_lock_date_needs_an_admins_approval_and_a_reason(klass, assign, district, make_actor):
    k = klass(1)
    _q1, _q2, _final = _periods(district, k.section.term_id, locks_first_on=date.today() - timedelta(days=1))
    old = assign(k, title="Q1 test", points_possible="10", due=ago(30))
    db.set_tenant(district.id, None, "system")
    db.session.add(
        Grade(district_id=district.id, assignment_id=old.id, section_id=k.id, student_id=k.students[0].id, score=6)
    )
    db.session.commit()
    with pytest.raises(services.NeedsApproval) as locked:
        services.grade_cell(k.actor, k.id, old.id, k.students[0].id, "9")
    assert "Q1" in locked.value.fields["value"]
    with pytest.raises(Invalid):
        services.request_change(k.actor, k.id, old.id, k.students[0].id, "9", "")
    request = services.request_change(k.actor, k.id, old.id, k.students[0].id, "9", "Regraded question 3.")
    teacher_view = services.cell_detail(k.actor, k.id, old.id, k.students[0].id)
    assert teacher_view.locked and [r.id for r in teacher_view.pending] == [request.id]
    with pytest.raises(NotFound):
        services.pending_requests(k.actor)
    principal = make_actor("school_admin")
    assert [r.id for r, _s, _t in services.pending_requests(principal)] == [request.id]
    services.decide_request(principal, request.id, approve=True, note="OK")
    grade = db.session.scalar(select(Grade).where(Grade.assignment_id == old.id))
    assert grade.score == Decimal("9.00")
    history = db.session.scalars(select(GradeHistory).where(GradeHistory.assignment_id == old.id)).all()[-1]
    assert (history.reason, history.approved_by, history.changed_by) == (
        "Regraded question 3.",
        principal.id,
        k.teacher.id,
    )
    with pytest.raises(NotFound):
        services.decide_request(principal, request.id, approve=True)


def test_an_admin_of_another_school_cannot_approve(klass, assign, district, make_actor, make_school):
    k = klass(1)
    _periods(district, k.section.term_id, locks_first_on=date.today() - timedelta(days=1))
    old = assign(k, title="Q1 test", points_possible="10", due=ago(30))
    request = services.request_change(k.actor, k.id, old.id, k.students[0].id, "9", "Typo.")
    elsewhere = make_actor("school_admin", school_id=make_school().id)
    assert services.pending_requests(elsewhere) == []
    with pytest.raises(NotFound):
        services.decide_request(elsewhere, request.id, approve=True)


def test_the_approvals_page_lists_requests_for_admins_and_applies_an_approval(app, klass, assign, district, make_user):
    from tests.browser import Browser
    from tests.factories import PASSWORD

    k = klass(1)
    _periods(district, k.section.term_id, locks_first_on=date.today() - timedelta(days=1))
    old = assign(k, title="Q1 essay", points_possible="10", due=ago(30))
    request = services.request_change(k.actor, k.id, old.id, k.students[0].id, "7", "Missed page two.")
    teacher = Browser(app)
    teacher.login(k.teacher.email, PASSWORD)
    assert teacher.get("/gradebook/approvals").status_code == 404
    principal = Browser(app)
    principal.login(make_user("school_admin").email, PASSWORD)
    page = principal.get("/gradebook/approvals").get_data(as_text=True)
    assert "Q1 essay" in page and "Missed page two." in page
    response = principal.post(f"/gradebook/approvals/{request.id}", {"decision": "approve", "note": "ok"})
    assert response.status_code == 303
    db.set_tenant(district.id, None, "system")
    assert db.session.scalar(select(Grade.score).where(Grade.assignment_id == old.id)) == Decimal("7.00")


def test_term_grades_export_as_oneroster_line_items_and_results(klass, assign):
    import csv
    import io
    import zipfile

    k = klass(2)
    quiz = assign(k, points_possible="10", due=ago(2))
    services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "9")
    services.grade_cell(k.actor, k.id, quiz.id, k.students[1].id, "6")
    services.override_term_grade(k.actor, k.id, k.students[1].id, None, "70", "", "Extra project.")
    services.close_term(k.actor, k.id, None)
    for version, extra in (("1.1", None), ("1.2", "textScore")):
        _name, data = services.export_term_grades(k.actor, k.id, version)
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert set(archive.namelist()) == {"manifest.csv", "categories.csv", "lineItems.csv", "results.csv"}
        manifest = dict(csv.reader(io.StringIO(archive.read("manifest.csv").decode())))
        assert manifest["oneroster.version"] == version and manifest["file.results"] == "bulk"
        results = list(csv.DictReader(io.StringIO(archive.read("results.csv").decode())))
        assert sorted((r["score"], r["comment"], r["scoreStatus"]) for r in results) == [
            ("70", "Extra project.", "fully graded"),
            ("90", "", "fully graded"),
        ]
        (item,) = csv.DictReader(io.StringIO(archive.read("lineItems.csv").decode()))
        assert item["resultValueMax"] == "100" and results[0]["lineItemSourcedId"] == item["sourcedId"]
        assert (extra in results[0]) == (extra is not None)
