"""Retention: the dry run reports exactly what the real run then deletes; held students are skipped."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from app import db
from app.compliance import services


def _leave(family, when: date) -> None:
    db.session.execute(
        text("update enrollments set added_on = :d, dropped_on = :d where student_id = any(:s)"),
        {"d": when, "s": [family.student.id, family.classmate.id]},
    )
    db.session.commit()


def test_the_dry_run_report_equals_the_real_run_and_holds_are_respected(family, actor_of):
    admin = actor_of(family.admin)
    _leave(family, date(2019, 6, 30))
    services.set_rule(admin, "activity", 3)
    services.set_rule(admin, "record", 5)
    services.place_hold(admin, family.classmate.id, "Case 9")
    db.session.execute(
        text("insert into events (district_id, type, actor_id, payload) values (:d, 'user.signed_in', :s, '{}')"),
        {"d": family.student.district_id, "s": family.student.id},
    )
    db.session.commit()
    dry = services.sweep(admin, dry_run=True)
    assert dry.report["record"]["students"] == 1 and dry.report["record"]["held"] == 1
    real = services.sweep(admin, dry_run=False)
    assert real.report == dry.report
    gone = db.session.scalar(text("select count(*) from users where id = :i"), {"i": family.student.id})
    kept = db.session.scalar(text("select count(*) from users where id = :i"), {"i": family.classmate.id})
    assert (gone, kept) == (0, 1)


def test_students_still_enrolled_or_recently_left_are_not_leavers(family):
    assert services.leavers(date.today(), 1) == []
    _leave(family, date.today())
    assert services.leavers(date.today(), 1) == []
    assert services.leavers(date.today(), 0) == sorted([family.student.id, family.classmate.id])


def test_the_retention_page_saves_a_rule_and_runs_a_dry_run_as_a_job(app, family, jobs):
    from tests.browser import Browser

    client = Browser(app)
    client.login(family.admin.email, "correct horse battery")
    assert client.get("/compliance/retention").status_code == 200
    bad = client.post("/compliance/retention/rules", {"data_group": "record", "years_after_leaving": "120"})
    assert bad.status_code == 422 and "Between 0 and 99." in bad.get_data(as_text=True)
    assert (
        client.post("/compliance/retention/rules", {"data_group": "record", "years_after_leaving": "5"}).status_code
        == 303
    )
    started = client.post("/compliance/retention/sweeps", {"dry_run": "yes"})
    assert started.status_code == 303
    jobs()
    page = client.get("/compliance/retention").get_data(as_text=True)
    assert "Dry run" in page and "0 students" in page
    teacher = Browser(app)
    teacher.login(family.teacher.email, "correct horse battery")
    assert teacher.get("/compliance/retention").status_code == 404
