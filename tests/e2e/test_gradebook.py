"""The gradebook in Chromium at iPad size (issue 20): the demo teacher types a column of grades by keyboard
(type to replace, Enter saves and moves down), a refused value stays in its cell with the reason until it is
fixed, Tab moves right, and the grades are there after a reload. Portrait with touch: a tap opens the cell.
No console error (beyond the browser's own line for the refusal), no CSP violation, no sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.curriculum_helpers import assert_clean, signed_in_teacher

COLUMN = "Homework 7"  # 10 points, due in the second quarter of the fall term: not locked
READ_COLUMN = """(title) => {
  const table = document.getElementById('gb-table');
  const index = Array.from(table.tHead.rows[0].cells).findIndex(th => th.innerText.startsWith(title));
  return Array.from(table.tBodies[0].rows).map(row => row.cells[index].innerText.split('\\n')[0].trim());
}"""


@pytest.fixture
def teacher(page_for, live_server):
    return lambda *args, **options: signed_in_teacher(page_for, live_server, *args, **options)


def _open_gradebook(page, base: str) -> None:
    page.goto(base + "/gradebook/")
    page.get_by_role("link", name=re.compile("^Grade 2 Homeroom")).click()
    page.wait_for_url(re.compile(r".*/gradebook/sections/\d+$"))
    expect(page.locator("#gb-table")).to_be_visible()


def _column_cell(page, row: int):
    index = page.evaluate(
        "(t) => Array.from(document.getElementById('gb-table').tHead.rows[0].cells)"
        ".findIndex(th => th.innerText.startsWith(t))",
        COLUMN,
    )
    return page.locator("#gb-table tbody tr").nth(row).locator("th, td").nth(index)


def test_a_teacher_enters_a_column_of_grades_by_keyboard_at_ipad_size(teacher, live_server):
    page = teacher(1024, 768)
    _open_gradebook(page, live_server)
    rows = page.locator("#gb-table tbody tr").count()
    assert rows >= 5
    _column_cell(page, 0).click()
    typed = [str(10 - n % 4) for n in range(rows)]
    for n, value in enumerate(typed):
        page.keyboard.type(value if n != 1 else "99")
        page.keyboard.press("Enter")
        if n == 1:
            refused = _column_cell(page, 1)
            expect(refused).to_contain_text("The most this assignment gives is 10 points.")
            expect(page.locator("#gb-status")).to_contain_text("The most this assignment gives is 10 points.")
            page.keyboard.type(value)  # typing replaces the refused value; Enter saves and moves on
            page.keyboard.press("Enter")
        expect(page.locator("#gb-table td.saving")).to_have_count(0)
    assert page.evaluate(READ_COLUMN, COLUMN) == typed
    # Tab saves and moves right.
    _column_cell(page, 0).click()
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    expect(page.locator("#gb-table td.saving")).to_have_count(0)
    focused = page.evaluate("document.activeElement.cellIndex")
    assert (
        focused
        == page.evaluate(
            "(t) => Array.from(document.getElementById('gb-table').tHead.rows[0].cells)"
            ".findIndex(th => th.innerText.startsWith(t))",
            COLUMN,
        )
        + 1
    )
    page.reload()
    expect(page.locator("#gb-table")).to_be_visible()
    assert page.evaluate(READ_COLUMN, COLUMN) == ["6", *typed[1:]]
    assert_clean(page, 422)


def test_in_portrait_a_tap_opens_a_cell_and_the_header_and_names_stay_in_view(teacher, live_server):
    page = teacher(768, 1024, has_touch=True)
    _open_gradebook(page, live_server)
    cell = _column_cell(page, 2)
    cell.tap()
    expect(cell.locator("input")).to_be_focused()
    page.keyboard.press("Escape")
    wrap = page.locator(".gb-wrap")
    wrap.evaluate("el => { el.scrollTop = 400; el.scrollLeft = 600; }")
    header = page.locator("#gb-table thead th").first.bounding_box()
    name = page.locator("#gb-table tbody th").nth(8).bounding_box()
    box = wrap.bounding_box()
    assert abs(header["y"] - box["y"]) < 3  # the header row sticks to the top
    assert abs(name["x"] - box["x"]) < 3  # the first column sticks to the side
    assert_clean(page)
