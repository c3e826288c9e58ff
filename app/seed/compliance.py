"""Demo records data: a parent's open inspection request, the district's COPPA consent, one disclosure, one rule."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from app import db

ASKED = date(2026, 11, 20)


def seed_records(district_id: int, by_email: dict[str, int], domain: str) -> None:
    """For a named district (demo accounts exist): rows as the records pages would make them."""
    admin, guardian, student = (by_email[f"{who}@{domain}"] for who in ("admin", "guardian", "student"))
    sess = db.session
    sess.execute(
        text(
            "insert into records_requests (district_id, student_id, requester_id, kind, details, due_on, created_at)"
            " values (:d, :s, :g, 'inspect', :details, :due, :asked)"
        ),
        {
            "d": district_id,
            "s": student,
            "g": guardian,
            "details": "Attendance and report cards of this year",
            "due": ASKED + timedelta(days=45),
            "asked": ASKED,
        },
    )
    sess.execute(
        text("insert into coppa_authorisations (district_id, authorised_by, statement) values (:d, :a, :s)"),
        {"d": district_id, "a": admin, "s": "The district consents to Chalkline's educational use for its schools."},
    )
    sess.execute(
        text(
            "insert into disclosures (district_id, student_id, party, party_kind, legitimate_interest, what_disclosed,"
            " recorded_by, disclosed_on) values (:d, :s, 'State Department of Education', 'state',"
            " 'State enrollment reporting (99.31(a)(3))', 'Name, grade, enrollment dates', :a, :on)"
        ),
        {"d": district_id, "s": student, "a": admin, "on": date(2026, 10, 1)},
    )
    sess.execute(
        text(
            "insert into retention_rules (district_id, data_group, years_after_leaving, created_by)"
            " values (:d, 'activity', 3, :a)"
        ),
        {"d": district_id, "a": admin},
    )
