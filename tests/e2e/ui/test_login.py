"""Logging in and out through the real login page (PLT-1) in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from xinyong.accounts import service as accounts
from xinyong.core.actor import Actor, Role

pytestmark = pytest.mark.browser

#: Seeding runs as a system administrator: only that role may manage accounts.
SEEDER = Actor(role=Role.SYSADMIN, username="e2e-seed", display_name="浏览器测试")
PASSWORD = "Qiannan-Rain-2026!"


@pytest.fixture(scope="session")
def provider_user(live_server: LiveServer) -> str:
    with live_server.session() as session:
        accounts.add_organisation(
            session,
            actor=SEEDER,
            code="e2e-login-bureau",
            name="贵阳市市场监督管理局",
            kind="provider",
            region="520100",
            parent_code=None,
            at=FROZEN,
        )
        accounts.add_user(
            session,
            actor=SEEDER,
            username="e2e-login-wang",
            password=PASSWORD,
            org_code="e2e-login-bureau",
            role="provider",
            display_name="王小明",
            at=FROZEN,
        )
    return "e2e-login-wang"


def _require_login_page(page: Page) -> None:
    response = page.goto("/login")
    assert response is not None
    if response.status == 404:
        pytest.skip("/login is not served yet: add 'auth' to web.app.UI_MODULES")


def test_log_in_and_out(page: Page, provider_user: str) -> None:
    _require_login_page(page)
    page.get_by_label("用户名").fill(provider_user)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/provider$"))  # each role lands on its own desk
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_contain_text("王小明")
    expect(nav).to_contain_text("信息提供单位")
    logout = nav.get_by_role("button", name="退出")
    expect(logout).to_be_visible()
    expect(nav.get_by_role("link", name="登录")).to_have_count(0)

    logout.click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(nav.get_by_role("link", name="登录")).to_be_visible()
    expect(nav).not_to_contain_text("王小明")


def test_wrong_password_keeps_the_visitor_on_the_login_page(page: Page, provider_user: str) -> None:
    _require_login_page(page)
    page.get_by_label("用户名").fill(provider_user)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("main").get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="登录")
    ).to_be_visible()
