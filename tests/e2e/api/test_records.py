"""``/api/v1/records`` over HTTP: delivery, idempotency, corrections, files (COL-1/2/5)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from bench.import_rate import HEADER, penalty_row
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy.orm import Session

import xinyong.records.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import make_org, make_user
from tests.integration.records.test_service import penalty_fields
from tests.support.web import login
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import Clock
from xinyong.web.api import records as records_api

DATA = Path(__file__).parents[2] / "data" / "admin_penalty_shuanggongshi.csv"


@pytest.fixture
def api(app: FastAPI, db: Session, clock: Clock) -> FastAPI:
    if not any(getattr(r, "path", "").startswith("/api/v1/records") for r in app.routes):
        app.include_router(records_api.router, prefix="/api/v1")  # until listed in API_MODULES
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_org(db, at=clock.now(), code="GY-SWJ", kind="provider", name="贵阳市税务局")
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="sjj", org_code="GY-SJJ")
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="swj", org_code="GY-SWJ")
    make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1")
    return app


def body(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "item": "admin_penalty",
        "source_id": "SJJ-1",
        "subject": {
            "type": "legal_person",
            "id": "91520000214434146R",
            "name": "贵州示例商贸有限公司",
        },
        "fields": penalty_fields(),
    }
    data.update(kw)
    return data


def test_deliver_read_amend_withdraw(api: FastAPI, client: TestClient) -> None:
    sjj = login(client, "sjj")
    r = client.post("/api/v1/records", json=body(), headers=sjj)
    assert r.status_code == 201, r.text
    record = r.json()
    assert record["version"] == 1
    assert record["provider"]["org_code"] == "GY-SJJ"
    rid = record["id"]

    again = client.post("/api/v1/records", json=body(), headers=sjj)
    assert again.status_code == 200
    assert again.json()["id"] == rid
    changed = client.post(
        "/api/v1/records", json=body(fields=penalty_fields(CF_NR_FK="3")), headers=sjj
    )
    assert changed.status_code == 409
    assert changed.json()["error"]["code"] == "conflict"

    r = client.post(
        f"/api/v1/records/{rid}/amendments",
        json={"fields": {"CF_NR_FK": "2"}, "reason": "金额录入错误"},
        headers=sjj,
    )
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2

    r = client.post(f"/api/v1/records/{rid}/withdrawal", json={"reason": "撤销"}, headers=sjj)
    assert r.status_code == 422  # a withdrawal needs its basis too
    r = client.post(
        f"/api/v1/records/{rid}/withdrawal",
        json={"reason": "处罚决定被撤销", "basis": "黔府复决〔2026〕9号"},
        headers=sjj,
    )
    assert r.status_code == 200
    assert r.json()["status"] == "withdrawn"

    office = client.get(f"/api/v1/records/{rid}", headers=login(client, "office1"))
    assert office.status_code == 200
    versions = office.json()["versions"]
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[1]["reason"] == "金额录入错误"
    assert versions[1]["actor"]["name"]
    assert versions[2]["at"]

    other = client.get(f"/api/v1/records/{rid}", headers=login(client, "swj"))
    assert other.status_code == 404
    assert client.get(f"/api/v1/records/{rid}").status_code == 404


def test_delete_is_always_405(api: FastAPI, client: TestClient) -> None:
    sjj = login(client, "sjj")
    rid = client.post("/api/v1/records", json=body(), headers=sjj).json()["id"]
    for headers in (sjj, login(client, "office1"), {}):
        r = client.delete(f"/api/v1/records/{rid}", headers=headers)
        assert r.status_code == 405
        assert r.json()["error"]["code"] == "method_not_allowed"
    assert client.get(f"/api/v1/records/{rid}", headers=sjj).status_code == 200
    # The credit office reads the two attempts by accounts on the violation register (GOV-1).
    page = client.get(
        "/api/v1/violations",
        params={"kind": "attempted_deletion"},
        headers=login(client, "office1"),
    ).json()
    assert sorted(v["object_id"] for v in page["items"]) == [str(rid), str(rid)]


def test_bad_input_is_a_clear_4xx(api: FastAPI, client: TestClient) -> None:
    sjj = login(client, "sjj")
    r = client.post(
        "/api/v1/records", json=body(fields=penalty_fields(CF_JDRQ="2026-02-30")), headers=sjj
    )
    assert r.status_code == 422
    assert "date 2026-02-30 does not exist" in r.json()["error"]["message"]
    assert client.post("/api/v1/records", json=body()).status_code == 401
    assert client.post("/api/v1/records", json={"nope": 1}, headers=sjj).status_code == 422


def test_json_batch(api: FastAPI, client: TestClient) -> None:
    sjj = login(client, "sjj")
    payload = {"records": [body(), body(source_id="SJJ-2", fields={"XDR_MC": "x"})]}
    r = client.post("/api/v1/records", json=payload, headers=sjj)
    assert r.status_code == 200
    assert [x["outcome"] for x in r.json()["results"]] == ["created", "rejected"]


def test_file_delivery_lists_rejected_rows_and_is_idempotent(
    api: FastAPI, client: TestClient
) -> None:
    sjj = login(client, "sjj")
    files = {"file": (DATA.name, DATA.read_bytes(), "text/csv")}
    r = client.post(
        "/api/v1/records/batches", data={"item": "admin_penalty"}, files=files, headers=sjj
    )
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["accepted"] == 4
    assert {x["line"] for x in first["rejected"]} == {4, 5, 6, 7, 8, 11}
    assert all(x["field"] and x["reason"] for x in first["rejected"])
    r = client.post(
        "/api/v1/records/batches", data={"item": "admin_penalty"}, files=files, headers=sjj
    )
    assert r.json()["accepted"] == 0
    assert r.json()["unchanged"] == 4


def test_xlsx_upload_and_bad_header(api: FastAPI, client: TestClient) -> None:
    sjj = login(client, "sjj")
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(penalty_row(3))
    buf = io.BytesIO()
    wb.save(buf)
    files = {"file": ("p.xlsx", buf.getvalue(), "application/octet-stream")}
    r = client.post(
        "/api/v1/records/batches", data={"item": "admin_penalty"}, files=files, headers=sjj
    )
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 1
    bad = {"file": ("bad.csv", "名称,奇怪的列\n甲,乙\n".encode(), "text/csv")}
    r = client.post(
        "/api/v1/records/batches", data={"item": "admin_penalty"}, files=bad, headers=sjj
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_header"
