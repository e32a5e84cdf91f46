"""An inquirer's query in Chromium, on a phone-sized screen (INQ-1; DESIGN §6): log in, pick
one of the account's own purposes, query a subject's code and see its records as cards."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import uvicorn
from playwright.sync_api import Page, expect

import xinyong.disclosure.models
import xinyong.inquiry.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401
from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer, _free_socket, _wait_until_up
from tests.factories.accounts import PASSWORD
from tests.factories.inquiry import World, seed
from xinyong.web.api import inquiries as inquiries_api
from xinyong.web.app import create_app
from xinyong.web.ui import inquiry as inquiry_ui

pytestmark = pytest.mark.browser


def _serves_inquiry(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/inquiry", timeout=5) as response:
            return bool(response.status != 404)
    except urllib.error.HTTPError as exc:
        return exc.code != 404


@pytest.fixture(scope="session")
def server_url(live_server: LiveServer) -> Iterator[str]:
    """The live server once it serves the inquiry pages; until then a second server on the
    same database with the inquiry routers added (they are not in web.app.UI_MODULES yet)."""
    if _serves_inquiry(live_server.url):
        yield live_server.url
        return
    app = create_app(live_server.settings)
    app.include_router(inquiry_ui.router)
    app.include_router(inquiries_api.router, prefix="/api/v1")
    sock = _free_socket()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        _wait_until_up(url, thread)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.engine.dispose()


@pytest.fixture(scope="session")
def world(live_server: LiveServer) -> World:
    with live_server.session() as session:
        return seed(session, FROZEN, tag="uiq", seq=931)


def test_inquirer_queries_a_subject_for_a_purpose(
    page: Page, server_url: str, world: World
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server_url + "/inquiry")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("用户名").fill("uiq_fgw")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/inquiry$"))

    picker = page.get_by_label("查询用途")
    # Only the account's own purposes are offered (and the empty prompt).
    expect(picker.locator("option")).to_have_count(3)
    picker.select_option("licensing")
    page.get_by_label("统一社会信用代码或身份证号码").fill(world.code.lower())
    page.get_by_role("button", name="查询", exact=True).click()

    expect(page.locator("#answer-code")).to_have_text(world.code)
    cards = page.locator("article.card.record")
    expect(cards).to_have_count(3)
    expect(page.locator(f'[data-record-id="{world.penalty_id}"]')).to_contain_text("行政处罚")
    expect(page.get_by_role("main")).to_contain_text("本次查询已记入查询日志")

    # A purpose outside the authority is refused on the page, not answered.
    page.get_by_label("查询用途").select_option("inspection")
    page.evaluate("document.querySelector('#f-purpose').add(new Option('x', 'personnel'))")
    page.get_by_label("查询用途").select_option("personnel")
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("personnel")
    expect(page.locator("article.card.record")).to_have_count(0)
