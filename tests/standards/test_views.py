"""Standards pages: upload, check, preview and apply; the tree, one standard, search and the picker's fragments;
bad input answered on the page; who may see what."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app import db
from app.standards.models import StandardItem
from tests.jobqueue import empty_queues, run_jobs
from tests.standards.packages import grade6, ident, to_bytes


def _upload(client, name: str, content: bytes, framework_name: str = ""):
    data = {"file": (io.BytesIO(content), name), "framework_name": framework_name}
    return client.post("/standards/imports", data, content_type="multipart/form-data")


def _import_id(response) -> int:
    return int(re.search(r"/standards/imports/(\d+)", response.headers["Location"]).group(1))


def _id_of(n: int) -> int:
    return db.session.scalar(select(StandardItem.id).where(StandardItem.identifier == ident(n)))


def test_upload_check_preview_and_apply_a_case_package(as_user, tenant, district):
    empty_queues()
    client, _admin = as_user("district_admin")
    response = _upload(client, "state-math.json", to_bytes(grade6()))
    assert response.status_code == 303
    import_id = _import_id(response)
    assert "Checking" in client.get(f"/standards/imports/{import_id}").get_data(as_text=True)
    run_jobs()
    page = client.get(f"/standards/imports/{import_id}").get_data(as_text=True)
    assert "Ready to apply" in page and "State Mathematics Standards" in page
    assert "6.RP.A.1" in page and "sequenceNumber was written as text" in page  # the tree and the warning
    fragment = client.get(f"/standards/imports/{import_id}", htmx=True)
    assert fragment.status_code == 286 and "<html" not in fragment.get_data(as_text=True)
    warnings = re.search(r'name="warnings"[^>]*value="(\d+)"', page).group(1)
    response = client.post(f"/standards/imports/{import_id}/apply", {"warnings": warnings})
    assert response.status_code == 303
    run_jobs()
    page = client.get(f"/standards/imports/{import_id}").get_data(as_text=True)
    assert "The framework was imported." in page
    tenant(district)
    assert db.session.scalar(select(func.count()).select_from(StandardItem)) == 8


def test_a_csv_whose_parent_points_to_nothing_is_refused_with_its_line(as_user, tenant, district):
    empty_queues()
    client, _admin = as_user("district_admin")
    sheet = b"code,statement,grade levels,subject,parent code\nL.1,Reading,3,ELA,\nL.1.a,Main idea,3,ELA,L.9\n"
    import_id = _import_id(_upload(client, "local.csv", sheet, "Local ELA"))
    run_jobs()
    page = client.get(f"/standards/imports/{import_id}").get_data(as_text=True)
    assert "The file cannot be imported" in page
    assert "Line 3: the parent code &#34;L.9&#34; is not the code of any row." in page


def test_a_csv_without_a_framework_name_answers_422_on_the_page(as_user):
    client, _admin = as_user("district_admin")
    response = _upload(client, "local.csv", b"code,statement\nA,B\n")
    assert response.status_code == 422
    assert "Name the framework this spreadsheet holds." in response.get_data(as_text=True)


def test_a_file_that_is_neither_json_nor_csv_answers_422(as_user):
    client, _admin = as_user("district_admin")
    response = _upload(client, "standards.pdf", b"%PDF-1.7 binary\x00\x01")
    assert response.status_code == 422
    assert "Upload a CASE 1.0 package" in response.get_data(as_text=True)


def test_not_case_json_is_refused_after_the_check(as_user):
    empty_queues()
    client, _admin = as_user("district_admin")
    import_id = _import_id(_upload(client, "x.json", b'{"items": []}'))
    run_jobs()
    page = client.get(f"/standards/imports/{import_id}").get_data(as_text=True)
    assert "is not a CASE 1.0 package" in page


@pytest.mark.parametrize("role", ["teacher", "school_admin", "student", "guardian"])
def test_only_district_admins_reach_the_import_pages(as_user, role):
    client, _user = as_user(role)
    assert client.get("/standards/imports").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("teacher", 200), ("school_admin", 200), ("student", 404)])
def test_staff_browse_frameworks_and_students_do_not(as_user, imported, role, status):
    client, _user = as_user(role)
    assert client.get("/standards/").status_code == status


def test_the_tree_opens_a_level_at_a_time(as_user, imported, tenant, district):
    _actor, record = imported
    client, _teacher = as_user("teacher")
    page = client.get(f"/standards/frameworks/{record.framework_id}").get_data(as_text=True)
    assert "Grade 6" in page and "6.RP.A.1" not in page
    tenant(district)
    fragment = client.get(f"/standards/frameworks/{record.framework_id}?parent={_id_of(3)}", htmx=True)
    html = fragment.get_data(as_text=True)
    assert "<html" not in html
    assert html.index("6.RP.A.1") < html.index("6.RP.A.2") < html.index("6.RP.A.3")


def test_a_standard_page_shows_its_place_and_a_retired_one_its_replacement(as_user, imported, tenant, district):
    from tests.standards.conftest import run_import
    from tests.standards.packages import without

    actor, _record = imported
    run_import(actor, to_bytes(without(without(grade6(), 7), 6, replaced_by=4)))
    tenant(district)
    retired = _id_of(6)
    client, _teacher = as_user("teacher")
    page = client.get(f"/standards/items/{retired}").get_data(as_text=True)
    assert "Retired" in page and "Replaced by:" in page and "6.RP.A.1" in page
    assert "Ratios and Proportional Relationships" in page or "6.RP" in page  # the breadcrumbs


def test_search_finds_codes_and_words_and_answers_htmx_with_the_results(as_user, imported):
    client, _teacher = as_user("teacher")
    page = client.get("/standards/search?q=6.RP.A").get_data(as_text=True)
    assert page.index("6.RP.A.1") < page.index("6.RP.A.2") and "<html" in page
    fragment = client.get("/standards/search?q=unit+rat&pick=standards", htmx=True).get_data(as_text=True)
    assert "<html" not in fragment and "6.RP.A.2" in fragment and "hx-get" in fragment
    assert "6.RP.A.1" not in fragment


def test_the_pickers_chip_is_a_checked_box_and_is_not_added_twice(as_user, imported, tenant, district):
    tenant(district)
    standard = _id_of(4)
    client, _teacher = as_user("teacher")
    chip = client.get(f"/standards/items/{standard}?pick=standards", htmx=True).get_data(as_text=True)
    assert f'name="standards" value="{standard}"' in chip and "checked" in chip
    again = client.get(f"/standards/items/{standard}?pick=standards&standards={standard}", htmx=True)
    assert again.get_data(as_text=True).strip() == ""


def test_another_districts_standard_answers_404(app, imported, make_district, make_user, tenant, district):
    from tests.browser import Browser
    from tests.factories import PASSWORD

    tenant(district)
    standard, framework = _id_of(4), imported[1].framework_id
    outsider = make_user("teacher", district=make_district())
    browser = Browser(app)
    browser.login(outsider.email, PASSWORD)
    assert browser.get(f"/standards/items/{standard}").status_code == 404
    assert browser.get(f"/standards/frameworks/{framework}").status_code == 404
    assert browser.get(f"/standards/imports/{imported[1].id}").status_code == 404


def test_standards_are_found_by_their_case_identifier(imported, tenant, district):
    from app.standards import services

    actor, _record = imported
    found = services.by_identifiers(actor, [ident(4), "not-there"])
    assert list(found) == [ident(4)] and found[ident(4)].code == "6.RP.A.1"


def test_a_framework_id_out_of_range_is_ignored_not_a_500(as_user, imported):
    client, _teacher = as_user("teacher")
    response = client.get("/standards/search?q=6.RP&framework=99999999999999999999")
    assert response.status_code == 200 and "6.RP.A.1" in response.get_data(as_text=True)
