"""The rich-text editor in Chromium, on the test-only demo page (tests/richtext/demo_app.py) served against the
live server's seeded database: typing, formatting, a link, LaTeX, an image upload, a table, saving, and no console
error or CSP violation at any point; the toolbar at iPad and phone sizes; sanitised XSS vectors never running."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from io import BytesIO

import pytest
import requests
from PIL import Image

from app.config import ROOT
from tests.e2e.conftest import E2E_DB, _free_port, sign_in

TEACHER = "teacher@demo.chalkline.test"
# Records every CSP violation the page sees (Playwright's init scripts are not subject to the page's CSP).
CSP_RECORDER = (
    "document.addEventListener('securitypolicyviolation', e => { (window.__csp = window.__csp || [])"
    ".push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.columnNumber); });"
)


@pytest.fixture(scope="module")
def demo_server(live_server, service_urls, tmp_path_factory):
    """The demo app on the live server's database (migrated and seeded by the live_server fixture)."""
    from sqlalchemy.engine import make_url

    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=make_url(service_urls["owner"]).set(database=E2E_DB).render_as_string(False),
        REDIS_URL=service_urls["redis"],
        APP_ENV="development",
        SECRET_KEY="e2e-richtext-" + "s" * 40,
        STORAGE_DIR=str(tmp_path_factory.mktemp("richtext-storage")),
        MAIL_DIR=str(tmp_path_factory.mktemp("richtext-mail")),
    )
    app = "tests.richtext.demo_app:create_demo_app()"
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", app, "run", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.1)
    else:
        server.kill()
        raise RuntimeError("demo server did not become healthy")
    yield base
    server.terminate()
    server.wait(10)


@pytest.fixture
def editor_page(page_for, demo_server):
    def _open(width=1024, height=768):
        page = page_for(width, height)
        page.context.add_init_script(CSP_RECORDER)
        sign_in(page, demo_server, TEACHER)
        page.goto(demo_server + "/rtdemo/")
        page.wait_for_selector("trix-editor[connected]")
        page.locator("trix-editor").click()
        page.keyboard.press("Control+a")
        page.keyboard.press("Delete")
        return page

    return _open


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def _png(path) -> str:
    buffer = BytesIO()
    Image.new("RGB", (160, 90), (15, 118, 110)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _wait_for(page, expression: str, timeout_ms: int = 8000) -> None:
    # page.wait_for_function would evaluate a string, which the page's CSP (no eval) refuses.
    for _ in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {expression}")


def test_a_teacher_writes_formats_adds_math_an_image_and_a_table_and_saves(editor_page, demo_server, tmp_path):
    page = editor_page()
    toolbar = page.locator("trix-toolbar")
    page.keyboard.type("Photosynthesis")
    toolbar.locator("[data-trix-attribute=heading1]").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Plants make ")
    toolbar.locator("[data-trix-attribute=bold]").click()
    page.keyboard.type("sugar")
    toolbar.locator("[data-trix-attribute=bold]").click()
    page.keyboard.type(" from light.")
    page.keyboard.press("Enter")
    toolbar.locator("[data-trix-attribute=bullet]").click()
    page.keyboard.type("water")
    page.keyboard.press("Enter")
    page.keyboard.type("carbon dioxide")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("The area is ")
    toolbar.locator("[data-trix-action=x-math]").click()
    page.get_by_label("LaTeX").fill("\\pi r^2")
    page.locator("[data-rt-insert-math]").click()
    page.keyboard.type(" and more at ")
    toolbar.locator("[data-trix-action=link]").click()
    page.get_by_label("Web address").fill("https://example.org/plants")
    toolbar.locator("input[data-trix-method=setAttribute]").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    with page.expect_file_chooser() as chooser:
        toolbar.locator("[data-trix-action=attachFiles]").click()
    chooser.value.set_files(_png(tmp_path / "leaf.png"))
    _wait_for(page, "document.querySelector('trix-editor').value.includes('/richtext/images/')")
    toolbar.locator("[data-trix-action=x-table]").click()
    page.locator("[data-rt-table-input]").fill("Planet | Moons\nEarth | 1\nMars | 2")
    page.locator("[data-rt-insert-table]").click()
    page.screenshot(path=str(tmp_path / "editor-1024.png"), full_page=True, caret="initial")

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(demo_server + "/rtdemo/show")
    shown = page.locator("#rendered")
    assert shown.locator("h2").inner_text() == "Photosynthesis"
    assert shown.locator("strong").inner_text() == "sugar"
    assert shown.locator("li").all_inner_texts() == ["water", "carbon dioxide"]
    assert shown.locator("a").get_attribute("href") == "https://example.org/plants"
    assert shown.locator("math").count() == 1 and shown.locator("math msup").count() == 1
    assert shown.locator("table td").all_inner_texts() == ["Earth", "1", "Mars", "2"]
    _wait_for(page, "document.querySelector('#rendered img').naturalWidth === 160")
    page.screenshot(path=str(tmp_path / "shown-1024.png"), full_page=True, caret="initial")
    assert page.problems == []
    assert _violations(page) == []

    # Back in the editor, the saved document loads with its image and table, still without a violation.
    page.goto(demo_server + "/rtdemo/")
    page.wait_for_selector("trix-editor[connected] figure img")
    assert page.locator("trix-editor table :is(td, th)").count() == 6
    assert page.problems == [] and _violations(page) == []


def test_an_upload_the_server_refuses_shows_its_message_in_the_field(editor_page, tmp_path):
    page = editor_page()
    fake = tmp_path / "notes.png"
    fake.write_text("I am a text file with a picture's name")
    with page.expect_file_chooser() as chooser:
        page.locator("[data-trix-action=attachFiles]").click()
    chooser.value.set_files(str(fake))
    status = page.locator("[data-rt-status]")
    status.wait_for(state="visible")
    assert status.inner_text() == "Only PNG, JPEG, GIF and WebP images can be added."
    assert page.locator("trix-editor figure").count() == 0
    assert [p for p in page.problems if "422" not in p] == []  # the browser logs the refused upload itself
    assert _violations(page) == []


def test_a_text_over_the_limit_comes_back_with_the_message_and_the_text(editor_page, demo_server):
    page = editor_page()
    page.evaluate(
        "document.querySelector('trix-editor').editor.loadHTML('<p>' + 'lorem ipsum '.repeat(90000) + '</p>')"
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("#body-error")
    assert "too long to save" in page.locator("#body-error").inner_text()
    assert page.url == demo_server + "/rtdemo/"
    assert page.evaluate("document.querySelector('trix-editor').value.length") > 1_000_000
    assert _violations(page) == []


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (768, 1024), (390, 844)])
def test_the_toolbar_is_touch_sized_and_fits_the_screen(editor_page, width, height, tmp_path):
    page = editor_page(width, height)
    sizes = page.evaluate(
        "Array.from(document.querySelectorAll('trix-toolbar .trix-button-row .trix-button'))"
        ".map(b => { const r = b.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert len(sizes) >= 15
    assert all(w >= 44 and h >= 44 for w, h in sizes), sizes
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / f"editor-{width}x{height}.png"), caret="initial")
    assert page.problems == [] and _violations(page) == []


def test_sanitised_vectors_do_not_run_even_without_the_csp(page_for, demo_server):
    page = page_for()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(demo_server + "/rtdemo/vectors")
    page.wait_for_selector("#done")
    page.mouse.move(200, 200)
    for link in page.locator("a").all()[:40]:
        link.hover()
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('script, iframe, object, embed, style, svg, form').length") == 0
