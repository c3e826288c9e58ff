"""A teacher opens "My sections" and a roster at iPad size and sees the demo student, error-free."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in

OVERFLOW = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


def _open_nav_link(page, name: str) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


@pytest.mark.parametrize("viewport", [(1024, 768), (768, 1024)], ids=["landscape", "portrait"])
def test_a_teacher_opens_my_sections_and_sees_the_demo_student_on_the_homeroom_roster(live_server, page_for, viewport):
    page = page_for(*viewport)
    sign_in(page, live_server, "teacher@demo.chalkline.test")
    _open_nav_link(page, "My sections")
    page.wait_for_url(live_server + "/rosters/sections/mine")
    assert page.locator("h1").inner_text().strip() == "My sections"
    sections = page.locator("main table tbody tr")
    assert sections.count() >= 3
    assert not page.evaluate(OVERFLOW), "My sections scrolls sideways"

    fall = sections.filter(has_text="Fall 2026").get_by_role("link", name=re.compile("Homeroom"))
    fall.first.click()
    page.wait_for_url(re.compile(r".*/sections/\d+$"))
    assert "Homeroom" in page.locator("h1").inner_text()
    roster = page.locator("main table")
    assert roster.get_by_role("link", name="Sam Okafor").is_visible()
    assert roster.locator("tbody tr").count() >= 5
    assert not page.evaluate(OVERFLOW), "the roster scrolls sideways"
    assert page.problems == []


def test_a_teacher_does_not_see_a_section_of_another_teacher(live_server, page_for):
    page = page_for(768, 1024)
    sign_in(page, live_server, "teacher@demo.chalkline.test")
    page.goto(live_server + "/rosters/sections/mine")
    own = {
        href.rsplit("/", 1)[1]
        for href in page.locator("main table tbody a[href*='/rosters/sections/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    }
    other = next(str(n) for n in range(1, 400) if str(n) not in own)
    response = page.goto(f"{live_server}/sections/{other}")
    assert response.status == 404
