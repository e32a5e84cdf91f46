"""``/api/v1/dashboard`` and the ``/office/dashboard`` page over HTTP (DESIGN §6)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.feed.models
import xinyong.inquiry.models
import xinyong.lists.models
import xinyong.objections.models
import xinyong.records.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import make_org, make_user
from tests.integration.records.test_service import penalty_fields
from tests.support.web import login
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import PLATFORM_ZONE, Clock

SEPT = Clock(datetime(2026, 9, 1, 10, 0, tzinfo=PLATFORM_ZONE)).now()


@pytest.fixture
def api(app: FastAPI, db: Session) -> FastAPI:
    load_shipped_catalogues(db, actor=SYSTEM, at=datetime(2025, 1, 1, tzinfo=PLATFORM_ZONE))
    db.commit()
    make_org(db, at=SEPT, code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_user(db, at=SEPT, role=Role.PROVIDER, username="sjj", org_code="GY-SJJ")
    make_user(db, at=SEPT, role=Role.CREDIT_OFFICE, username="office1")
    return app


def deliver(client: TestClient, headers: dict[str, str], source_id: str) -> None:
    body = {
        "item": "admin_penalty",
        "source_id": source_id,
        "subject": {
            "type": "legal_person",
            "id": "91520000214434146R",
            "name": "贵州示例商贸有限公司",
        },
        "fields": penalty_fields(CF_WSH=f"黔市监罚〔2026〕{source_id}号"),
    }
    r = client.post("/api/v1/records", json=body, headers=headers)
    assert r.status_code == 201, r.text


def test_the_office_reads_every_panel(api: FastAPI, client: TestClient) -> None:
    office = login(client, "office1")
    empty = client.get("/api/v1/dashboard", headers=office)
    assert empty.status_code == 200, empty.text
    body = empty.json()
    assert (body["from"], body["to"]) == ("2025-10-01", "2026-09-30")
    assert body["deliveries"]["total"] == 0
    assert set(body) >= {"deliveries", "overdue_providers", "objections", "inquiries",
                         "list_entries", "months"}  # fmt: skip

    deliver(client, login(client, "sjj"), "D1")
    deliver(client, login(client, "sjj"), "D2")
    r = client.get("/api/v1/dashboard?from=2026-09-01&to=2026-09-30", headers=office)
    assert r.status_code == 200
    assert r.json()["deliveries"]["months"] == [{"month": "2026-09", "records": 2}]
    assert r.json()["deliveries"]["by_provider"][0]["org_code"] == "GY-SJJ"


def test_who_may_ask(api: FastAPI, client: TestClient) -> None:
    anonymous = client.get("/api/v1/dashboard")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    provider = client.get("/api/v1/dashboard", headers=login(client, "sjj"))
    assert provider.status_code == 403
    assert provider.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/dashboard/deliveries.csv").status_code == 401


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("from=2026-02-30", "invalid_date", "from"),
        ("to=not-a-date", "invalid_date", "to"),
        ("from=2026-09-10&to=2026-09-01", "invalid_range", "to"),
        ("from=1990-01-01", "range_too_long", "from"),
    ],
)
def test_bad_ranges_are_clear_422s(
    api: FastAPI, client: TestClient, query: str, code: str, field: str
) -> None:
    r = client.get(f"/api/v1/dashboard?{query}", headers=login(client, "office1"))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == code
    assert error["details"][0]["field"] == field
    assert error["message"]


def test_csv_per_panel_and_unknown_panels(api: FastAPI, client: TestClient) -> None:
    office = login(client, "office1")
    deliver(client, login(client, "sjj"), "C1")
    r = client.get("/api/v1/dashboard/deliveries.csv?from=2026-08-01", headers=office)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="dashboard-deliveries.csv"' in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows == [["month", "records"], ["2026-08", "0"], ["2026-09", "1"]]
    for panel in ("deliveries_by_provider", "overdue_providers", "objections", "inquiries",
                  "list_entries"):  # fmt: skip
        assert client.get(f"/api/v1/dashboard/{panel}.csv", headers=office).status_code == 200
    unknown = client.get("/api/v1/dashboard/salaries.csv", headers=office)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "panel_not_found"
    bad = client.get("/api/v1/dashboard/inquiries.csv?to=2026-13-01", headers=office)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_date"


def test_the_page_draws_charts_tables_and_exports(api: FastAPI, client: TestClient) -> None:
    office = login(client, "office1")
    page = client.get("/office/dashboard", headers=office)
    assert page.status_code == 200
    assert "工作台" in page.text
    assert "统计期间内未收到记录" in page.text  # the empty state says what would fill it

    deliver(client, login(client, "sjj"), "P1")
    page = client.get("/office/dashboard?deliveries_sort=records&deliveries_order=desc",
                      headers=office)  # fmt: skip
    assert page.status_code == 200
    text = page.text
    assert '<svg class="chart-svg"' in text
    assert '<title id="chart-deliveries-title">每月收到的记录</title>' in text
    assert "<title>2026-09 · 收到的记录: 1</title>" in text
    assert "/api/v1/dashboard/deliveries.csv?from=2025-10-01&amp;to=2026-09-30" in text
    assert 'aria-sort="descending"' in text
    assert 'href="/office/dashboard"' in text  # in the office navigation
    english = client.get("/office/dashboard?lang=en", headers=office)
    assert "Records received per month" in english.text

    bad = client.get("/office/dashboard?from=2026-09-10&to=2026-09-01", headers=office)
    assert bad.status_code == 422
    assert "早于开始日期" in bad.text


def test_the_page_is_for_the_credit_office(api: FastAPI, client: TestClient) -> None:
    anonymous = client.get("/office/dashboard", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=")
    provider = client.get("/office/dashboard", headers=login(client, "sjj"))
    assert provider.status_code == 403
