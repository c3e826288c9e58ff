"""One row in each records table of a district (the tenancy check wants every table populated)."""

from __future__ import annotations

from datetime import date

from app import db


def records_rows(district, admin, student, guardian) -> None:
    from app.audit.models import AccessAudit, Consent, CoppaAuthorisation, DirectoryOptOut, Disclosure
    from app.compliance.models import (
        CourtOrder,
        Deletion,
        LegalHold,
        RecordsRequest,
        RecordsRequestNote,
        RecordsStatement,
        RetentionRule,
        RetentionRun,
    )

    d = district.id
    request = RecordsRequest(
        district_id=d, student_id=student.id, requester_id=guardian.id, kind="inspect", due_on=date(2027, 1, 15)
    )
    db.session.add(request)
    db.session.flush()
    db.session.add_all(
        [
            AccessAudit(
                district_id=d, actor_id=admin.id, student_id=student.id, what="student.record", purpose="administration"
            ),
            Disclosure(
                district_id=d,
                student_id=student.id,
                party="State",
                party_kind="state",
                legitimate_interest="Reporting",
                what_disclosed="Enrollment",
            ),
            RecordsRequestNote(district_id=d, request_id=request.id, author_id=admin.id, body="Called"),
            RecordsStatement(district_id=d, student_id=student.id, author_id=guardian.id, record_part="x", body="y"),
            CourtOrder(district_id=d, student_id=student.id, guardian_id=guardian.id),
            LegalHold(district_id=d, student_id=student.id, reason="Case"),
            Deletion(district_id=d, basis="district_policy", status="done"),
            CoppaAuthorisation(district_id=d, authorised_by=admin.id, statement="Educational use"),
            Consent(district_id=d, student_id=student.id, use="portfolio_public", is_granted=False),
            DirectoryOptOut(district_id=d, student_id=student.id),
            RetentionRule(district_id=d, data_group="record", years_after_leaving=5),
            RetentionRun(district_id=d, is_dry_run=True),
        ]
    )
