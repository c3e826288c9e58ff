"""Roster import pages: upload, validate job, preview, apply job, export download, access."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import User
from app.oneroster.models import OneRosterImport
from app.rosters.models import Enrollment
from tests.jobqueue import empty_queues, run_jobs
from tests.oneroster.conftest import csv_bytes, sample, zip_of


def _upload(client, *files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/oneroster/imports", data, content_type="multipart/form-data")


def _import_id(response) -> int:
    return int(re.search(r"/oneroster/imports/(\d+)", response.headers["Location"]).group(1))


def test_upload_check_preview_and_apply_import_the_roster(as_user, tenant, district):
    empty_queues()
    client, _admin = as_user("district_admin")
    response = _upload(client, ("roster.zip", zip_of(sample(students=2))))
    assert response.status_code == 303
    import_id = _import_id(response)
    page = client.get(f"/oneroster/imports/{import_id}").get_data(as_text=True)
    assert "Checking" in page
    run_jobs()
    page = client.get(f"/oneroster/imports/{import_id}").get_data(as_text=True)
    assert "Ready to apply" in page and "Algebra I - P1 (k1)" in page
    fragment = client.get(f"/oneroster/imports/{import_id}", htmx=True)
    assert fragment.status_code == 286 and "<html" not in fragment.get_data(as_text=True)
    tenant(district)
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 0  # the check wrote nothing
    response = client.post(f"/oneroster/imports/{import_id}/apply")
    assert response.status_code == 303
    run_jobs()
    page = client.get(f"/oneroster/imports/{import_id}").get_data(as_text=True)
    assert "The roster was imported." in page
    tenant(district)
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 2
    assert db.session.scalar(select(OneRosterImport.status).where(OneRosterImport.id == import_id)) == "applied"


def test_a_set_with_errors_lists_them_by_file_and_line_and_cannot_be_applied(as_user):
    empty_queues()
    client, _admin = as_user("district_admin")
    data = sample()
    data["users"][3]["orgSourcedIds"] = "nowhere"
    response = _upload(client, *[(f"{name}.csv", csv_bytes(name, rows)) for name, rows in data.items()])
    import_id = _import_id(response)
    run_jobs()
    page = client.get(f"/oneroster/imports/{import_id}").get_data(as_text=True)
    assert "The files cannot be imported" in page
    assert '<td>users.csv<br><span class="muted text-small">line 5</span>' in page
    assert "orgSourcedIds refers to &#34;nowhere&#34;" in page
    refused = client.post(f"/oneroster/imports/{import_id}/apply")
    assert refused.status_code == 422 and "Only a checked import without errors can be applied." in refused.get_data(
        as_text=True
    )
    assert "Apply import" not in client.get(f"/oneroster/imports/{import_id}").get_data(as_text=True)


def test_an_upload_that_is_not_zip_or_csv_is_refused_with_a_message(as_user):
    client, _admin = as_user("district_admin")
    response = _upload(client, ("photo.png", b"\x89PNG\r\n"))
    assert response.status_code == 422
    assert "photo.png is not a ZIP or CSV file." in response.get_data(as_text=True)


def test_an_upload_over_the_size_limit_is_refused_with_a_message(as_user, app, monkeypatch):
    client, _admin = as_user("district_admin")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2000)
    response = _upload(client, ("roster.zip", b"PK\x03\x04" + b"x" * 5000))
    assert response.status_code == 413
    assert "The upload is larger than the limit" in response.get_data(as_text=True)


def test_the_export_downloads_a_zip_of_the_seven_files_and_the_manifest(as_user):
    client, _admin = as_user("district_admin")
    client.get("/oneroster/")
    response = client.post("/oneroster/export", {"version": "1.1"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert sorted(names) == sorted(
        [
            "manifest.csv",
            "orgs.csv",
            "academicSessions.csv",
            "courses.csv",
            "classes.csv",
            "users.csv",
            "enrollments.csv",
            "demographics.csv",
        ]
    )


def test_the_1_2_export_adds_roles_and_says_1_2_in_its_manifest(as_user):
    client, _admin = as_user("district_admin")
    client.get("/oneroster/")
    archive = zipfile.ZipFile(io.BytesIO(client.post("/oneroster/export", {"version": "1.2"}).data))
    assert "roles.csv" in archive.namelist()
    manifest = archive.read("manifest.csv").decode()
    assert "oneroster.version,1.2" in manifest and "file.userProfiles,absent" in manifest
    assert client.post("/oneroster/export", {"version": "2.0"}).status_code == 422


@pytest.mark.parametrize("role", ["school_admin", "teacher", "student", "guardian"])
def test_only_district_admins_reach_the_import_pages(as_user, role):
    client, _user = as_user(role)
    assert client.get("/oneroster/").status_code == 404
    assert client.post("/oneroster/export").status_code == 404


def test_another_districts_import_answers_404(as_user, make_district, make_user, tenant):
    other = make_district()
    empty_queues()
    other_admin = make_user(role="district_admin", district=other)
    from tests.browser import Browser

    client = Browser(__import__("flask").current_app._get_current_object())
    client.login(other_admin.email, "correct horse battery")
    response = _upload(client, ("roster.zip", zip_of(sample())))
    import_id = _import_id(response)
    mine, _admin = as_user("district_admin")
    assert mine.get(f"/oneroster/imports/{import_id}").status_code == 404


def test_the_nav_shows_roster_import_to_district_admins(as_user):
    client, _admin = as_user("district_admin")
    assert 'href="/oneroster/"' in client.get("/").get_data(as_text=True)
    teacher, _user = as_user("teacher")
    assert 'href="/oneroster/"' not in teacher.get("/").get_data(as_text=True)


def test_users_created_by_the_import_have_no_password(as_user, tenant, district):
    empty_queues()
    client, _admin = as_user("district_admin")
    import_id = _import_id(_upload(client, ("roster.zip", zip_of(sample(students=1)))))
    run_jobs()
    client.post(f"/oneroster/imports/{import_id}/apply")
    run_jobs()
    tenant(district)
    hashes = db.session.scalars(select(User.password_hash).where(User.sourced_id.is_not(None))).all()
    assert hashes and set(hashes) == {None}


def test_an_apply_that_fails_marks_the_import_failed_and_changes_nothing(as_user, tenant, district, monkeypatch):
    from app.oneroster.services import apply as applier

    empty_queues()
    client, _admin = as_user("district_admin")
    import_id = _import_id(_upload(client, ("roster.zip", zip_of(sample(students=2)))))
    run_jobs()
    broken = applier.UPSERT["enrollments"].replace("e.added_on, e.dropped_on from", "e.added_on, e.added_on - 1 from")
    monkeypatch.setitem(applier.UPSERT, "enrollments", broken)
    client.post(f"/oneroster/imports/{import_id}/apply")
    run_jobs()
    page = client.get(f"/oneroster/imports/{import_id}").get_data(as_text=True)
    assert "The import could not be applied" in page and "nothing was changed" in page
    tenant(district)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.sourced_id.is_not(None))) == 0


def test_many_errors_are_paginated_fifty_to_a_page(as_user):
    empty_queues()
    client, _admin = as_user("district_admin")
    data = sample(students=60)
    for row in data["enrollments"]:
        row["classSourcedId"] = "gone"
    import_id = _import_id(_upload(client, ("roster.zip", zip_of(data))))
    run_jobs()
    first = client.get(f"/oneroster/imports/{import_id}").get_data(as_text=True)
    assert "The files have 61 errors." in first and first.count("refers to &#34;gone&#34;") == 50
    assert "Page 1 of 2" in first
    second = client.get(f"/oneroster/imports/{import_id}?page=2").get_data(as_text=True)
    assert second.count("refers to &#34;gone&#34;") == 11


def test_a_zip_whose_name_is_over_255_characters_is_accepted_under_a_shortened_name(as_user, tenant, district):
    empty_queues()
    client, _admin = as_user("district_admin")
    name = "roster-" + "x" * 300 + ".zip"
    response = _upload(client, (name, zip_of(sample())))
    assert response.status_code == 303
    tenant(district)
    stored = db.session.scalar(select(OneRosterImport.file_name).where(OneRosterImport.id == _import_id(response)))
    assert len(stored) == 255 and stored.startswith("roster-xxx") and stored.endswith("\u2026.zip")
    long_csv = ("u" * 300) + ".csv"
    response = _upload(client, (long_csv, csv_bytes("users", sample()["users"])), ("orgs.csv", b"sourcedId\n"))
    assert response.status_code == 303
    run_jobs()
    page = client.get(f"/oneroster/imports/{_import_id(response)}")
    assert page.status_code == 200


def _warned_set() -> bytes:
    data = sample(students=2)
    data["users"][3]["enabledUser"] = "TRUE"
    data["users"][4]["status"] = "inactive"
    return zip_of(data)


def test_warnings_are_listed_by_kind_and_applying_needs_the_admin_to_have_seen_them(as_user, tenant, district):
    empty_queues()
    client, _admin = as_user("district_admin")
    import_id = _import_id(_upload(client, ("roster.zip", _warned_set())))
    run_jobs()
    page = client.get(f"/oneroster/imports/{import_id}").get_data(as_text=True)
    assert "Warnings by kind" in page and "Letter case read" in page and "Status inactive" in page
    assert "enabledUser &#34;TRUE&#34; was read as &#34;true&#34;." in page
    assert (
        '<td>users.csv<br><span class="muted text-small">line 6</span><br><span class="muted text-small">status' in page
    )
    assert "Apply with 2 warnings" in page and 'name="warnings" type="hidden" value="2"' in page
    unseen = client.post(f"/oneroster/imports/{import_id}/apply", {"warnings": "1"})
    assert unseen.status_code == 422 and "The warnings have changed" in unseen.get_data(as_text=True)
    assert client.post(f"/oneroster/imports/{import_id}/apply", {"warnings": "2"}).status_code == 303
    run_jobs()
    tenant(district)
    assert db.session.scalar(select(OneRosterImport.status).where(OneRosterImport.id == import_id)) == "applied"


def test_an_applied_import_has_a_report_to_download(as_user, tenant, district):
    import csv

    empty_queues()
    client, _admin = as_user("district_admin")
    import_id = _import_id(_upload(client, ("roster.zip", _warned_set())))
    run_jobs()
    assert client.get(f"/oneroster/imports/{import_id}/report").status_code == 404  # not applied yet
    client.post(f"/oneroster/imports/{import_id}/apply", {"warnings": "2"})
    run_jobs()
    page = client.get(f"/oneroster/imports/{import_id}").get_data(as_text=True)
    assert f"/oneroster/imports/{import_id}/report" in page
    response = client.get(f"/oneroster/imports/{import_id}/report")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"oneroster-import-{import_id}-report.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Record", "Change", "sourcedId", "Name", "Details", "File", "Line"]
    changes = {(r[0], r[1]) for r in rows[1:]}
    assert ("People", "Created") in changes and ("Enrollments", "Created") in changes
    assert ["", "Warning", "", "", 'status "inactive" was read as tobedeleted: the record is switched off, never '
            "deleted.", "users.csv", "6"] in rows  # fmt: skip
    assert any(r[:3] == ["People", "Created", "stu1"] and r[3] == "Sam1 Student (stu1)" for r in rows)


def test_the_report_lists_what_changed_in_an_update(as_user, tenant, district):
    empty_queues()
    client, _admin = as_user("district_admin")
    data = sample(students=1)
    first = _import_id(_upload(client, ("roster.zip", zip_of(data))))
    run_jobs()
    client.post(f"/oneroster/imports/{first}/apply")
    run_jobs()
    data["users"][3]["givenName"] = "Samira"
    data["users"][3]["grades"] = "10"
    second = _import_id(_upload(client, ("roster.zip", zip_of(data))))
    run_jobs()
    client.post(f"/oneroster/imports/{second}/apply")
    run_jobs()
    report = client.get(f"/oneroster/imports/{second}/report").get_data(as_text=True)
    assert 'People,Updated,stu1,Samira Student (stu1),"Changed: display_name, given_name, grade_level"' in report


def test_the_report_is_worded_in_the_admins_language(as_user):
    empty_queues()
    client, _admin = as_user("district_admin", locale="es")
    import_id = _import_id(_upload(client, ("roster.zip", zip_of(sample(students=1)))))
    run_jobs()
    client.post(f"/oneroster/imports/{import_id}/apply")
    run_jobs()
    report = client.get(f"/oneroster/imports/{import_id}/report").get_data(as_text=True)
    assert report.splitlines()[0].startswith("Registro,Cambio")
