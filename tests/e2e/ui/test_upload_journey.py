"""A provider's upload journey in Chromium, on a phone-sized screen (COL-1, COL-5; DESIGN §6):
log in, upload a double-publicity (双公示) penalty file with Chinese headers and one bad row,
see every other row accepted and the bad one named by its file line, open a record and its
versions, and amend it behind a confirmation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import xinyong.records.models  # noqa: F401  (tables in the schema before the server builds it)
from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from xinyong.accounts import service as accounts
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role

pytestmark = pytest.mark.browser

SEEDER = Actor(role=Role.SYSADMIN, username="e2e-seed", display_name="浏览器测试")
PASSWORD = "Qiannan-Upload-2026!"
USERNAME = "e2e-upload-li"

HEADER = (
    "行政相对人名称,行政相对人类别,统一社会信用代码,证件类型,证件号码,行政处罚决定书文号,"
    "违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（万元）,处罚决定日期,处罚机关,"
    "处罚机关统一社会信用代码,数据来源单位,数据来源单位统一社会信用代码"
)
TAIL = (
    "未按规定公示年度报告,经查，当事人未按规定期限公示年度报告。,《企业信息公示暂行条例》第十八条,"
    "罚款,罚款人民币壹万元整"
)
AUTHORITY = "贵阳市市场监督管理局,11520000000000001Q,贵阳市市场监督管理局,11520000000000001Q"


def _row(name: str, code: str, doc: str, fine: str, decided: str) -> str:
    return f"{name},法人及非法人组织,{code},,,{doc},{TAIL},{fine},{decided},{AUTHORITY}"


#: Line 3 (the header is line 1) decides on a day that does not exist.
CSV_TEXT = "\n".join(
    [
        HEADER,
        _row(
            "贵州旅程示例有限公司", "91520000214434146R", "黔市监罚〔2026〕901号", "1", "2026-09-01"
        ),
        _row("贵州日期有限公司", "915201000000000078", "黔市监罚〔2026〕902号", "2", "2026-02-30"),
        _row(
            "贵州示例张三商店", "91520100000000011N", "黔市监罚〔2026〕903号", "0.5", "2026-08-15"
        ),
    ]
)


@pytest.fixture(scope="session")
def provider_user(live_server: LiveServer) -> str:
    with live_server.session() as session:
        load_shipped_catalogues(session, actor=SYSTEM, at=FROZEN)
        session.commit()
        accounts.add_organisation(
            session,
            actor=SEEDER,
            code="e2e-upload-bureau",
            name="贵阳市市场监督管理局",
            kind="provider",
            region="520100",
            parent_code=None,
            at=FROZEN,
        )
        accounts.add_user(
            session,
            actor=SEEDER,
            username=USERNAME,
            password=PASSWORD,
            org_code="e2e-upload-bureau",
            role="provider",
            display_name="李华",
            at=FROZEN,
        )
    return USERNAME


def test_provider_uploads_a_file_and_follows_a_record(
    page: Page, provider_user: str, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto("/provider/deliver")
    assert response is not None
    if response.status == 404:
        pytest.skip("/provider is not served yet: add 'provider' to web.app.UI_MODULES")

    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("用户名").fill(provider_user)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/provider/deliver$"))

    upload = tmp_path / "双公示-行政处罚.csv"
    upload.write_text(CSV_TEXT, encoding="utf-8-sig")
    page.get_by_label("目录信息项").select_option("admin_penalty")
    page.get_by_label("文件（CSV 或 XLSX）").set_input_files(upload)
    page.get_by_role("button", name="上传并校验").click()

    expect(page).to_have_url(re.compile(r"/provider/batches/\d+$"))
    expect(page.locator('[data-count="accepted"]')).to_have_text("2")
    expect(page.locator('[data-count="rejected"]')).to_have_text("1")
    rejected = page.locator("tr[data-line]")
    expect(rejected).to_have_count(1)
    expect(rejected.first).to_have_attribute("data-line", "3")
    expect(rejected.first).to_contain_text("2026-02-30")

    page.get_by_role("link", name="查看本单位记录").click()
    expect(page.get_by_role("heading", name="本单位记录")).to_be_visible()
    page.get_by_label("主体代码").fill("91520000214434146R")
    page.get_by_role("button", name="筛选").click()
    records = page.locator('tbody a[href^="/provider/records/"]')
    expect(records).to_have_count(1)
    records.first.click()

    expect(page.get_by_role("heading", name="版本")).to_be_visible()
    expect(page.locator("li[data-version]")).to_have_count(1)
    expect(page.get_by_role("main")).to_contain_text("贵州旅程示例有限公司")

    page.locator("#a-CF_NR_FK").fill("1.5")
    page.get_by_label("更正原因").fill("罚款金额录入错误")
    page.get_by_role("button", name="核对更正").click()
    expect(page.get_by_role("heading", name="确认更正")).to_be_visible()
    page.get_by_role("button", name="确认更正").click()

    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("第 2 版")
    expect(page.locator("li[data-version]")).to_have_count(2)
    latest = page.locator('li[data-version="2"]')
    expect(latest).to_contain_text("罚款金额录入错误")
    expect(latest).to_contain_text("李华")
