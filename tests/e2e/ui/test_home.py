"""The home page in a real browser: Chinese first, English by the switch, usable on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_home_is_chinese_with_a_search_box_and_switches_to_english(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("信用信息共享平台")
    box = page.get_by_label("名称或统一社会信用代码")
    expect(box).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("培训环境")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_label("Name or unified social credit code")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text("Credit search")

    # The choice is remembered across pages (cookie), until switched back.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_search_box_submits_the_query(page: Page) -> None:
    page.goto("/")
    page.get_by_label("名称或统一社会信用代码").fill("91520000214434146R")
    page.get_by_role("button", name="查询").click()
    # The search page, or — when an organisation holds exactly this code — its own page.
    expect(page).to_have_url(re.compile(r"/public/(search\?q=|subjects/)91520000214434146R$"))


def test_skip_link_is_the_first_stop_and_reaches_main(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_home_fits_a_phone_screen(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page scrolls sideways on a phone"
    expect(page.get_by_label("名称或统一社会信用代码")).to_be_in_viewport()


def test_unknown_page_shows_the_error_page_with_a_way_home(page: Page) -> None:
    response = page.goto("/no/such/page")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    page.get_by_role("link", name="返回首页").click()
    expect(page).to_have_url(re.compile(r"/$"))
