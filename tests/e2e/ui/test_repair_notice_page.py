"""The credit-repair notice served with the decision in Chromium (两书同达, issue 17 item 3), on
both databases: after a provider's delivery of repairable penalties, the subject finds each
notice in its inbox with the rule set's earliest repair date, and its record on "My credit"
shows the same date, the apply button disabled until then; the provider downloads the notice
to serve with its decision."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from tests.factories.accounts import PASSWORD
from tests.factories.repair import RepairWorld, make_repair_world
from xinyong.bootstrap import run_feed_passes

pytestmark = pytest.mark.browser

SEQ = 761
#: General penalty decided 2026-09-01, Order 36: three months' minimum publicity.
RECENT_FROM = "2026-12-01"
#: General penalty decided 2026-05-20: its date has passed at the frozen clock (2026-09-30).
GENERAL_FROM = "2026-08-20"


@pytest.fixture(scope="session")
def world(live_server_each: LiveServer) -> RepairWorld:
    with live_server_each.session() as session:
        made = make_repair_world(session, at=FROZEN, seq=SEQ)
        # The service delivery does not run the feed passes (the API delivery and the worker
        # do): run them as the worker's ``notices`` job would.
        run_feed_passes(session, at=FROZEN)
        return made


def log_in(page: Page, username: str, target: str) -> None:
    """Log in as ``username`` on the way to ``target`` (an absolute URL)."""
    page.context.clear_cookies()
    page.goto(target)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))


def test_the_subject_sees_the_notice_and_the_same_date_on_its_record(
    page: Page, live_server_each: LiveServer, world: RepairWorld
) -> None:
    base = live_server_each.url
    log_in(page, f"subject{SEQ}", base + "/me/inbox")
    notices = page.locator("tr[data-document]").filter(has_text="信用修复告知书")
    dates = notices.locator("[data-repairable-from]")
    expect(dates.filter(has_text=RECENT_FROM)).to_have_text(f"自 {RECENT_FROM} 起可申请信用修复")
    expect(dates.filter(has_text=GENERAL_FROM)).to_have_count(1)
    # The judgment default cannot be repaired by law: four penalties, four notices.
    expect(notices).to_have_count(4)
    pdf = notices.filter(has_text=RECENT_FROM).get_by_role("link", name="下载 PDF")
    answer = page.request.get(base + str(pdf.get_attribute("href")))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"

    page.goto(base + "/me/credit")
    recent = page.locator(f'article[data-record-id="{world.recent_id}"]')
    expect(recent.locator(".repair-date")).to_contain_text(f"自 {RECENT_FROM} 起可申请信用修复")
    expect(
        recent.locator(".repair-date").get_by_role("button", name="申请信用修复")
    ).to_be_disabled()
    # Once the date has come, the record offers the application.
    general = page.locator(f'article[data-record-id="{world.general_id}"]')
    expect(general.locator(".repair-date")).to_contain_text(GENERAL_FROM)
    expect(general.get_by_role("link", name="申请信用修复")).to_have_attribute(
        "href", f"/me/repairs/new?record_id={world.general_id}"
    )


def test_the_provider_downloads_the_notice_to_serve_with_its_decision(
    page: Page, live_server_each: LiveServer, world: RepairWorld
) -> None:
    base = live_server_each.url
    log_in(page, "sjj_repair", base + "/provider/records")
    url = f"{base}/api/v1/records/{world.recent_id}/repair-notice.pdf"
    answer = page.request.get(url)
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF")
    assert re.fullmatch(r'attachment; filename="[^"]+\.pdf"', answer.headers["content-disposition"])
    # Another department's provider gets nothing (no existence leak).
    log_in(page, "swj_repair", base + "/provider/records")
    assert page.request.get(url).status == 404
