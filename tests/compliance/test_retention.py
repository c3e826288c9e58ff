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
