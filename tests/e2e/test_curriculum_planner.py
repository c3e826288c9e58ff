"""The section planner in Chromium at iPad size (issue 16), on the live server's seeded demo district: a snow week
skipped day by day moves Monday's lesson to the next week's first class day; a lesson dragged by its handle (mouse in
landscape, touch in portrait) lands on the other day; "Move or change", then Later from the keyboard moves it one
place on. The planner and the lesson editor fit an iPad and a phone. Every step also checks that no console error
and no CSP violation happened and that the page does not scroll sideways.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.curriculum_helpers import assert_clean, signed_in_teacher

# Each class day of the plan on the page: its date as shown, whether the section skips it, the lessons on it
# ("title" or "title day n of m") and the ones that start there (those have a drag handle and "Move or change").
READ_PLAN = """() => Array.from(document.querySelectorAll('#plan .plan-day')).map(day => ({
  name: day.querySelector('.plan-day__date').firstChild.textContent.trim(),
  skipped: day.classList.contains('plan-day--skipped'),
  lessons: Array.from(day.querySelectorAll('.plan-lesson__title')).map(t => t.innerText.replace(/\\s+/g, ' ').trim()),
  starts: Array.from(day.querySelectorAll('.plan-lesson[data-entry] .plan-lesson__title a')).map(a => a.innerText),
}))"""


@pytest.fixture
def teacher(page_for, live_server):
    """teacher(width, height, **context_options) -> a page signed in as the demo teacher, in a browser of its own."""
    return lambda *args, **options: signed_in_teacher(page_for, live_server, *args, **options)


def _plan(page) -> list[dict]:
    return page.evaluate(READ_PLAN)


def _open_plan(page, base: str, section: str) -> list[dict]:
    page.goto(base + "/")
    page.get_by_role("link", name=re.compile(f"^Plan for {section}")).click()
    page.wait_for_url(re.compile(r".*/curriculum/sections/\d+/plan$"))
    if not any(day["lessons"] for day in _plan(page)):  # today is outside the seeded plan: start at its first week
        url = page.url
        page.goto(url + "?view=term")
        first = page.locator("#plan [data-plan-day]:has(.plan-lesson)").first.get_attribute("data-plan-day")
        page.goto(url + f"?view=week&week={first}")
    return _plan(page)


def _turn(page, link: str) -> list[dict]:
    """Follow "Next week" or "Previous week"; the week's days."""
    week = page.locator("#plan").get_attribute("data-week")
    page.get_by_role("link", name=link, exact=True).click()
    expect(page.locator("#plan")).not_to_have_attribute("data-week", week)
    return _plan(page)


def _class_days(days: list[dict]) -> list[dict]:
    return [day for day in days if not day["skipped"]]


def _replaced(page, action) -> None:
    """Run `action` (which makes the plan post) and wait until the plan the server answered replaced the old one."""
    page.locator("#plan").evaluate("plan => plan.setAttribute('data-e2e-old', '')")
    with page.expect_response(lambda r: r.request.method == "POST" and "/plan" in r.url) as response:
        action()
    assert response.value.status == 200
    expect(page.locator("#plan[data-e2e-old]")).to_have_count(0)
    expect(page.locator("#plan")).to_have_count(1)


def test_a_snow_week_moves_mondays_lesson_to_the_next_weeks_first_class_day(live_server, teacher, tmp_path):
    page = teacher()
    days = _open_plan(page, live_server, "Grade 2 Homeroom")  # the homeroom meets daily (the school has A/B days)
    week = None
    for _ in range(12):  # the first week with five class days, a lesson on each, and class days the week after
        if week is not None and _class_days(days):
            break
        full = len(_class_days(days)) == 5 and all(day["lessons"] for day in days)
        week = days if full else None
        days = _turn(page, "Next week")
    else:
        pytest.fail("no week of the seeded term has five class days followed by another class day")
    _turn(page, "Previous week")

    for day in week:
        name = day["name"]
        page.locator(f"summary[aria-label='Skip {name}…']").click()
        page.get_by_label(f"Why skip {name}").fill("Snow day")
        _replaced(page, lambda name=name: page.get_by_role("button", name=f"Skip {name}", exact=True).click())
        expect(page.get_by_role("button", name=f"Use {name} again")).to_be_visible()
    skipped = _plan(page)
    assert [(day["name"], day["skipped"], day["lessons"]) for day in skipped] == [
        (day["name"], True, []) for day in week
    ]
    assert page.locator("#plan").get_by_text("Skipped: Snow day").count() == 5
    page.screenshot(path=str(tmp_path / "planner-skipped-1024.png"), full_page=True, caret="initial")
    assert_clean(page)

    following = _class_days(_turn(page, "Next week"))
    assert following[0]["lessons"] == week[0]["lessons"], "Monday's lesson is not on the next first class day"
    # The whole week moved on by five class days: the next week's days hold what this week's held, in order.
    assert [day["lessons"] for day in following] == [day["lessons"] for day in week][: len(following)]
    assert_clean(page)

    # The days are used again, and the week is as it was.
    _turn(page, "Previous week")
    for day in week:
        _replaced(page, lambda day=day: page.get_by_role("button", name=f"Use {day['name']} again").click())
    assert _plan(page) == week
    assert_clean(page)


def _touch_drag(page, handle, target_x: float, target_y: float) -> None:
    """Press, hold past SortableJS's touch delay (150 ms), slide, rest and lift, as a finger does (Chromium's touch
    events). SortableJS places a touch-dragged item from its 50 ms loop, so lifting at once would drop it nowhere."""
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    page.wait_for_timeout(250)
    for step in range(1, 11):
        point = {"x": x + (target_x - x) * step / 10, "y": y + (target_y - y) * step / 10}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(20)
    page.wait_for_timeout(150)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def _drag(page, pointer: str, title: str, day_name: str) -> None:
    """Drag `title` by its handle to the top of the lessons on `day_name`, so it goes first there."""
    handle = page.get_by_role("button", name=f"Drag {title} to another day")
    target = page.get_by_role("list", name=f"Lessons on {day_name}")
    if pointer == "mouse":
        handle.drag_to(target, target_position={"x": 40, "y": 4})
        return
    box = target.bounding_box()
    viewport = page.viewport_size
    assert box["y"] + 4 < viewport["height"] and handle.bounding_box()["y"] > 0, "both ends of the drag on screen"
    _touch_drag(page, handle, box["x"] + 40, box["y"] + 4)


@pytest.mark.parametrize(
    ("pointer", "viewport", "options"),
    [("mouse", (1024, 768), {}), ("touch", (768, 1024), {"has_touch": True})],
    ids=["mouse-landscape", "touch-portrait"],
)
def test_a_lesson_dragged_by_its_handle_lands_on_the_other_day(live_server, teacher, pointer, viewport, options):
    page = teacher(*viewport, **options)
    days = _open_plan(page, live_server, "Grade 2 Science")  # meets on B days only
    for _ in range(8):  # a week where a lesson starts on a class day that is not the week's last
        class_days = _class_days(days)
        if len(class_days) >= 2 and any(day["starts"] for day in class_days[:-1]):
            break
        days = _turn(page, "Next week")
    else:
        pytest.fail("no week of the seeded plan has a lesson to drag to a later class day")
    source = next(day for day in class_days[:-1] if day["starts"])
    title, target = source["starts"][0], class_days[-1]

    _replaced(page, lambda: _drag(page, pointer, title, target["name"]))
    after = {day["name"]: day for day in _plan(page)}
    assert after[target["name"]]["starts"][:1] == [title], f"{title} is not first on {target['name']}"
    assert title not in after[source["name"]]["starts"]

    # The new plan's handles work too: the lesson goes back, first on its old day.
    _replaced(page, lambda: _drag(page, pointer, title, source["name"]))
    assert {day["name"]: day for day in _plan(page)}[source["name"]]["starts"][:1] == [title]
    assert_clean(page)


def test_move_or_change_then_later_moves_a_lesson_one_place_on_from_the_keyboard(live_server, teacher):
    page = teacher()
    _open_plan(page, live_server, "Grade 2 Science")
    page.get_by_role("link", name="Whole term").click()
    expect(page.locator("#plan")).to_have_attribute("data-view", "term")
    order = [title for day in _plan(page) for title in day["starts"]]
    assert len(order) >= 3
    first, second = order[0], order[1]

    page.locator(f"summary[aria-label='Move or change {first}']").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == f"Move {first} one place later"
    _replaced(page, lambda: page.keyboard.press("Enter"))
    assert [title for day in _plan(page) for title in day["starts"]] == [second, first, *order[2:]]
    assert page.locator("#plan").get_attribute("data-view") == "term"
    # The plan was replaced, but the keyboard keeps its place: on the button just pressed, in the new plan.
    expect(page.get_by_role("button", name=f"Move {first} one place later")).to_be_focused()

    # And Earlier, one step back, puts it back.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == f"Move {first} one place earlier"
    _replaced(page, lambda: page.keyboard.press("Enter"))
    assert [title for day in _plan(page) for title in day["starts"]] == order
    expect(page.get_by_role("button", name=f"Move {first} one place earlier")).to_be_focused()
    assert_clean(page)


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (390, 844)])
def test_the_planner_and_the_lesson_editor_fit_the_screen(live_server, teacher, width, height, tmp_path):
    page = teacher(width, height)
    _open_plan(page, live_server, "Grade 2 Homeroom")
    page.screenshot(path=str(tmp_path / f"planner-{width}x{height}.png"), full_page=True, caret="initial")
    assert_clean(page)
    page.get_by_role("link", name=re.compile(r": lesson \d+$")).first.click()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(re.compile(r".*/curriculum/lessons/\d+/edit$"))
    page.wait_for_selector("trix-editor[connected]")
    page.screenshot(path=str(tmp_path / f"lesson-edit-{width}x{height}.png"), full_page=True, caret="initial")
    assert_clean(page)
