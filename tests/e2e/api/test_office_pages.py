"""The credit office's catalogue pages over HTTP (DESIGN §6; CAT-1…3): the lifecycle of an item
from draft to publication through the pages, with a reason and a confirmation at each step."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_user
from tests.factories.catalogue import item_create
from tests.support.web import csrf_of, log_in
from xinyong.catalogue import service as catalogue
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import Clock
from xinyong.web.ui import office as office_ui

HTML = {"Accept": "text/html"}


@pytest.fixture
def office(db: Session, clock: Clock) -> Actor:
    return actor_of(make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1"))


@pytest.fixture
def web(app: FastAPI, db: Session, clock: Clock, client: TestClient, office: Actor) -> TestClient:
    if not any(getattr(r, "path", "") == "/office" for r in app.routes):
        app.include_router(office_ui.router)  # until listed in web.app.UI_MODULES
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="prov1")
    client.headers.update(HTML)
    return client


def step(web: TestClient, code: str, name: str, **fields: str) -> httpx.Response:
    token = csrf_of(web.get(f"/office/catalogue/{code}").text)
    return web.post(
        f"/office/catalogue/{code}/steps/{name}",
        data={"csrf_token": token, **fields},
        follow_redirects=False,
    )


def status_of(web: TestClient, code: str) -> str:
    match = re.search(r'data-status="(\w+)"', web.get(f"/office/catalogue/{code}").text)
    assert match
    return match.group(1)


def test_only_the_credit_office_opens_the_pages(web: TestClient) -> None:
    r = web.get("/office/catalogue", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Foffice%2Fcatalogue"
    log_in(web, "prov1")
    assert web.get("/office").status_code == 403
    assert web.get("/office/catalogue/admin_penalty").status_code == 403


def test_catalogue_lists_drafts_with_their_status_sorts_and_exports(
    web: TestClient, db: Session, clock: Clock, office: Actor
) -> None:
    catalogue.draft_item(db, actor=office, data=item_create(), at=clock.now())
    log_in(web, "office1")
    r = web.get("/office/catalogue")
    assert r.status_code == 200
    assert 'data-code="gz_test_item"' in r.text
    assert 'data-code="admin_penalty"' in r.text
    r = web.get("/office/catalogue", params={"status": "draft"})
    drafts = re.findall(r'data-code="(\w+)"', r.text)
    assert "gz_test_item" in drafts
    assert "admin_penalty" not in drafts
    r = web.get("/office/catalogue", params={"sort": "code", "order": "desc"})
    codes = re.findall(r'data-code="(\w+)"', r.text)
    assert codes == sorted(codes, reverse=True)
    export = web.get("/office/catalogue.csv", params={"status": "draft"})
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert [r["code"] for r in rows] == drafts
    assert {r["status"] for r in rows} == {"draft"}
    empty = web.get("/office/catalogue", params={"status": "reported", "lang": "en"})
    assert "No item matches these filters" in empty.text


def test_the_lifecycle_through_the_pages(
    web: TestClient, db: Session, clock: Clock, office: Actor
) -> None:
    catalogue.draft_item(db, actor=office, data=item_create(), at=clock.now())
    log_in(web, "office1")
    code = "gz_test_item"
    assert status_of(web, code) == "draft"

    missing_reason = step(web, code, "open-comment", reason=" ")
    assert missing_reason.status_code == 422
    confirm = step(web, code, "open-comment", reason="征求意见")
    assert confirm.status_code == 200
    assert 'name="confirm" value="1"' in confirm.text
    assert status_of(web, code) == "draft"  # not yet
    done = step(web, code, "open-comment", reason="征求意见", confirm="1")
    assert done.status_code == 303
    assert status_of(web, code) == "public_comment"

    token = csrf_of(web.get(f"/office/catalogue/{code}").text)
    r = web.post(
        f"/office/catalogue/{code}/opinions",
        data={
            "csrf_token": token,
            "source_name": "贵州省律师协会",
            "source_kind": "association",
            "content": "建议明确罚款金额的单位。",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = web.get(f"/office/catalogue/{code}").text
    assert "贵州省律师协会" in page
    assert "建议明确罚款金额的单位。" in page
    opinions = web.get(f"/office/catalogue/{code}/opinions.csv").text
    assert "贵州省律师协会" in opinions
    r = web.post(
        f"/office/catalogue/{code}/opinions",
        data={"csrf_token": token, "source_name": "", "source_kind": "expert", "content": "x"},
    )
    assert r.status_code == 422

    assert step(web, code, "publish", reason="x", effective_on="2026-10-01").status_code == 422
    assert step(web, code, "report", reason="报省发展改革委", confirm="1").status_code == 303
    assert status_of(web, code) == "reported"

    bad_date = step(web, code, "publish", reason="发布", effective_on="2026-13-01")
    assert bad_date.status_code == 422
    confirm = step(web, code, "publish", reason="发布", effective_on="2026-10-08")
    assert confirm.status_code == 200
    assert "2026-10-08" in confirm.text
    done = step(web, code, "publish", reason="发布", effective_on="2026-10-08", confirm="1")
    assert done.status_code == 303
    assert status_of(web, code) == "published"
    assert "new-version" in web.get(f"/office/catalogue/{code}").text


def test_a_local_item_without_legal_basis_shows_the_refusal(
    web: TestClient, db: Session, clock: Clock, office: Actor
) -> None:
    code = "gz_no_basis"
    catalogue.draft_item(
        db, actor=office, data=item_create(code=code, legal_basis=""), at=clock.now()
    )
    catalogue.open_public_comment(db, actor=office, code=code, at=clock.now())
    catalogue.report_to_higher_authority(db, actor=office, code=code, at=clock.now())
    log_in(web, "office1")
    page = web.get(f"/office/catalogue/{code}", params={"lang": "en"}).text
    assert "states no legal basis" in page
    r = step(web, code, "publish", reason="发布", effective_on="2026-10-08", confirm="1")
    assert r.status_code == 422
    assert "地方补充目录项须载明设定该项的地方性法规依据" in r.text
    assert status_of(web, code) == "reported"


def test_the_office_binds_organisations_to_an_item_on_its_page(
    web: TestClient, db: Session, clock: Clock
) -> None:
    """Issue 11 item 2 (Art. 12): the item page lists its collection sources and registers and
    ends them; a wrong organisation is a clear refusal on the page."""
    from tests.factories.accounts import make_org

    make_org(db, at=clock.now(), code="GZ-FY", kind="provider", name="贵州省高级人民法院")
    log_in(web, "office1")
    page = web.get("/office/catalogue/judgment_default")
    assert page.status_code == 200
    assert 'id="sources"' in page.text
    assert "data-source=" not in page.text
    token = csrf_of(page.text)
    bad = web.post("/office/catalogue/judgment_default/sources",
                   data={"csrf_token": token, "org": "NOBODY", "kind": "court"})  # fmt: skip
    assert bad.status_code == 422
    form = {"csrf_token": token, "org": "GZ-FY", "kind": "court", "basis": "规定"}
    r = web.post("/office/catalogue/judgment_default/sources", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = web.get("/office/catalogue/judgment_default")
    assert 'data-source="GZ-FY"' in page.text
    r = web.post("/office/catalogue/judgment_default/sources/GZ-FY/end", follow_redirects=False,
                 data={"csrf_token": csrf_of(page.text), "reason": "撤销"})  # fmt: skip
    assert r.status_code == 303, r.text
    assert 'data-source="GZ-FY"' not in web.get("/office/catalogue/judgment_default").text
