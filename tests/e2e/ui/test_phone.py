"""At 390 px (a phone): no page scrolls sideways and the header is no taller than 80 px
(issue 14 item 4) — the public pages, the subject's desk and the office dashboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from tests.e2e.ui.test_crawl import log_in
from xinyong.core.actor import Role
from xinyong.demo.data import DEMO_PASSWORD
from xinyong.demo.load import load_demo
from xinyong.web.ui.components.nav import paths_for

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
HEADER_MAX = 80


@pytest.fixture(scope="session")
def demo(live_server: LiveServer) -> None:
    with live_server.session() as session:
        load_demo(session, at=FROZEN)
        session.commit()


def assert_fits(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, path
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow} px"
    height = page.locator(".site-header").bounding_box()
    assert height is not None
    assert height["height"] <= HEADER_MAX, f"{path}: header {height['height']} px"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_public_pages_fit_a_phone(page: Page, demo: None, lang: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"/lang/{lang}")
    for path in ["/", *paths_for(Role.PUBLIC), "/login"]:
        assert_fits(page, path)


@pytest.mark.parametrize(("username", "role"), [("subject", Role.SUBJECT), ("office", None)])
def test_desks_fit_a_phone(page: Page, demo: None, username: str, role: Role | None) -> None:
    page.set_viewport_size(PHONE)
    page.context.clear_cookies()
    log_in(page, username, DEMO_PASSWORD)
    paths = paths_for(role) if role else ["/office", "/office/dashboard"]
    for path in paths:
        assert_fits(page, path)


def test_the_menu_button_opens_the_menus(page: Page, demo: None) -> None:
    page.set_viewport_size(PHONE)
    page.context.clear_cookies()
    page.goto("/lang/en")
    nav = page.locator("#site-nav")
    assert not nav.is_visible()
    page.get_by_role("button", name="Menu").click()
    assert nav.is_visible()
    nav.locator("summary", has_text="Public information").click()
    page.get_by_role("link", name="Red list").click()
    assert page.url.endswith("/red-list")
