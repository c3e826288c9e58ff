"""Deletion by policy: holds block it, typed confirmation, and afterwards the scan finds nothing anywhere."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import db
from app.compliance import services
from app.errors import Invalid


def _everything(family, actor_of, jobs):
    """A student with a finished export, an access, a disclosure, a queued mail and a closed request."""
    from app.audit import services as audit
    from app.notifications.services import queue_mail

    guardian, admin = actor_of(family.guardian), actor_of(family.admin)
    request = services.submit_request(guardian, family.student.id, "copy")
    jobs()
    db.set_tenant(family.student.district_id, admin.id, "district_admin")
    services.update_request(admin, request.id, "closed")
    audit.record_access(admin, family.student.id, "student.record", "administration")
    audit.record_disclosure(admin, family.student.id, "Lincoln High", "transfer_school", "Enrolling", "Transcript")
    queue_mail(
        family.student.district_id,
        family.student.email,
        "records_reminder",
        None,
        request_id=1,
        due_on=request.due_on,
        days=3,
    )
    db.session.commit()
    return services.get_request(admin, request.id).export_key


def test_a_deletion_leaves_no_trace_of_the_student_but_a_receipt(family, actor_of, jobs):
    from app.storage import services as storage

    export_key = _everything(family, actor_of, jobs)
    admin = actor_of(family.admin)
    student_id, terms = family.student.id, services.scan_terms(family.student)
    assert services.scan(student_id, terms)  # before: found everywhere
    deletion = services.request_deletion(admin, student_id, "district_policy", "Left the district in 2019")
    with pytest.raises(Invalid, match="already under way"):
        services.request_deletion(admin, student_id, "district_policy", "Again")
    with pytest.raises(Invalid):
        services.approve_deletion(admin, deletion.id, "zora")
    services.approve_deletion(admin, deletion.id, "Zora Quill")
    jobs()
    db.set_tenant(family.student.district_id, None, "system")
    assert services.scan(student_id, terms) == []
    assert not storage.exists(export_key)
    receipt = db.session.execute(
        text("select status, student_id, student_label, receipt from deletions where id = :i"), {"i": deletion.id}
    ).one()
    assert receipt.status == "done" and receipt.student_id is None and receipt.student_label is None
    assert receipt.receipt["rows"]["users"] == 1 and receipt.receipt["files"] >= 1
    assert "Zora" not in str(receipt.receipt)
    # The classmate and the guardians are untouched.
    assert (
        db.session.scalar(
            text("select count(*) from users where id = any(:i)"), {"i": [family.classmate.id, family.guardian.id]}
        )
        == 2
    )


def test_a_legal_hold_or_an_open_inspection_blocks_approval_and_the_job(family, actor_of, jobs):
    admin, guardian = actor_of(family.admin), actor_of(family.guardian)
    deletion = services.request_deletion(admin, family.student.id, "district_policy", "Policy")
    hold = services.place_hold(admin, family.student.id, "Case 42")
    with pytest.raises(Invalid, match="Case 42"):
        services.approve_deletion(admin, deletion.id, "Zora Quill")
    services.release_hold(admin, hold.id)
    services.approve_deletion(admin, deletion.id, "Zora Quill")
    services.create_request(guardian, family.student.id, "inspect")  # arrives before the job runs
    jobs()
    db.set_tenant(family.student.district_id, None, "system")
    assert db.session.scalar(text("select count(*) from users where id = :i"), {"i": family.student.id}) == 1
    assert db.session.scalar(text("select status from deletions where id = :i"), {"i": deletion.id}) == "pending"


def test_the_scan_command_reports_and_fails_while_data_remains(app, family):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["records", "scan", "--student", family.student.email])
    assert result.exit_code == 1 and "users" in result.output


def test_the_export_command_writes_the_zip_and_is_recorded_as_an_access(app, family, tmp_path):
    import zipfile

    out = tmp_path / "record.zip"
    result = app.test_cli_runner().invoke(
        args=["records", "export", "--student", family.student.email, "--out", str(out), "--by", "it@example.test"]
    )
    assert result.exit_code == 0, result.output
    assert "record.json" in zipfile.ZipFile(out).namelist()
    db.set_tenant(family.student.district_id, None, "system")
    row = db.session.execute(
        text("select what, purpose, origin from access_audit where student_id = :s"), {"s": family.student.id}
    ).one()
    assert tuple(row) == ("student.export", "records_request", "cli records export")
