"""Publicity in a real browser, on a phone: search, a subject page with its tabs, a person
found by the full identity number and shown masked (DIS-1…3; PLT-3)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

import xinyong.disclosure.models
import xinyong.records.models  # noqa: F401
from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import penalty, resident_id, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role

pytestmark = pytest.mark.browser

COMPANY = "贵州浏览器公示测试有限公司"
COMPANY_CODE = uscc(301)
PERSON = "欧阳浏览"
PERSON_ID = resident_id(31)
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def seeded(live_server: LiveServer) -> None:
    with live_server.session() as db:
        load_shipped_catalogues(db, actor=SYSTEM, at=FROZEN)
        db.commit()
        make_org(db, at=FROZEN, code="UI-PUB-SJJ", kind="provider", name="浏览器测试市场监管局")
        provider = actor_of(
            make_user(
                db, at=FROZEN, role=Role.PROVIDER, username="ui_pub_sjj", org_code="UI-PUB-SJJ"
            )
        )
        penalty(db, provider, person=False, name=COMPANY, code=COMPANY_CODE,
                decided_on=date(2026, 8, 3), severity="general", at=FROZEN,
                doc="黔浏览罚〔2026〕1号")  # fmt: skip
        penalty(db, provider, person=True, name=PERSON, code=PERSON_ID,
                decided_on=date(2026, 8, 4), severity="general", at=FROZEN,
                doc="黔浏览罚〔2026〕2号")  # fmt: skip


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page scrolls sideways on a phone"


def test_search_open_a_subject_and_switch_tabs_on_a_phone(page: Page, seeded: None) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/public/search")
    page.get_by_label("名称或统一社会信用代码").fill("浏览器公示")
    page.get_by_role("button", name="查询").click()
    result = page.get_by_role("link", name=COMPANY)
    expect(result).to_be_visible()
    no_sideways_scroll(page)
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)
    # The first non-empty tab is shown; the others wait behind their tab links.
    penalties = page.locator("#tab-penalties")
    expect(penalties).to_be_visible()
    expect(penalties).to_contain_text("黔浏览罚〔2026〕1号")
    expect(page.locator("#tab-registration")).to_be_hidden()
    page.get_by_role("link", name=re.compile("登记注册")).click()
    expect(page.locator("#tab-registration")).to_be_visible()
    expect(penalties).to_be_hidden()
    no_sideways_scroll(page)


def test_a_person_is_found_by_full_number_and_shown_masked(page: Page, seeded: None) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/public/search")
    page.get_by_label("名称或统一社会信用代码").fill(PERSON)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#no-results")).to_be_visible()  # never by name

    page.get_by_label("名称或统一社会信用代码").fill(PERSON_ID)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("欧阳某")
    expect(page.locator("#subject-code")).to_have_text(PERSON_ID[:6] + "*" * 11 + PERSON_ID[-1])
    html = page.content()
    assert PERSON_ID not in html
    assert PERSON not in html
    no_sideways_scroll(page)


def test_the_service_standard_page_in_both_languages(page: Page) -> None:
    page.goto("/public/standard")
    expect(page.get_by_role("heading", level=1)).to_have_text("查询服务标准")
    expect(page.get_by_role("heading", name="如何提出异议")).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Query service standard")
    page.get_by_role("link", name="中文").click()
