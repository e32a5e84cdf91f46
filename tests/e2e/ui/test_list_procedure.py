"""The credit office runs a serious dishonesty list procedure through the pages, from the
proposal to the publication, each step behind a confirmation (Art. 25–27, 29; LST-1…3)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

import xinyong.documents.models
import xinyong.feed.models
import xinyong.lists.models
import xinyong.records.models  # noqa: F401  (tables in the schema before the server builds it)
from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from tests.factories.accounts import PASSWORD
from tests.factories.lists import REPRESENTATIVE, ListWorld, make_list_world
from xinyong.web import app as web_app

pytestmark = pytest.mark.browser

# Until the lead lists the lists routers in web/app.py: the live server's app is built after
# collection, so adding them here makes it serve them.
if "lists" not in web_app.UI_MODULES:
    web_app.UI_MODULES = (*web_app.UI_MODULES, "lists")
if "lists" not in web_app.API_MODULES:
    web_app.API_MODULES = (*web_app.API_MODULES, "lists")


@pytest.fixture(scope="session")
def world(live_server: LiveServer) -> ListWorld:
    with live_server.session() as db:
        return make_list_world(db, at=FROZEN, seq=691)


def step(page: Page, form_name: str, fill: dict[str, str]) -> None:
    """Fill one step's form, submit it, and confirm on the confirmation page."""
    form = page.get_by_role("form", name=form_name)
    for label, value in fill.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name=f"{form_name}…").click()
    expect(page.get_by_role("heading", name=f"确认：{form_name}")).to_be_visible()
    page.get_by_role("button", name=f"确认：{form_name}").click()
    expect(page).to_have_url(re.compile(r"/lists/procedures/\d+\?done="))


def test_office_runs_a_procedure_from_proposal_to_publication(page: Page, world: ListWorld) -> None:
    page.goto("/lists")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("用户名").fill("xyb691")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="严重失信主体名单认定程序")).to_be_visible()

    page.get_by_role("link", name="提议列入名单").click()
    page.get_by_label("主体代码（统一社会信用代码或身份证号码）").fill(world.company_code)
    page.get_by_label("列入事由（第二十五条）").select_option("health_and_safety")
    page.get_by_label("法律依据").fill("《中华人民共和国安全生产法》第一百一十六条")
    page.get_by_label("事实").fill("发生重大生产安全事故，造成3人死亡。")
    page.get_by_role("button", name="提议", exact=True).click()
    expect(page).to_have_url(re.compile(r"/lists/procedures/\d+\?done=proposed"))
    expect(page.locator("[data-representative]")).to_have_text(REPRESENTATIVE)
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "proposed")

    step(page, "发出事先告知书", {"原因": "依据第二十六条告知"})
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "statement_period")
    # The deadline of the statement period, on the working-day calendar, across National Day.
    expect(page.get_by_role("main")).to_contain_text("2026-10-13")

    form = page.get_by_role("form", name="登记陈述申辩")
    form.get_by_label("类别").select_option("waiver")
    step(page, "登记陈述申辩", {"文本": "当事人书面声明放弃陈述申辩"})

    step(
        page,
        "作出列入决定",
        # The deciding organ is the account's organisation: no code to type (issue 11 item 8).
        {"处理理由": "事实清楚，证据确凿", "失信惩戒措施": "限制参与政府采购"},
    )  # fmt: skip
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "decided")

    step(page, "登记送达", {"备注": "平台送达"})
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "served")

    step(page, "公示名单", {"原因": "依法公示"})
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "published")
    expect(page.locator("[data-entry]")).to_contain_text("2029-09-30")
    expect(page.locator("tr[data-step]")).to_have_count(6)

    page.goto("/lists")
    expect(page.get_by_role("main")).to_contain_text("已公示")
