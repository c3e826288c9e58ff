"""Each demo role signs in at iPad size and lands on a home page with its own data, error-free."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in

ROLES = {
    "admin": ("Dana Whitfield", "Teachers"),
    "principal": ("Marcus Bell", "Students"),
    "teacher": ("Rosa Alvarez", "Today"),
    "student": ("Sam Okafor", "Jordan Okafor"),
    "guardian": ("Jordan Okafor", "Sam Okafor"),
}


@pytest.mark.parametrize("viewport", [(1024, 768), (768, 1024)], ids=["landscape", "portrait"])
@pytest.mark.parametrize("who", list(ROLES))
def test_each_role_signs_in_and_sees_its_home_page(live_server, page_for, who, viewport):
    page = page_for(*viewport)
    sign_in(page, live_server, f"{who}@demo.chalkline.test")
    name, own_data = ROLES[who]
    assert name in page.locator("h1").inner_text()
    assert own_data in page.locator("main").inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not overflow, "page scrolls sideways"
    assert page.problems == []


def test_a_wrong_password_keeps_the_email_and_explains(live_server, page_for):
    page = page_for()
    page.goto(live_server + "/account/login")
    page.get_by_label("Email").fill("teacher@demo.chalkline.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert "do not match an account" in page.locator("main").inner_text()
    assert page.get_by_label("Email").input_value() == "teacher@demo.chalkline.test"
    assert page.get_by_label("Password").input_value() == ""
    assert page.problems == [] or all("422" in p for p in page.problems)


def test_sign_out_returns_to_sign_in(live_server, page_for):
    page = page_for(768, 1024)
    sign_in(page, live_server, "teacher@demo.chalkline.test")
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server + "/account/login")
    page.goto(live_server + "/")
    assert page.url.startswith(live_server + "/account/login")
