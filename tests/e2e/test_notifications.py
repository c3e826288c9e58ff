"""A guardian at iPad size sees the bell's count, reads a message in the inbox, and changes their choices."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in

OVERFLOW = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


def _bell(page):
    return page.locator("#notification-bell")


@pytest.mark.parametrize("viewport", [(768, 1024), (390, 844)], ids=["ipad", "phone"])
def test_a_guardian_reads_a_message_and_the_bell_counts_down(live_server, page_for, viewport):
    page = page_for(*viewport)
    sign_in(page, live_server, "guardian@demo.chalkline.test")
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    badge = _bell(page).locator(".badge")
    badge.wait_for()
    before = int(badge.inner_text().split()[0])
    assert before >= 1

    _bell(page).click()
    page.wait_for_url(live_server + "/notifications/")
    card = page.locator("main li.card").filter(has=page.locator(".badge", has_text="New")).first
    title = card.locator("h2").inner_text()
    assert not page.evaluate(OVERFLOW), "the inbox scrolls sideways"
    card.get_by_role("button", name="Mark as read").click()
    page.locator("main li.card").filter(has_text=title).locator(".badge").wait_for(state="detached")

    if menu.is_visible() and not _bell(page).is_visible():
        menu.click()
    if before == 1:
        _bell(page).locator(".badge").wait_for(state="detached")
    else:
        page.wait_for_function(
            "n => document.querySelector('#notification-bell .badge').textContent.trim().startsWith(String(n))",
            arg=before - 1,
        )
    assert page.problems == []


def test_a_guardian_turns_the_digest_email_off(live_server, page_for):
    page = page_for(768, 1024)
    sign_in(page, live_server, "guardian@demo.chalkline.test")
    page.goto(live_server + "/notifications/preferences")
    digest = page.get_by_role("group", name="Daily summary: new grades, missing work and what is due")
    email = digest.get_by_label("By email")
    email.focus()
    page.keyboard.press("Space")  # keyboard reachable
    assert not email.is_checked()
    page.get_by_role("button", name="Save choices").click()
    page.get_by_text("Your choices are saved.").wait_for()
    assert (
        not page.get_by_role("group", name="Daily summary: new grades, missing work and what is due")
        .get_by_label("By email")
        .is_checked()
    )
    assert page.problems == []
