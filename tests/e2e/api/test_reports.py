"""Self-query and credit reports over HTTP (RGT-1): ``/api/v1/me/credit``,
``/api/v1/me/report.pdf``, ``/api/v1/reports/{number}`` and the pages ``/me/credit`` and
``/reports/verify``."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.records.models
import xinyong.reports.models  # noqa: F401
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.reports import Seeded, page_count, pdf_objects, seed
from tests.support.web import csrf_of, login
from xinyong.audit.models import AuditEntry
from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.reports.models import CreditReport
from xinyong.web.api import reports as reports_api
from xinyong.web.ui import reports as reports_ui


@pytest.fixture
def seeded(app: FastAPI, db: Session, clock: Clock) -> Seeded:
    if not any(getattr(r, "path", "") == "/api/v1/me/credit" for r in app.routes):
        # Until listed in web.app.API_MODULES / UI_MODULES.
        app.include_router(reports_api.router, prefix="/api/v1")
        app.include_router(reports_ui.router)
    s = seed(db, at=clock.now(), extra=25)
    make_user(db, at=clock.now(), role=Role.SUBJECT, username="self1", subject_code=s.code)
    make_user(db, at=clock.now(), role=Role.INQUIRER, username="organ1")
    return s


def test_my_credit_lists_every_record_with_source_and_versions(
    client: TestClient, seeded: Seeded
) -> None:
    r = client.get("/api/v1/me/credit", headers=login(client, "self1"))
    assert r.status_code == 200, r.text
    records = {rec["id"]: rec for rec in r.json()["records"]}
    assert len(records) == 28
    assert records[seeded.withdrawn]["state"] == "withdrawn"
    assert records[seeded.expired]["state"] == "expired"
    amended = records[seeded.amended]
    assert amended["source"]["provider_org_name"] == "贵阳市市场监督管理局"
    assert [(v["version"], v["reason"]) for v in amended["versions"]] == [
        (1, None),
        (2, "罚款金额录入有误"),
    ]


def test_a_downloaded_report_verifies_and_carries_its_number_on_every_page(
    client: TestClient, db: Session, seeded: Seeded
) -> None:
    r = client.get("/api/v1/me/report.pdf", headers=login(client, "self1"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    number = r.headers["X-Report-Number"]
    assert re.fullmatch(r"XYBG-20260930-[0-9A-Z]{8}", number)
    assert f'filename="{number}.pdf"' in r.headers["content-disposition"]

    # Every page's head is a link to the verification page of this number.
    pages = page_count(r.content)
    assert pages > 1
    links = pdf_objects(r.content).count(f"/reports/verify?number={number}".encode())
    assert links >= pages

    verified = client.get(f"/api/v1/reports/{number}")
    assert verified.status_code == 200, verified.text
    stored = db.scalar(select(CreditReport).where(CreditReport.number == number))
    assert stored is not None
    assert verified.json()["digest"] == stored.digest
    assert verified.json()["number"] == number
    assert verified.json()["subject"].startswith("贵州报告测试有限公司（")
    assert seeded.code not in verified.json()["subject"]

    entry = db.scalar(
        select(AuditEntry).where(
            AuditEntry.tag == "reports:report:issue", AuditEntry.object_id == str(stored.id)
        )
    )
    assert entry is not None
    assert entry.after is not None
    assert entry.after["number"] == number


def test_an_unknown_number_is_404_in_the_error_shape(client: TestClient, seeded: Seeded) -> None:
    r = client.get("/api/v1/reports/XYBG-20260930-ZZZZZZZZ")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "report_not_found"
    page = client.get("/reports/verify?number=XYBG-20260930-ZZZZZZZZ")
    assert page.status_code == 404
    assert 'id="not-found"' in page.text


def test_other_roles_and_the_public_are_refused(client: TestClient, seeded: Seeded) -> None:
    organ = login(client, "organ1")
    assert client.get("/api/v1/me/credit", headers=organ).status_code == 403
    assert client.get("/api/v1/me/report.pdf", headers=organ).status_code == 403
    r = client.get("/api/v1/me/credit")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "not_authenticated"


def test_the_pages_show_my_credit_download_and_verify(client: TestClient, seeded: Seeded) -> None:
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": "self1", "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text

    page = client.get("/me/credit")
    assert page.status_code == 200
    assert f'data-record-id="{seeded.withdrawn}" data-state="withdrawn"' in page.text
    assert "罚款金额录入有误" in page.text
    assert "贵阳市市场监督管理局" in page.text

    pdf = client.post("/me/report", data={"csrf_token": csrf_of(page.text)})
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    number = pdf.headers["X-Report-Number"]

    verify = client.get(f"/reports/verify?number={number.lower()}")
    assert verify.status_code == 200
    assert 'id="verification"' in verify.text
    assert number in verify.text
    assert client.post("/me/report", data={}).status_code == 403  # no CSRF token
