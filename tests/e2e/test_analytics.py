"""Analytics at iPad size: a filter swaps the panels by HTMX and lands in the URL (the back button undoes it), and
the tables drill down from the district to a school, a course and a section; plotly draws without a CSP error."""

from __future__ import annotations

import re

from tests.e2e.conftest import sign_in


def test_a_filter_swaps_the_charts_and_the_tables_drill_down(live_server, page_for):
    page = page_for(768, 1024, has_touch=True)
    sign_in(page, live_server, "admin@demo.chalkline.test")
    page.goto(live_server + "/analytics/")
    page.wait_for_url(re.compile(r"/analytics/district$"))
    page.locator(".analytics-chart .main-svg").first.wait_for()
    assert page.locator(".modebar-container").count() >= 1

    page.get_by_label("Figure charted").select_option("guardian_reach")
    page.wait_for_url(re.compile(r"/analytics/district\?metric=guardian_reach$"))  # only the filters in force
    heading = page.locator("#trend-title")
    heading.filter(has_text="Guardian reach").wait_for()
    page.locator(".analytics-chart .main-svg").first.wait_for()  # redrawn after the swap

    page.go_back()
    page.wait_for_url(re.compile(r"/analytics/district$"))
    heading.filter(has_text="Weekly active students").wait_for()  # the restored page, not the one it replaces
    page.wait_for_load_state("networkidle")
    page.get_by_label("Figure charted").select_option("guardian_reach")
    page.wait_for_url(re.compile(r"metric=guardian_reach"))

    schools = page.locator("#panel-0 tbody th a")
    school_name = schools.first.inner_text()
    schools.first.click()
    page.wait_for_url(re.compile(r"/analytics/schools/\d+\?metric=guardian_reach"))
    assert page.locator("h1").inner_text() == school_name
    assert page.get_by_label("Figure charted").input_value() == "guardian_reach"

    courses = page.locator("#panel-1 tbody th a")
    courses.first.click()
    page.wait_for_url(re.compile(r"/analytics/schools/\d+/courses/\d+"))
    page.locator("#panel-0 tbody th a").first.click()
    page.wait_for_url(re.compile(r"/analytics/schools/\d+/sections/\d+"))
    assert page.locator("#panel-0 tbody tr").count() >= 1
    crumbs = page.locator(".breadcrumbs").inner_text()
    assert school_name in crumbs
    assert page.problems == []
