"""Batch checks (批量比对) and watches (关注) in Chromium (issue 17 items 2, 4): an inquirer uploads
a file, sees each line answered or rejected with its reason and downloads the results; its
subject then finds the batch row under "who looked". An inquirer watches a subject and stops
watching it, each after a confirmation; the subject sees who watches it beside who looked.
On both databases (``live_server_each``, absolute URLs)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from tests.factories.accounts import PASSWORD
from tests.factories.inquiry import World, seed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def world(live_server_each: LiveServer) -> World:
    with live_server_each.session() as session:
        made = seed(session, FROZEN, tag="uib", seq=951)
        session.commit()
        return made


@pytest.fixture
def base(live_server_each: LiveServer) -> str:
    return live_server_each.url


def log_in(page: Page, username: str, target: str) -> None:
    """Log in as ``username`` on the way to ``target`` (an absolute URL)."""
    page.context.clear_cookies()
    page.goto(target)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))


def test_an_inquirer_runs_a_batch_and_the_subject_sees_it(
    page: Page, world: World, base: str
) -> None:
    log_in(page, "uib_fgw", base + "/checks/batches")
    page.locator("#b-matter").select_option("licensing")
    bad = world.code[:17] + ("0" if world.code[17] != "0" else "1")
    content = f"subject,name\n{world.code},\n{bad},\n".encode()
    page.locator("#b-file").set_input_files(
        {"name": "subjects.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="上传并校验").click()
    expect(page).to_have_url(re.compile(r"/checks/batches/\d+$"))
    expect(page.locator("[data-status]")).to_have_text("已完成")
    answered = page.get_by_role("table").filter(has_text="已比对的主体")
    expect(answered).to_contain_text(world.code)
    rejected = page.get_by_role("table").filter(has_text="被拒绝的行")
    expect(rejected).to_contain_text("标识无效")
    expect(rejected).to_contain_text(f"校验码应为 {world.code[17]}")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载结果（CSV）").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert f"2,{world.code},,accepted" in text
    assert "invalid_identifier" in text

    log_in(page, "uib_company", base + "/me/inquiries")
    expect(page.get_by_role("main")).to_contain_text("批量比对")
    expect(page.get_by_role("main")).to_contain_text("贵阳市发展和改革委员会")


def test_an_inquirer_watches_and_unwatches_and_the_subject_sees_it(
    page: Page, world: World, base: str
) -> None:
    log_in(page, "uib_fgw", base + "/watches")
    page.locator("#w-subject").fill(world.code)
    page.get_by_role("button", name="关注该主体").click()
    expect(page.get_by_role("heading", name="确认关注")).to_be_visible()
    page.get_by_role("button", name="确认关注").click()
    expect(page).to_have_url(re.compile(r"/watches\?done=added-\d+$"))
    watched = page.get_by_role("table")
    expect(watched).to_contain_text(world.code)

    log_in(page, "uib_company", base + "/me/inquiries")
    section = page.get_by_role("table").filter(has_text="对您的关注")
    expect(section).to_contain_text("贵阳市发展和改革委员会")
    expect(section).to_contain_text("仍在关注")

    log_in(page, "uib_fgw", base + "/watches")
    page.get_by_role("button", name="取消关注").click()
    expect(page.get_by_role("heading", name="确认取消关注")).to_be_visible()
    page.get_by_role("button", name="取消关注").click()
    expect(page).to_have_url(re.compile(r"/watches\?done=ended$"))
    expect(page.get_by_role("main")).to_contain_text("您尚未关注任何主体。")
