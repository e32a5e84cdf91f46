"""The provider's pages over HTTP (DESIGN §6): deliver a file and see its rejected rows, list
and export own records, open a record's versions, amend and withdraw behind a confirmation."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.records.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import make_org, make_user
from tests.support.web import csrf_of, log_in
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import Clock
from xinyong.web.ui import provider as provider_ui

DATA = Path(__file__).parents[2] / "data" / "admin_penalty_shuanggongshi.csv"
HTML = {"Accept": "text/html"}


@pytest.fixture
def web(app: FastAPI, db: Session, clock: Clock, client: TestClient) -> TestClient:
    if not any(getattr(r, "path", "") == "/provider" for r in app.routes):
        app.include_router(provider_ui.router)  # until listed in web.app.UI_MODULES
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_org(db, at=clock.now(), code="GY-SWJ", kind="provider", name="贵阳市税务局")
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="sjj", org_code="GY-SJJ")
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="swj", org_code="GY-SWJ")
    make_user(db, at=clock.now(), role=Role.INQUIRER, username="organ1")
    client.headers.update(HTML)
    return client


def upload(
    web: TestClient, content: bytes, name: str = DATA.name, item: str = "admin_penalty"
) -> httpx.Response:
    token = csrf_of(web.get("/provider/deliver").text)
    return web.post(
        "/provider/deliver",
        data={"item": item, "csrf_token": token},
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def test_the_public_is_sent_to_log_in_and_other_roles_get_403(web: TestClient) -> None:
    r = web.get("/provider/records?status=active", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Fprovider%2Frecords%3Fstatus%3Dactive"
    log_in(web, "organ1")
    r = web.get("/provider")
    assert r.status_code == 403
    assert "provider" in r.text


def test_upload_lists_accepted_and_rejected_rows_by_line(web: TestClient) -> None:
    log_in(web, "sjj")
    page = web.get("/provider/deliver")
    assert page.status_code == 200
    assert 'value="admin_penalty"' in page.text
    assert 'enctype="multipart/form-data"' in page.text

    r = upload(web, DATA.read_bytes())
    assert r.status_code == 303, r.text
    result_url = r.headers["location"]
    assert result_url.startswith("/provider/batches/")
    result = web.get(result_url)
    assert result.status_code == 200
    assert 'data-count="accepted">4<' in result.text
    assert 'data-count="rejected">6<' in result.text
    lines = [int(x) for x in re.findall(r'<tr data-line="(\d+)"', result.text)]
    assert sorted(set(lines)) == [4, 5, 6, 7, 8, 11]

    download = web.get(result_url + "/rejected.csv")
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert rows[0] == ["line", "field", "reason"]
    assert {int(r[0]) for r in rows[1:]} == {4, 5, 6, 7, 8, 11}
    assert all(r[2] for r in rows[1:])

    again = web.get(upload(web, DATA.read_bytes()).headers["location"])
    assert 'data-count="accepted">0<' in again.text
    assert 'data-count="unchanged">4<' in again.text


def test_upload_problems_rerender_the_form(web: TestClient) -> None:
    log_in(web, "sjj")
    r = upload(web, "名称,奇怪的列\n甲,乙\n".encode(), name="bad.csv")
    assert r.status_code == 422
    assert 'role="alert"' in r.text
    assert "奇怪的列" in r.text
    r = upload(web, DATA.read_bytes(), item="")
    assert r.status_code == 422
    assert "请选择信息项" in r.text
    assert "choose a catalogue item" not in r.text
    token = csrf_of(web.get("/provider/deliver").text)
    r = web.post("/provider/deliver", data={"item": "admin_penalty", "csrf_token": token})
    assert r.status_code == 422
    assert "请选择要上传的文件" in r.text
    r = web.post("/provider/deliver", data={"item": "admin_penalty"})
    assert r.status_code == 403  # no CSRF token


def test_records_filter_sort_page_and_export(web: TestClient) -> None:
    log_in(web, "sjj")
    upload(web, DATA.read_bytes())
    r = web.get("/provider/records")
    assert r.status_code == 200
    assert len(re.findall(r'href="/provider/records/\d', r.text)) == 4
    assert "(4)" in r.text
    r = web.get("/provider/records", params={"subject": "91520000214434146r"})
    assert len(re.findall(r'href="/provider/records/\d', r.text)) == 1
    assert "贵州示例商贸有限公司" in r.text
    r = web.get("/provider/records", params={"status": "withdrawn"})
    assert (
        "No record matches these filters"
        in web.get("/provider/records", params={"status": "withdrawn", "lang": "en"}).text
    )
    r = web.get("/provider/records", params={"sort": "subject", "order": "asc"})
    codes = re.findall(r'<small class="code"><code>([0-9A-Z]+)</code></small>', r.text)
    assert codes == sorted(codes)
    assert len(codes) == 4
    assert 'aria-sort="ascending"' in r.text
    assert web.get("/provider/records", params={"sort": "nope"}).status_code == 422

    export = web.get("/provider/records.csv", params={"sort": "subject", "order": "asc"})
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert [r["subject_code"] for r in rows] == codes
    assert {r["item"] for r in rows} == {"admin_penalty"}


def test_empty_records_say_what_would_fill_them(web: TestClient) -> None:
    log_in(web, "swj")
    r = web.get("/provider/records", params={"lang": "en"})
    assert "Records appear here once you deliver a file" in r.text
    r = web.get("/provider/records")
    assert "尚未报送" in r.text


def _first_record(web: TestClient) -> str:
    upload(web, DATA.read_bytes())
    listing = web.get("/provider/records", params={"subject": "91520000214434146R"}).text
    match = re.search(r'href="(/provider/records/\d+)"', listing)
    assert match
    return match.group(1)


def test_amend_asks_for_confirmation_then_adds_a_version(web: TestClient) -> None:
    log_in(web, "sjj")
    url = _first_record(web)
    page = web.get(url)
    assert page.status_code == 200
    assert 'data-version="1"' in page.text
    token = csrf_of(page.text)

    form = {"csrf_token": token, "f.CF_NR_FK": "2", "reason": "金额录入错误", "basis": ""}
    confirm = web.post(url + "/amend", data=form)
    assert confirm.status_code == 200
    assert 'name="confirm" value="1"' in confirm.text
    assert "金额录入错误" in confirm.text
    assert re.search(r"<td>1</td><td>2</td>", confirm.text)
    assert 'data-version="2"' not in web.get(url).text  # nothing changed yet

    done = web.post(url + "/amend", data={**form, "confirm": "1"}, follow_redirects=False)
    assert done.status_code == 303
    page = web.get(done.headers["location"])
    assert 'data-version="2"' in page.text
    assert "金额录入错误" in page.text
    assert 'role="status"' in page.text

    nothing = web.post(url + "/amend", data={**form, "f.CF_NR_FK": "2", "confirm": "1"})
    assert nothing.status_code == 409  # the service's answer (issue 13 item 4)
    no_reason = web.post(url + "/amend", data={**form, "f.CF_NR_FK": "5", "reason": " "})
    assert no_reason.status_code == 422


def test_withdraw_needs_reason_basis_and_confirmation(web: TestClient) -> None:
    log_in(web, "sjj")
    url = _first_record(web)
    token = csrf_of(web.get(url).text)
    r = web.post(url + "/withdraw", data={"csrf_token": token, "reason": "撤销", "basis": ""})
    assert r.status_code == 422
    form = {"csrf_token": token, "reason": "处罚决定被撤销", "basis": "黔府复决〔2026〕9号"}
    confirm = web.post(url + "/withdraw", data=form)
    assert confirm.status_code == 200
    assert 'name="confirm" value="1"' in confirm.text
    done = web.post(url + "/withdraw", data={**form, "confirm": "1"}, follow_redirects=False)
    assert done.status_code == 303
    page = web.get(url)
    assert 'data-version="2"' in page.text
    assert "黔府复决〔2026〕9号" in page.text
    assert 'id="withdraw"' not in page.text  # nothing left to withdraw or amend


def test_another_providers_record_is_404(web: TestClient) -> None:
    log_in(web, "sjj")
    url = _first_record(web)
    batch = web.get("/provider").text
    batch_url = re.search(r'href="(/provider/batches/\d+)"', batch)
    assert batch_url
    web.cookies.clear()
    log_in(web, "swj")
    assert web.get(url).status_code == 404
    assert web.get(batch_url.group(1)).status_code == 404
    token = csrf_of(web.get("/provider").text)
    r = web.post(url + "/withdraw", data={"csrf_token": token, "reason": "x", "basis": "y"})
    assert r.status_code == 404
