"""The credit office's dashboard and desks in a browser (issue 14 items 2, 6, 9): at 390 px no
page scrolls sideways and the header stays ≤ 80 px, each chart names itself for a screen
reader, the filter form sent with its defaults answers a page, and axe-core finds no serious
or critical violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.ui.test_crawl import axe_problems, log_in
from tests.e2e.ui.test_phone import PHONE, assert_fits, demo  # noqa: F401  (the fixture)
from xinyong.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.browser

CHARTS = ("chart-deliveries", "chart-overdue", "chart-objections", "chart-inquiries",
          "chart-lists")  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_dashboard_on_a_phone(page: Page, demo: None, lang: str) -> None:  # noqa: F811
    page.set_viewport_size(PHONE)
    page.context.clear_cookies()
    log_in(page, "office", DEMO_PASSWORD)
    page.goto(f"/lang/{lang}")
    for path in ("/office/dashboard", "/office/dashboard?region=520100",
                 "/office/grades", "/office/calendar", "/office/spot-checks"):  # fmt: skip
        assert_fits(page, path)
        assert axe_problems(page) == [], path
    page.goto("/office/dashboard")
    for chart in CHARTS:
        svg = page.locator(f"svg[aria-labelledby^='{chart}-title']")
        if svg.count():
            assert page.locator(f"#{chart}-title").text_content(), chart
    # The filter form sent with its defaults answers the page again.
    with page.expect_navigation():
        page.locator("form.dashboard-filters button[type=submit]").click()
    assert "/office/dashboard" in page.url
    assert page.locator("h1").count() == 1
