"""A guardian asks for a copy of their child's record on a phone and downloads it when the job has run."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

from app.config import ROOT
from tests.e2e.conftest import E2E_DB, sign_in

OVERFLOW = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


def _run_worker(service_urls) -> None:
    """One burst of the real worker against the live server's database and Redis (the export job)."""
    from sqlalchemy.engine import make_url

    env = dict(
        os.environ,
        DATABASE_URL=make_url(service_urls["owner"]).set(database=E2E_DB).render_as_string(False),
        REDIS_URL=service_urls["redis"],
        APP_ENV="development",
        SECRET_KEY="e2e-" + "s" * 40,
    )
    subprocess.run([sys.executable, "-m", "jobs.worker", "--burst"], env=env, cwd=ROOT, check=True, timeout=120)


def test_a_guardian_requests_a_copy_and_downloads_it_at_phone_size(live_server, service_urls, page_for):
    page = page_for(390, 844, has_touch=True, is_mobile=True)
    sign_in(page, live_server, "guardian@demo.chalkline.test")
    page.goto(live_server + "/compliance/requests")
    assert page.locator("h1").inner_text().strip() == "Records requests"
    page.get_by_label("What are you asking for?").select_option("copy")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(f"{live_server}/compliance/requests/*")
    assert not page.evaluate(OVERFLOW), "the request page scrolls sideways"
    _run_worker(service_urls)
    link = page.get_by_role("link", name="Download the record (ZIP)")
    link.wait_for(timeout=15000)  # the live region polls every 2 s
    box = link.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert {"record.json", "summary.pdf"} <= set(archive.namelist())
    assert page.problems == []
