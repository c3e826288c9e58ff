"""Comparing two versions of a lesson and restoring one, in Chromium at iPad size (issue 19), on the live server's
seeded demo district: the teacher edits a lesson, opens what changed from its history, switches to side by side
(HTMX, the choice in the URL), steps to the next change by keyboard, and restores the older version with a note
after seeing what it changes and which sections teach the lesson. Every step checks that no console error and no
CSP violation happened and that the page does not scroll sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.curriculum_helpers import assert_clean, signed_in_teacher

IPAD = (768, 1024)


@pytest.fixture
def teacher(page_for, live_server):
    return lambda *args, **options: signed_in_teacher(page_for, live_server, *args, **options)


def test_a_teacher_compares_two_versions_and_restores_one_at_ipad_size(live_server, teacher, tmp_path):
    page = teacher(*IPAD, has_touch=True)
    page.goto(live_server + "/curriculum")
    page.get_by_role("link", name=re.compile("Grade 2 Homeroom")).click()
    page.get_by_role("table", name=re.compile("Units of")).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/curriculum/units/\d+$"))
    page.locator("main a[href*='/curriculum/lessons/']").first.click()
    page.wait_for_url(re.compile(r".*/curriculum/lessons/\d+$"))
    lesson_url = page.url

    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_selector("trix-editor[connected]")
    page.get_by_label("Title").fill("Compare me, revised")
    editor = page.get_by_role("textbox", name="Homework", exact=True)
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("Read chapter two aloud at home.")
    page.get_by_label("Note for the history").fill("Homework for the week")
    page.get_by_role("button", name="Save lesson").click()
    page.wait_for_url(lesson_url)
    assert_clean(page)

    page.get_by_role("link", name="History").click()
    page.get_by_role("link", name=re.compile("What changed in version")).first.click()
    page.wait_for_url(re.compile(r".*/compare\?left=\d+&right=\d+$"))
    diff = page.locator("#diff")
    expect(diff.locator("ins").filter(has_text="Read chapter two aloud at home.")).to_be_visible()
    expect(diff.locator("ins").filter(has_text="revised")).to_be_visible()
    expect(diff).to_contain_text("Homework for the week")
    assert_clean(page)

    # Side by side, by HTMX: the diff is replaced in place and the URL says which view it is.
    page.get_by_role("link", name="Side by side").click()
    expect(page).to_have_url(re.compile(r"view=side"))
    expect(page.locator("#diff.diff--side .diff-columns").first).to_be_visible()
    page.keyboard.press("n")
    expect(page.locator("#change-1")).to_be_focused()
    page.keyboard.press("n")
    expect(page.locator("#change-2")).to_be_focused()
    expect(page.locator("[data-diff-position]")).to_have_text("Change 2 of 2")
    page.screenshot(path=str(tmp_path / "compare-side-ipad.png"), full_page=True, caret="initial")
    assert_clean(page)

    # Restore the older version: the page shows what the restore changes and what it touches.
    older = int(re.search(r"left=(\d+)", page.url).group(1))
    page.goto(page.url.split("/compare")[0] + f"/versions/{older}/restore")
    impact = page.get_by_role("region", name="What this restore touches")
    expect(impact).to_contain_text("1 section teaches this lesson")
    expect(impact.get_by_role("listitem")).to_contain_text("Grade 2 Homeroom")
    expect(page.locator("#diff del").filter(has_text="Read chapter two aloud at home.")).to_be_visible()
    page.get_by_label("Note for the history").fill("The reading moves to next week")
    page.screenshot(path=str(tmp_path / "restore-ipad.png"), full_page=True, caret="initial")
    page.get_by_role("button", name=f"Restore version {older}").click()
    page.wait_for_url(lesson_url)
    expect(page.locator("h1")).not_to_have_text("Compare me, revised")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("table", name="Versions").locator("tbody tr").first).to_contain_text(
        f"Restored version {older}: The reading moves to next week"
    )
    assert_clean(page)
