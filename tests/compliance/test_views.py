"""The staff pages: the queue, a request, the student's records page; other roles and districts get 404."""

from __future__ import annotations

from app import db
from app.compliance import services
from tests.browser import Browser


def _signed_in(app, user):
    client = Browser(app)
    client.login(user.email, "correct horse battery")
    return client


def test_records_staff_work_a_request_through_the_pages(app, family, actor_of):
    request = services.create_request(actor_of(family.guardian), family.student.id, "amend", "Wrong address", "Address")
    db.session.commit()
    admin = _signed_in(app, family.admin)
    queue = admin.get("/compliance/queue")
    assert queue.status_code == 200 and "Zora Quill" in queue.get_data(as_text=True)
    assert admin.get("/compliance/queue", htmx=True).get_data(as_text=True).strip().startswith('<div id="results">')
    page = admin.get(f"/compliance/queue/{request.id}")
    assert page.status_code == 200 and "academic judgment" in page.get_data(as_text=True)
    refused = admin.post(f"/compliance/queue/{request.id}", {"status": "refused", "assignee_id": 0})
    assert refused.status_code == 422 and "Give the reason" in refused.get_data(as_text=True)
    assert (
        admin.post(f"/compliance/queue/{request.id}/decision", {"decision": "refused", "notes": "Correct"}).status_code
        == 303
    )
    assert admin.get(f"/compliance/students/{family.student.id}").status_code == 200
    assert admin.post(f"/compliance/students/{family.student.id}/holds", {"reason": "Subpoena 12"}).status_code == 303
    db.set_tenant(family.student.district_id, None, "system")
    assert "Legal hold: Subpoena 12" in services.holds_on(family.student.id)


def test_other_roles_and_other_districts_get_404(app, family, make_district, make_user):
    teacher = _signed_in(app, family.teacher)
    for url in ("/compliance/queue", f"/compliance/students/{family.student.id}", "/compliance/registry"):
        assert teacher.get(url).status_code == 404
    stranger = make_user("district_admin", district=make_district())
    other = _signed_in(app, stranger)
    assert other.get(f"/compliance/students/{family.student.id}").status_code == 404


def test_the_live_regions_answer_their_fragment_and_stop_polling_when_the_copy_is_ready(app, family, actor_of, jobs):
    guardian = actor_of(family.guardian)
    request = services.submit_request(guardian, family.student.id, "copy")
    mine = _signed_in(app, family.guardian)
    queued = mine.get(f"/compliance/requests/{request.id}", htmx=True)
    assert queued.status_code == 200 and 'id="records-export"' in queued.get_data(as_text=True)
    assert "<html" not in queued.get_data(as_text=True)
    jobs()
    done = mine.get(f"/compliance/requests/{request.id}", htmx=True)
    assert done.status_code == 286 and "Download the record (ZIP)" in done.get_data(as_text=True)
    staff = _signed_in(app, family.admin).get(f"/compliance/queue/{request.id}", htmx=True)
    assert staff.status_code == 286 and 'id="records-export"' in staff.get_data(as_text=True)
