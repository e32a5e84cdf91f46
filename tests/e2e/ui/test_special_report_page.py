"""A subject chooses a period and domains and downloads a special credit report in Chromium
(专项信用报告); its number then verifies as a special report. On both databases."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from tests.factories.disclosure import penalty, uscc
from xinyong.accounts import service as accounts
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM

pytestmark = pytest.mark.browser

PASSWORD = "Special-Report-2026!"
CODE = uscc(7731)


@pytest.fixture(scope="session")
def seeded(live_server_each: LiveServer) -> str:
    with live_server_each.session() as session:
        load_shipped_catalogues(session, actor=SYSTEM, at=FROZEN)
        session.commit()
        accounts.add_organisation(
            session, actor=accounts.OPERATOR, code="e2e-i17-samr", name="贵阳市市场监督管理局",
            kind="provider", region="520100", at=FROZEN, sector="market_regulation",
        )  # fmt: skip
        provider = accounts.add_user(
            session, actor=accounts.OPERATOR, username="e2e-i17-provider", password=PASSWORD,
            org_code="e2e-i17-samr", role="provider", display_name="报送员", at=FROZEN,
        )  # fmt: skip
        penalty(
            session, accounts.actor_for(provider), person=False, name="贵州专项报告有限公司",
            code=CODE, decided_on=date(2026, 6, 1), severity="general", at=FROZEN,
            doc="筑市监罚〔2026〕7731号",
        )  # fmt: skip
        accounts.add_user(
            session, actor=accounts.OPERATOR, username="e2e-i17-subject", password=PASSWORD,
            org_code=None, role="subject", subject_code=CODE, display_name="经办人", at=FROZEN,
        )  # fmt: skip
    return live_server_each.url


def test_subject_downloads_a_special_report_that_verifies(page: Page, seeded: str) -> None:
    page.goto(seeded + "/me/special-report")
    page.get_by_label("用户名").fill("e2e-i17-subject")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/me/special-report$"))
    expect(page.get_by_role("heading", name="专项信用报告")).to_be_visible()
    page.get_by_label("起始日期").fill("2026-01-01")
    page.get_by_label("截止日期").fill("2026-09-30")
    page.get_by_label("市场监管").check()
    page.get_by_label("税务").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="下载专项信用报告").click()
    number = info.value.suggested_filename.removesuffix(".pdf")
    assert re.fullmatch(r"XYBG-20260930-[0-9A-Z]{8}", number)
    page.goto(seeded + f"/reports/verify?number={number}")
    expect(page.locator("#report-kind")).to_have_text("专项信用报告")
    expect(page.locator("#verification")).to_contain_text("2026-01-01")
