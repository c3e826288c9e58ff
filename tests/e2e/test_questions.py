"""The question bank in Chromium, on the live server's demo seed: a teacher writes a multiple-choice question at iPad
size (typing into Trix editors, adding an answer row by htmx without losing what was typed), saves it and sees the
student's preview and the key; a numeric answer that is not a number comes back (422) on its field with the typed
text; the bank page and its filter work at phone size. Every step checks for console errors, CSP violations and
sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.curriculum_helpers import assert_clean, signed_in_teacher


@pytest.fixture
def teacher(page_for, live_server):
    return lambda *args, **options: signed_in_teacher(page_for, live_server, *args, **options)


def _open_bank(page, base: str) -> None:
    page.goto(base + "/questions/")
    page.get_by_role("link", name="Forces and motion").click()
    page.wait_for_url(re.compile(r".*/questions/banks/\d+$"))


def _type(page, label: str, text: str) -> None:
    page.get_by_role("textbox", name=label, exact=True).click()
    page.keyboard.type(text)


def test_a_teacher_writes_a_multiple_choice_question_on_an_ipad(teacher, live_server):
    page = teacher(768, 1024, has_touch=True)
    _open_bank(page, live_server)
    page.get_by_role("link", name="New question").first.click()
    page.get_by_role("link", name=re.compile("^Multiple choice")).click()
    page.wait_for_selector("trix-editor[connected]")

    _type(page, "Question", "Which planet is largest? \\(r_J \\approx 11 r_E\\)")
    _type(page, "Answer 1", "Mars")
    _type(page, "Answer 2", "Jupiter")
    page.get_by_label("Title").fill("Largest planet")
    page.locator('label:has-text("Correct answer")').nth(1).click()
    page.get_by_role("button", name="Remove answer 4").click()
    expect(page.get_by_role("textbox", name="Answer 4", exact=True)).to_have_count(0)
    expect(page.get_by_role("textbox", name="Answer 1", exact=True)).to_have_text("Mars")
    _type(page, "Answer 3", "Venus")
    page.get_by_role("button", name="Save question").click()
    page.wait_for_url(re.compile(r".*/questions/\d+$"))

    expect(page.get_by_role("heading", name="Largest planet")).to_be_visible()
    preview = page.locator(".q-preview")
    expect(preview.get_by_label("Jupiter")).to_be_visible()
    expect(preview.locator("math")).to_have_count(1)
    key = page.locator(".q-key")
    expect(key.locator(".q-correct")).to_have_text(re.compile("Jupiter"))
    assert_clean(page)


def test_a_numeric_answer_that_is_not_a_number_is_refused_on_its_field(teacher, live_server):
    page = teacher(1024, 768)
    _open_bank(page, live_server)
    page.get_by_role("link", name="New question").first.click()
    page.get_by_role("link", name=re.compile("^Numeric")).click()
    page.wait_for_selector("trix-editor[connected]")
    _type(page, "Question", "How many moons does Mars have?")
    page.get_by_label("Number", exact=True).fill("two")
    page.get_by_role("button", name="Save question").click()

    expect(page.get_by_text("“two” is not a number.")).to_be_visible()
    expect(page.get_by_label("Number", exact=True)).to_have_value("two")
    expect(page.get_by_role("textbox", name="Question", exact=True)).to_have_text("How many moons does Mars have?")
    assert_clean(page, 422)


def test_the_bank_filters_at_phone_size(teacher, live_server):
    page = teacher(390, 844, has_touch=True)
    _open_bank(page, live_server)
    page.get_by_label("Type").select_option("numeric")
    expect(page.get_by_text("2 questions", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"type=numeric"))
    assert_clean(page)
