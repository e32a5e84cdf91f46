"""A credit subject's objection journey in Chromium (Art. 32; RGT-2, DIS-5, PLT-4): log in,
file an objection on one of its records, see it received with its due date and the working
days left; the provider decides it behind a confirmation; the subject finds the numbered
written notice in its inbox."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from fastapi import APIRouter, FastAPI
from playwright.sync_api import Page, expect

import xinyong.disclosure.models
import xinyong.documents.models
import xinyong.inquiry.models
import xinyong.objections.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401  (tables in the schema before it is created)
from tests.conftest import FROZEN
from tests.e2e.ui.conftest import _free_socket, _wait_until_up
from tests.factories.disclosure import penalty, uscc
from xinyong.accounts import service as accounts
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.web.api import documents as documents_api
from xinyong.web.api import objections as objections_api
from xinyong.web.app import create_app
from xinyong.web.ui import objections as objections_ui

pytestmark = pytest.mark.browser

SEEDER = Actor(role=Role.SYSADMIN, username="e2e-seed", display_name="浏览器测试")
PASSWORD = "Qiannan-Objection-2026!"
CODE = uscc(7701)


def mount_first(app: FastAPI, router: APIRouter, prefix: str = "") -> None:
    """Serve a router (until its module is listed in the app factory)."""
    mine = {getattr(r, "endpoint", None) for r in router.routes}
    if any(getattr(r, "endpoint", None) in mine for r in app.routes):
        return
    holder = APIRouter()
    holder.include_router(router, prefix=prefix)
    app.router.routes[0:0] = holder.routes


def seed(database_url: str) -> None:
    engine = make_engine(database_url)
    session = make_session_factory(engine)()
    try:
        load_shipped_catalogues(session, actor=SYSTEM, at=FROZEN)
        session.commit()
        accounts.add_organisation(
            session, actor=SEEDER, code="e2e-obj-bureau", name="贵阳市市场监督管理局",
            kind="provider", region="520100", parent_code=None, at=FROZEN,
        )  # fmt: skip
        provider = accounts.add_user(
            session, actor=SEEDER, username="e2e-obj-provider", password=PASSWORD,
            org_code="e2e-obj-bureau", role="provider", display_name="王芳", at=FROZEN,
        )  # fmt: skip
        penalty(
            session, accounts.actor_for(provider), person=False, name="贵州异议旅程有限公司",
            code=CODE, decided_on=date(2026, 9, 1), severity="general", at=FROZEN,
            doc="筑市监罚〔2026〕7701号",
        )  # fmt: skip
        accounts.add_user(
            session, actor=SEEDER, username="e2e-obj-subject", password=PASSWORD,
            org_code=None, role="subject", subject_code=CODE, display_name="张经理", at=FROZEN,
        )  # fmt: skip
        session.commit()  # the seed's use case ends here
    finally:
        session.close()
        engine.dispose()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A platform of its own, serving the objection pages even before the app lists them."""
    tmp: Path = tmp_path_factory.mktemp("objections")
    database_url = f"sqlite:///{tmp / 'xinyong.sqlite3'}"
    engine = make_engine(database_url)
    load_all_models()
    Base.metadata.create_all(engine)
    engine.dispose()
    seed(database_url)
    settings = Settings(
        database_url=database_url, var_dir=tmp / "var", now=FROZEN,
        audit_key_path=tmp / "keys" / "audit.pem",
        secret_key="browser-test-secret-key-not-for-production",
        public_rate_per_minute=1_000_000,  # one address for every page; limits tested elsewhere
    )  # fmt: skip
    app = create_app(settings)
    mount_first(app, objections_ui.router)
    mount_first(app, objections_api.router, "/api/v1")
    mount_first(app, documents_api.router, "/api/v1")
    sock = _free_socket()
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, thread)
        yield url
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.engine.dispose()


def log_in(page: Page, server: str, path: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(server + path)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def test_subject_files_an_objection_and_reads_the_decision(page: Page, server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, server, "/me/objections", "e2e-obj-subject")
    expect(page.get_by_role("heading", name="我的异议")).to_be_visible()
    page.get_by_label("异议理由").fill("罚款金额有误，处罚决定书载明为伍仟元")
    page.get_by_role("button", name="提交异议").click()

    expect(page).to_have_url(re.compile(r"/objections/\d+\?done=filed$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("status")).to_contain_text("异议已受理")
    expect(page.locator('[data-status="received"]')).to_be_visible()
    expect(page.locator("[data-due]")).to_have_attribute("data-due", "2026-10-10")
    expect(page.locator("[data-due]")).to_contain_text("剩余 3 个工作日")
    expect(main).to_contain_text("异议处理中")
    objection_url = page.url.split("?")[0]

    log_in(page, server, "/objections", "e2e-obj-provider")
    row = page.locator("tr[data-objection]")
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    page.get_by_label("异议不成立").check()
    page.get_by_label("处理理由").fill("经核查，罚款金额与处罚决定书一致")
    page.get_by_role("button", name="继续").click()
    expect(page.get_by_role("heading", name="确认处理决定")).to_be_visible()
    page.get_by_role("button", name="确认处理决定").click()
    expect(page.locator('[data-status="decided"]')).to_be_visible()
    assert page.url.startswith(objection_url)

    log_in(page, server, "/me/inbox", "e2e-obj-subject")
    notice = page.locator("tr[data-document]")
    expect(notice).to_have_count(1)
    expect(notice).to_have_attribute("data-document", re.compile(r"^YYJD-2026-\d{6}$"))
    expect(notice).to_contain_text("异议处理结果告知书")
