"""Aligning a lesson to standards in Chromium at iPad size, by touch (issue 17), on the live server's demo district:
search the picker by code and add a standard, browse the framework's tree a level at a time and add another, take
one off, save; the lesson's page names the standards it is aligned to, in the order chosen, and the edit page
brings them back. Every step checks that no console error and no CSP violation happened and that the page does not
scroll sideways."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.curriculum_helpers import assert_clean, signed_in_teacher


def _first_lesson(page, base: str) -> str:
    page.goto(base + "/curriculum")
    page.get_by_role("link", name=re.compile("Grade 2 Homeroom")).click()
    page.get_by_role("table", name=re.compile("Units of")).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/curriculum/units/\d+$"))
    page.locator("a[href*='/curriculum/lessons/']").first.click()
    page.wait_for_url(re.compile(r".*/curriculum/lessons/\d+$"))
    return page.url


def test_a_teacher_aligns_a_lesson_by_touch_at_ipad_size(live_server, page_for):
    page = signed_in_teacher(page_for, live_server, 768, 1024, has_touch=True)
    lesson_url = _first_lesson(page, live_server)
    page.get_by_role("link", name="Edit", exact=True).tap()
    page.wait_for_url(lesson_url + "/edit")
    page.wait_for_selector("trix-editor[connected]")
    picker = page.get_by_role("group", name="Standards")
    expect(picker.get_by_text("None chosen yet.")).to_be_visible()

    # Search by code: the results come as the teacher types; Enter searches and does not submit the lesson.
    search = picker.get_by_label("Find a standard")
    search.tap()
    search.type("6.RP.A.1")
    add = picker.get_by_role("button", name="Add 6.RP.A.1")
    expect(add).to_be_visible()
    box = add.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    with page.expect_response(re.compile(r".*/standards/search\?.*")):
        search.press("Enter")  # searches again, and does not submit the lesson
    assert page.url == lesson_url + "/edit"
    add.tap()
    chosen = picker.get_by_role("list", name="Chosen standards")
    expect(chosen.get_by_role("checkbox")).to_have_count(1)
    expect(picker.get_by_text("None chosen yet.")).to_be_hidden()
    add.tap()  # a second tap does not add it twice
    page.wait_for_timeout(300)
    expect(chosen.get_by_role("checkbox")).to_have_count(1)
    assert_clean(page)

    # Browse the tree by touch: the grade, its domain, the cluster (it has no code), then add and remove.
    picker.get_by_role("button", name=re.compile("^Browse Demo State Mathematics")).tap()
    results = page.locator("#picker-results-standards")
    results.get_by_role("button", name="5 below").tap()
    results.get_by_role("button", name="2 below").first.tap()  # 6.RP: its cluster and 6.RP.A.2 (two parents)
    results.get_by_role("button", name="3 below").tap()  # the cluster: 6.RP.A.1 to 6.RP.A.3
    results.get_by_role("button", name="Add 6.RP.A.3", exact=True).tap()
    results.get_by_role("button", name="Add 6.RP.A.2").first.tap()
    expect(chosen.get_by_role("checkbox")).to_have_count(3)
    chosen.get_by_role("checkbox", name=re.compile("6.RP.A.3")).tap()  # taken off again
    assert_clean(page)

    page.get_by_role("button", name="Save lesson").tap()
    page.wait_for_url(lesson_url)
    aligned = page.get_by_role("region", name="Standards")
    text = aligned.inner_text()
    assert "6.RP.A.1" in text and "6.RP.A.2" in text and "6.RP.A.3" not in text
    assert text.index("6.RP.A.1") < text.index("6.RP.A.2")
    assert_clean(page)

    page.goto(lesson_url + "/edit")
    boxes = page.get_by_role("list", name="Chosen standards").get_by_role("checkbox")
    expect(boxes).to_have_count(2)
    page.screenshot(path="/tmp/standards-e2e-ipad.png", full_page=False)
    assert_clean(page)


def test_the_picker_is_keyboard_reachable(live_server, page_for):
    page = signed_in_teacher(page_for, live_server, 1024, 768)
    lesson_url = _first_lesson(page, live_server)
    page.goto(lesson_url + "/edit")
    page.wait_for_selector("trix-editor[connected]")
    chosen = page.get_by_role("list", name="Chosen standards")
    before = chosen.get_by_role("checkbox").count()  # the other test may have aligned this lesson already
    search = page.get_by_label("Find a standard")
    search.focus()
    page.keyboard.type("mental strategies")
    add = page.get_by_role("button", name="Add 2.OA.B.2")
    expect(add).to_be_visible()
    page.keyboard.press("Tab")  # the framework filter
    page.keyboard.press("Tab")  # the first Browse button
    for _ in range(5):
        if page.evaluate("document.activeElement.textContent.trim()") == "Add":
            break
        page.keyboard.press("Tab")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label == "Add 2.OA.B.2", label  # the one match of "mental strategies"
    page.keyboard.press("Enter")
    expect(chosen.get_by_role("checkbox")).to_have_count(before + 1)
    expect(chosen.get_by_role("checkbox", name=re.compile(re.escape(label.removeprefix("Add "))))).to_be_checked()
    assert_clean(page)
