"""Records requests and the export: who may ask, the staff queue, the ZIP (complete, redacted), the signed link."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import text

from app import db
from app.compliance import services
from app.errors import Invalid, NotFound


def _zip_of(request):
    from app.storage import services as storage

    return zipfile.ZipFile(io.BytesIO(storage.path_of(request.export_key).read_bytes()))


def test_a_non_custodial_parent_may_request_and_an_unlinked_one_may_not(family, actor_of, make_user):
    other = actor_of(family.other_guardian)  # no custody: 99.4 still gives the right
    assert [s.student_id for s in services.requestable_students(other)] == [family.student.id]
    request = services.create_request(other, family.student.id, "inspect")
    assert request.due_on == date.today() + __import__("datetime").timedelta(days=45)
    stranger = actor_of(make_user("guardian"))
    with pytest.raises(NotFound):
        services.create_request(stranger, family.student.id, "inspect")


def test_a_court_order_removes_the_parents_right_and_an_adult_student_holds_it(family, actor_of):
    admin = actor_of(family.admin)
    services.record_court_order(admin, family.student.id, family.other_guardian.id, "Protective order")
    db.session.commit()
    assert services.requestable_students(actor_of(family.other_guardian)) == []
    family.student.birth_date = date(2000, 1, 1)
    db.session.commit()
    assert services.requestable_students(actor_of(family.guardian)) == []
    mine = services.requestable_students(actor_of(family.student))
    assert [(s.student_id, s.as_self) for s in mine] == [(family.student.id, True)]


def test_an_amendment_needs_the_part_and_what_is_wrong(family, actor_of):
    with pytest.raises(Invalid) as refused:
        services.create_request(actor_of(family.guardian), family.student.id, "amend")
    assert set(refused.value.fields) == {"record_part", "details"}


def test_staff_work_the_queue_and_every_step_is_an_event(family, actor_of):
    guardian, admin = actor_of(family.guardian), actor_of(family.admin)
    request = services.create_request(guardian, family.student.id, "inspect", "All of it")
    db.session.commit()
    assert [row.request.id for row in services.request_queue(admin)] == [request.id]
    with pytest.raises(NotFound):
        services.request_queue(actor_of(family.teacher))
    with pytest.raises(Invalid):
        services.update_request(admin, request.id, "refused")
    services.update_request(admin, request.id, "in_review", assignee_id=admin.id, reply="We will call you")
    services.add_note(admin, request.id, "Phoned the parent")
    db.session.commit()
    types = db.session.scalars(
        text("select type from events where subject_type = 'records_request' and subject_id = :i order by id"),
        {"i": request.id},
    ).all()
    assert types == ["records_request.submitted", "records_request.updated", "records_request.noted"]
    assert services.get_own_request(guardian, request.id).status == "in_review"
    with pytest.raises(NotFound):
        services.get_own_request(actor_of(family.other_guardian), request.id)


def test_an_open_inspection_request_holds_the_record(family, actor_of):
    request = services.create_request(actor_of(family.guardian), family.student.id, "inspect")
    db.session.commit()
    assert services.holds_on(family.student.id) == [f"Open records request #{request.id} (34 CFR 99.10(e))"]
    services.update_request(actor_of(family.admin), request.id, "closed")
    assert services.holds_on(family.student.id) == []


def test_reminders_go_once_before_the_due_date(family, actor_of, mail_dir):
    from datetime import timedelta

    request = services.create_request(actor_of(family.guardian), family.student.id, "inspect")
    db.session.commit()
    from app.identity.data import SystemActor

    system = SystemActor(family.student.district_id)
    assert services.send_reminders(system, today=date.today()) == 0
    late = date.today() + timedelta(days=40)
    assert services.send_reminders(system, today=late) == 1
    assert services.send_reminders(system, today=late) == 0
    to = db.session.scalars(
        text("select to_address from mail_messages where body_text like :b"), {"b": f"%#{request.id}%"}
    )
    assert family.admin.email in list(to)


def test_a_copy_request_exports_the_complete_record_with_others_redacted(family, actor_of, jobs):
    guardian = actor_of(family.guardian)
    request = services.submit_request(guardian, family.student.id, "copy", locale="es")
    db.session.commit()
    jobs()
    db.set_tenant(family.student.district_id, guardian.id, "guardian")
    request = services.get_own_request(guardian, request.id)
    assert request.status == "ready" and request.export_key
    archive = _zip_of(request)
    names = set(archive.namelist())
    assert {"record.json", "summary.pdf", "csv/users.csv", "csv/enrollments.csv", "csv/guardian_links.csv"} <= names
    record = json.loads(archive.read("record.json"))
    exported = {entry.table for entry in services.registry().entries if entry.export == "rows"}
    assert set(record["tables"]) == exported  # every table the registry exports, no more, no less
    assert [row["email"] for row in record["tables"]["users"]] == ["zora.quill@example.test"]
    assert "password_hash" not in record["tables"]["users"][0]
    links = {row["guardian_id"] for row in record["tables"]["guardian_links"]}
    assert links == {"Mara Quill", "Otto Vance"}
    raw = archive.read("record.json").decode() + "".join(archive.read(n).decode() for n in names if n.endswith(".csv"))
    for secret in ("otto.vance@example.test", "Pip Classmate", "pip@example.test"):
        assert secret not in raw
    assert archive.read("summary.pdf").startswith(b"%PDF")


def test_the_download_link_works_only_for_the_requester_and_not_when_tampered(app, family, actor_of, jobs):
    from tests.browser import Browser

    guardian = actor_of(family.guardian)
    request = services.submit_request(guardian, family.student.id, "copy")
    db.session.commit()
    jobs()
    db.set_tenant(family.student.district_id, guardian.id, "guardian")
    token = services.download_token(services.get_own_request(guardian, request.id))
    url = f"/compliance/requests/{request.id}/download?token={token}"
    mine = Browser(app)
    mine.login(family.guardian.email, "correct horse battery")
    response = mine.get(url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.get_data()[:2] == b"PK"
    response.close()
    assert mine.get(url[:-3] + "abc").status_code == 404
    other = Browser(app)
    other.login(family.other_guardian.email, "correct horse battery")
    assert other.get(url).status_code == 404


def test_an_expired_copy_is_removed_and_its_link_says_so(family, actor_of, jobs):
    from datetime import UTC, datetime, timedelta

    guardian = actor_of(family.guardian)
    request = services.submit_request(guardian, family.student.id, "copy")
    db.session.commit()
    jobs()
    db.set_tenant(family.student.district_id, guardian.id, "guardian")
    request = services.get_own_request(guardian, request.id)
    token = services.download_token(request)
    assert services.expire_exports(datetime.now(UTC) + timedelta(days=8)) == 1
    with pytest.raises(services.LinkExpired):
        services.open_download(guardian, request.id, token)
    assert services.get_own_request(guardian, request.id).status == "expired"


def test_the_requester_follows_the_status_page(app, family, actor_of):
    from tests.browser import Browser

    request = services.create_request(actor_of(family.guardian), family.student.id, "inspect")
    db.session.commit()
    client = Browser(app)
    client.login(family.guardian.email, "correct horse battery")
    page = client.get(f"/compliance/requests/{request.id}")
    assert page.status_code == 200 and "Submitted" in page.get_data(as_text=True)
    listing = client.get("/compliance/requests")
    assert "Zora Quill" in listing.get_data(as_text=True)
    response = client.post("/compliance/requests", {"student_id": family.student.id, "kind": "amend"})
    assert response.status_code == 422
    assert "Say which part of the record" in response.get_data(as_text=True)


def test_a_request_is_assigned_only_to_records_staff(family, actor_of):
    admin = actor_of(family.admin)
    request = services.create_request(actor_of(family.guardian), family.student.id, "inspect")
    with pytest.raises(Invalid) as refused:
        services.update_request(admin, request.id, "in_review", assignee_id=family.teacher.id)
    assert set(refused.value.fields) == {"assignee_id"}
    assert services.update_request(admin, request.id, "in_review", assignee_id=admin.id).assignee_id == admin.id


def test_a_rerun_export_replaces_the_copy_and_the_requester_is_mailed_each_time(family, actor_of, jobs):
    from app.identity.data import SystemActor
    from app.storage import services as storage

    guardian = actor_of(family.guardian)
    request = services.submit_request(guardian, family.student.id, "copy")
    jobs()
    db.set_tenant(family.student.district_id, guardian.id, "guardian")
    system = SystemActor(family.student.district_id)
    first = services.get_own_request(guardian, request.id).export_key
    db.session.execute(text("update users set pronouns = 'they/them' where id = :i"), {"i": family.student.id})
    services.build_export(system, request.id)
    second = services.get_own_request(guardian, request.id).export_key
    assert second != first and storage.exists(second) and not storage.exists(first)
    mails = db.session.scalars(
        text("select subject from mail_messages where to_address = :a"), {"a": family.guardian.email}
    )
    assert len(list(mails)) == 2
