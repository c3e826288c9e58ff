"""Lessons in Chromium at iPad size (issue 16), on the live server's seeded demo district: one made from a template
by typing into its Trix editors, saved twice more, three versions in its history; a save from a second editing
session after the first one saved is refused (409) with what changed, and the typed text stays in the editor; typing
autosaves a draft that history keeps as one coalesced version. Every step also checks that no console error and no
CSP violation happened and that the page does not scroll sideways.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.curriculum_helpers import assert_clean, signed_in_teacher


@pytest.fixture
def teacher(page_for, live_server):
    """teacher(width, height, **context_options) -> a page signed in as the demo teacher, in a browser of its own."""
    return lambda *args, **options: signed_in_teacher(page_for, live_server, *args, **options)


def _editor(page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


def _type_at_end(page, label: str, text: str) -> None:
    _editor(page, label).click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def _open_homeroom_unit(page, base: str) -> None:
    page.goto(base + "/curriculum")
    page.get_by_role("link", name=re.compile("Grade 2 Homeroom")).click()
    page.get_by_role("table", name=re.compile("Units of")).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/curriculum/units/\d+$"))


def _open_editor(page, lesson_url: str) -> None:
    page.goto(lesson_url)
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(lesson_url + "/edit")
    page.wait_for_selector("trix-editor[connected]")


def _save(page, lesson_url: str) -> None:
    page.get_by_role("button", name="Save lesson").click()
    page.wait_for_url(lesson_url)


def _versions(page) -> list[list[str]]:
    """The history table's rows: version, note, state."""
    rows = page.get_by_role("table", name="Versions").locator("tbody tr").all()
    cells = [[" ".join(text.split()) for text in row.locator("td").all_inner_texts()] for row in rows]
    return [[version, note, state] for version, _saved, _by, note, state, *_changes in cells]


def test_a_lesson_from_a_template_keeps_its_versions_and_a_stale_save_keeps_the_typed_text(
    live_server, teacher, tmp_path
):
    page = teacher()
    _open_homeroom_unit(page, live_server)
    page.get_by_role("link", name="New lesson").first.click()
    page.get_by_role("navigation", name="Start from a template").get_by_role("link", name="5E lesson").click()
    page.wait_for_url(re.compile(r".*/lessons/new\?template=\d+$"))
    page.wait_for_selector("trix-editor[connected]")
    assert _editor(page, "Warm-up").inner_text().strip() == "Engage: a question or a surprising picture."
    assert page.get_by_label("Length in minutes").input_value() == "50"
    page.get_by_label("Title").fill("Snowflakes up close")
    _type_at_end(page, "Objectives", "Students will describe the six-fold symmetry of a snowflake.")
    _type_at_end(page, "Warm-up", " Show a photo of one.")
    page.get_by_role("button", name="Save lesson").click()
    page.wait_for_url(re.compile(r".*/curriculum/lessons/\d+$"))
    lesson_url = page.url
    assert page.locator("h1").inner_text() == "Snowflakes up close"
    assert "six-fold symmetry" in page.get_by_role("region", name="Objectives").inner_text()
    warm_up = page.get_by_role("region", name="Warm-up").inner_text()
    assert "Engage: a question or a surprising picture. Show a photo of one." in warm_up
    assert "Elaborate: apply the idea to a new case." in page.get_by_role("region", name="Activities").inner_text()
    assert_clean(page)

    for section, words, note in (
        ("Materials", "Hand lenses and black paper.", "Added the materials"),
        ("Homework", "Draw the snowflake you saw.", ""),
    ):
        _open_editor(page, lesson_url)
        _type_at_end(page, section, words)
        page.get_by_label("Note for the history").fill(note)
        _save(page, lesson_url)
        assert words in page.get_by_role("region", name=section).inner_text()
    page.get_by_role("link", name="History").click()
    assert page.get_by_text("3 versions").is_visible()
    assert _versions(page) == [
        ["Version 3", "", "Current"],
        ["Version 2", "Added the materials", ""],
        ["Version 1", "Created from the template 5E lesson", ""],
    ]
    assert_clean(page)

    # Two editing sessions (the same teacher in a second browser): the first saves; the second's autosave, then its
    # save, are refused.
    mine, theirs = page, teacher()
    _open_editor(theirs, lesson_url)
    _open_editor(mine, lesson_url)
    mine.get_by_label("Title").fill("Snowflakes up close, revised")
    _type_at_end(mine, "Activities", " Then compare with a partner.")
    _save(mine, lesson_url)
    with theirs.expect_response(lambda r: r.url.endswith("/autosave"), timeout=10_000) as autosaved:
        _type_at_end(theirs, "Notes", "Bring mittens for the walk outside.")
    assert autosaved.value.status == 409
    expect(theirs.locator("#autosave-status")).to_contain_text("Someone saved a newer version; your changes are not")
    with theirs.expect_response(lambda r: r.url == lesson_url + "/edit" and r.request.method == "POST") as refused:
        theirs.get_by_role("button", name="Save lesson").click()
    assert refused.value.status == 409
    notice = theirs.locator(".alert").filter(has_text="Someone saved a newer version while you were editing")
    expect(notice).to_be_visible()
    assert sorted(notice.get_by_role("listitem").all_inner_texts()) == ["Activities", "Title"]
    # What changed meanwhile, as a diff from the version this session started from (issue 19), beside its text.
    newer = theirs.get_by_role("region", name="What changed meanwhile, and your text")
    expect(newer.locator("ins").filter(has_text=", revised")).to_be_visible()
    expect(newer.locator("ins").filter(has_text="Then compare with a partner.")).to_be_visible()
    expect(newer.get_by_role("radio", name="My text")).to_have_count(2)
    theirs.wait_for_selector("trix-editor[connected]")
    assert "Bring mittens for the walk outside." in _editor(theirs, "Notes").inner_text()
    assert theirs.get_by_label("Title").input_value() == "Snowflakes up close"
    theirs.screenshot(path=str(tmp_path / "stale-1024.png"), full_page=True, caret="initial")
    assert_clean(theirs, 409)

    # Saving again, knowingly, replaces the newer version with the refused session's text.
    _save(theirs, lesson_url)
    assert "Bring mittens" in theirs.get_by_role("region", name="Notes").inner_text()
    assert_clean(theirs, 409)
    assert_clean(mine)


def test_typing_autosaves_a_draft_that_history_keeps_as_one_version(live_server, teacher):
    page = teacher()
    _open_homeroom_unit(page, live_server)
    page.get_by_role("link", name="New lesson").first.click()
    page.get_by_label("Title").fill("Frost on the window")
    page.get_by_role("button", name="Save lesson").click()
    page.wait_for_url(re.compile(r".*/curriculum/lessons/\d+$"))
    lesson_url = page.url
    _open_editor(page, lesson_url)
    status = page.locator("#autosave-status")
    assert status.inner_text() == "Changes are saved as a draft while you type."
    autosaves = []
    page.on("request", lambda r: r.url.endswith("/autosave") and autosaves.append(r))

    for burst, words in enumerate(("Frost grows in feathery patterns", " on the coldest nights."), start=1):
        started = time.monotonic()
        with page.expect_response(lambda r: r.url.endswith("/autosave"), timeout=10_000) as saved:
            _type_at_end(page, "Notes", words)
        assert saved.value.status == 200
        assert time.monotonic() - started >= 2.5, "autosave did not wait for typing to stop"
        expect(status).to_contain_text("Draft saved at")
        assert len(autosaves) == burst, "one autosave per pause in typing, not one per keystroke"

    # History (in another tab) shows the draft as one version holding both autosaves.
    history = page.context.new_page()
    history.on("console", lambda msg: msg.type == "error" and page.problems.append(f"history tab: {msg.text}"))
    history.goto(lesson_url + "/history")
    assert _versions(history) == [
        ["Version 2", "Autosaved: 2 edits in one editing session", "Current Draft in progress"],
        ["Version 1", "Created", ""],
    ]
    history.close()

    # Saving the page seals that draft (the autosave moved the page's revision on, so this is no stale save).
    page.get_by_label("Note for the history").fill("Frost notes")
    _save(page, lesson_url)
    assert "on the coldest nights." in page.get_by_role("region", name="Notes").inner_text()
    page.get_by_role("link", name="History").click()
    assert _versions(page) == [
        ["Version 2", "Autosaved: 2 edits in one editing session · Frost notes", "Current"],
        ["Version 1", "Created", ""],
    ]
    assert_clean(page)
