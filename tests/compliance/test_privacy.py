"""Consent gates (COPPA), the directory opt-out, the disclosure record parents read, statements after a refusal."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app import db
from app.audit import services as audit
from app.compliance import services
from app.errors import Invalid, NotFound


def test_an_unknown_birth_date_counts_as_under_13_and_needs_the_district_consent(family, actor_of):
    family.student.birth_date = None
    db.session.commit()
    assert audit.may_use(family.student, "educational") is False
    services.authorise_coppa(actor_of(family.admin), "Educational use of Chalkline by our schools")
    assert audit.may_use(family.student, "educational") is True
    family.classmate.birth_date = date(2010, 1, 1)
    assert audit.may_use(family.classmate, "educational", today=date(2026, 12, 1)) is True


def test_uses_beyond_school_need_a_parents_yes_and_a_withdrawal_counts(family, actor_of):
    guardian = actor_of(family.guardian)
    assert audit.may_use(family.student, "portfolio_public") is False
    services.set_consent(guardian, family.student.id, "portfolio_public", True)
    assert audit.may_use(family.student, "portfolio_public") is True
    services.set_consent(guardian, family.student.id, "portfolio_public", False)
    assert audit.may_use(family.student, "portfolio_public") is False
    with pytest.raises(Invalid):
        services.set_consent(guardian, family.student.id, "sell_to_advertisers", True)
    with pytest.raises(NotFound):
        services.set_consent(actor_of(family.teacher), family.student.id, "portfolio_public", True)


def test_the_directory_opt_out_hides_the_student_from_shares_beyond_the_class(family, actor_of):
    services.set_opt_out(actor_of(family.guardian), family.student.id, True)
    assert audit.directory_hidden([family.student.id, family.classmate.id]) == {family.student.id}
    services.set_opt_out(actor_of(family.admin), family.student.id, False)
    assert audit.directory_hidden([family.student.id]) == set()


def test_parents_read_the_disclosure_record_and_statements_travel_with_disclosures(app, family, actor_of):
    from tests.browser import Browser

    guardian, admin = actor_of(family.guardian), actor_of(family.admin)
    request = services.create_request(guardian, family.student.id, "amend", "Absent, not late", "Attendance, March")
    services.decide_amendment(admin, request.id, "refused", notes="The record is accurate")
    services.request_hearing(guardian, request.id)
    services.decide_amendment(admin, request.id, "refused", hearing_outcome="upheld", notes="Upheld")
    statement = services.add_statement(guardian, request.id, "My child was absent, not late.")
    made = services.disclose(admin, family.student.id, "Lincoln High", "transfer_school", "Enrolling", "Attendance")
    assert made.statement_ids == [statement.id]
    assert services.disclose(admin, family.student.id, "Ms Teach", "school_official", "x", "y") is None
    client = Browser(app)
    client.login(family.guardian.email, "correct horse battery")
    page = client.get(f"/compliance/privacy/{family.student.id}").get_data(as_text=True)
    assert "Lincoln High" in page and "My child was absent, not late." in page
    assert Browser(app).get(f"/compliance/privacy/{family.student.id}").status_code in (302, 303)


def test_a_statement_is_included_in_later_exports(family, actor_of, jobs):
    import io
    import zipfile

    from app.storage import services as storage

    guardian, admin = actor_of(family.guardian), actor_of(family.admin)
    request = services.create_request(guardian, family.student.id, "amend", "Wrong", "Attendance")
    services.decide_amendment(admin, request.id, "refused")
    services.add_statement(guardian, request.id, "I disagree with the attendance record.")
    copy = services.submit_request(guardian, family.student.id, "copy")
    jobs()
    db.set_tenant(family.student.district_id, guardian.id, "guardian")
    key = services.get_own_request(guardian, copy.id).export_key
    record = json.loads(zipfile.ZipFile(io.BytesIO(storage.path_of(key).read_bytes())).read("record.json"))
    assert [s["body"] for s in record["tables"]["records_statements"]] == ["I disagree with the attendance record."]
