"""The import pages: upload, the preview after the check, apply, and the 404s and 422s around them."""

from __future__ import annotations

import io
import re

from app import db
from app.questions import services
from tests.jobqueue import empty_queues, run_jobs
from tests.questions.test_imports import GIFT


def test_a_teacher_uploads_previews_and_imports_a_file(as_user, actor_of):
    client, user = as_user("teacher")
    actor = actor_of(user)
    bank = services.create_bank(actor, "Quiz bank")
    empty_queues()

    form = client.get("/questions/imports")
    uploaded = client.post(
        "/questions/imports", data={"bank_id": str(bank.id), "file": (io.BytesIO(GIFT.encode()), "quiz.gift")}
    )
    assert form.status_code == 200 and uploaded.status_code == 303
    url = uploaded.headers["Location"]
    checking = client.get(url, headers={"HX-Request": "true"})
    run_jobs()
    page = client.get(url)

    assert checking.status_code == 200 and 'id="import-status"' in checking.text
    assert page.status_code == 200 and "Ready to import" in page.text and "What is 2 + 2?" in page.text
    assert "Skipped" in page.text and "No answer is marked right" in page.text
    import_id = int(re.search(r"/imports/(\d+)", url).group(1))
    applied = client.post(f"/questions/imports/{import_id}/apply")
    run_jobs()
    done = client.get(url)
    assert applied.status_code == 303 and "3 questions were imported." in done.text
    db.set_tenant(actor.district_id, actor.id, "teacher")
    assert services.bank_questions(actor, bank.id, services.Filters())["total"] == 3


def test_an_upload_without_a_file_answers_422_with_the_message(as_user):
    client, _user = as_user("teacher")
    page = client.post("/questions/imports", data={"bank_id": "0"})
    assert page.status_code == 422 and "Choose the file to import." in page.text


def test_an_import_is_404_for_other_teachers_and_students(as_user, actor_of, make_user):
    owner = actor_of(make_user("teacher"))
    empty_queues()
    record = services.upload_import(owner, "quiz.gift", GIFT.encode(), None)
    for role in ("teacher", "student"):
        client, _user = as_user(role)
        assert client.get(f"/questions/imports/{record.id}").status_code == 404
        assert client.post(f"/questions/imports/{record.id}/apply").status_code == 404
