"""``/api/v1/supervision`` and the ``/office/supervision`` page over HTTP (COL-3)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.feed.models
import xinyong.records.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import make_org, make_user
from tests.support.web import login
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import Clock
from xinyong.web.api import supervision as supervision_api
from xinyong.web.ui import supervision as supervision_ui

DATA = Path(__file__).parents[2] / "data" / "admin_penalty_shuanggongshi.csv"


def mount_first(app: FastAPI, router: APIRouter, prefix: str = "") -> None:
    """Put a router's routes ahead of the others (until the module is listed in the app)."""
    if any(getattr(r, "endpoint", None) in {x.endpoint for x in router.routes} for r in app.routes):  # type: ignore[attr-defined]
        return
    holder = APIRouter()
    holder.include_router(router, prefix=prefix)
    app.router.routes[0:0] = holder.routes


@pytest.fixture
def api(app: FastAPI, db: Session, clock: Clock) -> FastAPI:
    from xinyong.web.api import records as records_api

    mount_first(app, supervision_api.router, "/api/v1")
    mount_first(app, supervision_ui.router)
    mount_first(app, records_api.router, "/api/v1")
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="sjj", org_code="GY-SJJ")
    make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1")
    return app


def upload(client: TestClient, headers: dict[str, str]) -> None:
    files = {"file": (DATA.name, DATA.read_bytes(), "text/csv")}
    form = {"item": "admin_penalty"}
    r = client.post("/api/v1/records/batches", data=form, files=files, headers=headers)
    assert r.status_code == 200, r.text


def test_the_office_sees_every_provider(api: FastAPI, client: TestClient) -> None:
    office, sjj = login(client, "office1"), login(client, "sjj")
    empty = client.get("/api/v1/supervision/providers", headers=office)
    assert empty.status_code == 200
    assert empty.json()["items"] == []

    upload(client, sjj)
    r = client.get("/api/v1/supervision/providers?sort=rejection_rate&order=asc", headers=office)
    assert r.status_code == 200, r.text
    (row,) = r.json()["items"]
    assert row["org_code"] == "GY-SJJ"
    assert row["item_code"] == "admin_penalty"
    assert row["deliveries"] == 1
    assert (row["accepted"], row["rejected"]) == (4, 6)
    assert row["rejection_rate"] == pytest.approx(0.6)
    assert row["overdue"] is False

    text = client.get("/api/v1/supervision/providers.csv", headers=office).text
    (header, line) = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[0] == "org_code"
    assert line[0] == "GY-SJJ"


def test_roles_and_bad_parameters(api: FastAPI, client: TestClient) -> None:
    sjj = login(client, "sjj")
    assert client.get("/api/v1/supervision/providers").status_code == 401
    forbidden = client.get("/api/v1/supervision/providers", headers=sjj)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "forbidden"
    bad = client.get("/api/v1/supervision/providers?sort=nope", headers=login(client, "office1"))
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]
    upload(client, sjj)
    mine = client.get("/api/v1/supervision/mine", headers=sjj)
    assert mine.status_code == 200
    assert [r["org_code"] for r in mine.json()["items"]] == ["GY-SJJ"]


def test_the_page_sorts_exports_and_marks_overdue_in_red(
    api: FastAPI, client: TestClient, clock: Clock
) -> None:
    office, sjj = login(client, "office1"), login(client, "sjj")
    page = client.get("/office/supervision", headers=office)
    assert page.status_code == 200
    assert "尚无报送" in page.text

    upload(client, sjj)
    api.state.clock = Clock(clock.now() + timedelta(days=10))
    office, sjj = login(client, "office1"), login(client, "sjj")  # tokens expired meanwhile
    page = client.get("/office/supervision", headers=office)
    assert "贵阳市市场监督管理局" in page.text
    assert '<span class="error">已逾期 3 天</span>' in page.text
    assert "/office/supervision?sort=completeness&amp;order=desc" in page.text
    assert "/api/v1/supervision/providers.csv?sort=days_overdue&amp;order=desc" in page.text

    own = client.get("/provider/timeliness", headers=sjj)
    assert own.status_code == 200
    assert "admin_penalty" in own.text
    assert client.get("/office/supervision", headers=sjj).status_code == 403
