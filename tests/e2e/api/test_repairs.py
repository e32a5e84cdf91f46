"""``/repairs`` over HTTP (Art. 36; RGT-5): a serious penalty cannot be repaired before its
1-year minimum; a repaired record leaves publicity and stays in self-query."""

from __future__ import annotations

import base64

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.documents.models
import xinyong.inquiry.models
import xinyong.objections.models
import xinyong.records.models
import xinyong.repair.models
import xinyong.violations.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.repair import RepairWorld, make_repair_world
from tests.support.web import login
from xinyong.core.clock import Clock
from xinyong.web.api import documents as documents_api
from xinyong.web.api import public as public_api
from xinyong.web.api import repairs as repairs_api
from xinyong.web.api import reports as reports_api


def mount_first(app: FastAPI, router: APIRouter, prefix: str = "") -> None:
    """Put a router's routes ahead of the others (until the module is listed in the app)."""
    mine = {getattr(r, "endpoint", None) for r in router.routes}
    if any(getattr(r, "endpoint", None) in mine for r in app.routes):
        return
    holder = APIRouter()
    holder.include_router(router, prefix=prefix)
    app.router.routes[0:0] = holder.routes


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> RepairWorld:
    for router in (repairs_api.router, documents_api.router, public_api.router, reports_api.router):
        mount_first(app, router, "/api/v1")
    return make_repair_world(db, at=clock.now())


def test_serious_penalty_before_its_minimum_is_422_with_the_reason(
    client: TestClient, world: RepairWorld
) -> None:
    subject = login(client, "subject701")
    body = {"record_id": world.serious_id, "statement": "已缴清罚款", "evidence": ["缴款凭证"]}
    r = client.post("/api/v1/repairs", json=body, headers=subject)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "repair_not_eligible"
    assert "严重失信信息须公示满 1 年后方可申请修复，最早 2027-03-15" in error["message"]
    assert "from 2027-03-15" in error["message"]
    assert error["details"][0]["earliest_on"] == "2027-03-15"
    assert client.get("/api/v1/repairs", headers=subject).json()["items"] == []
    r = client.post(
        "/api/v1/repairs",
        json={"record_id": world.judgment_id, "statement": "x", "evidence": []},
        headers=subject,
    )
    assert r.status_code == 422
    assert "this item cannot be repaired by law" in r.json()["error"]["message"]


def test_repaired_record_leaves_publicity_and_stays_in_self_query(
    client: TestClient, world: RepairWorld
) -> None:
    def public_ids() -> set[int]:
        page = client.get(f"/api/v1/public/subjects/{world.code}")
        assert page.status_code == 200, page.text
        return {r["id"] for r in page.json()["records"]}

    assert world.general_id in public_ids()
    subject = login(client, "subject701")
    upload = {"name": "缴款书.pdf", "content_base64": base64.b64encode(b"%PDF receipt").decode()}
    body = {
        "record_id": world.general_id,
        "statement": "罚款已缴清，违法行为已整改",
        "evidence": ["https://example.org/receipt/1", upload],
    }
    r = client.post("/api/v1/repairs", json=body, headers=subject)
    assert r.status_code == 201, r.text
    filed = r.json()
    assert {"id", "status", "received_at", "due"} <= set(filed)
    assert filed["status"] == "received"
    assert filed["due"] == "2026-10-13"
    assert filed["received_at"].startswith("2026-09-30T10:00:00+08:00")
    again = client.post("/api/v1/repairs", json=body, headers=subject)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "repair_open"

    provider = login(client, "sjj_repair")
    listed = client.get("/api/v1/repairs", headers=provider).json()["items"]
    assert [x["id"] for x in listed] == [filed["id"]]
    file_id = listed[0]["evidence"][1]["file_id"]
    proof = client.get(f"/api/v1/repairs/{filed['id']}/evidence/{file_id}", headers=provider)
    assert proof.status_code == 200
    assert proof.content == b"%PDF receipt"
    r = client.post(
        f"/api/v1/repairs/{filed['id']}/decision",
        json={"outcome": "repaired", "reason": "已履行处罚决定并作出信用承诺"},
        headers=provider,
    )
    assert r.status_code == 200, r.text
    decided = r.json()
    assert decided["status"] == "repaired"

    assert world.general_id not in public_ids()
    assert world.recent_id in public_ids()
    mine = client.get("/api/v1/me/credit", headers=subject)
    assert mine.status_code == 200, mine.text
    assert world.general_id in {rec["id"] for rec in mine.json()["records"]}
    inbox = client.get("/api/v1/me/inbox", headers=subject).json()["items"]
    assert decided["notice_number"] in {d["number"] for d in inbox}
    shown = client.get(f"/api/v1/repairs/{filed['id']}", headers=subject).json()
    assert shown["status"] == "repaired"
    assert shown["decision_reason"] == "已履行处罚决定并作出信用承诺"


def test_errors_have_the_api_shape(client: TestClient, world: RepairWorld) -> None:
    subject = login(client, "subject701")
    assert (
        client.post("/api/v1/repairs", json={"record_id": 1, "statement": "x"}).status_code == 401
    )
    r = client.post("/api/v1/repairs", json={"record_id": world.general_id}, headers=subject)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_input"
    r = client.post(
        "/api/v1/repairs", json={"record_id": 999999, "statement": "x"}, headers=subject
    )
    assert r.status_code == 404
    r = client.post(
        "/api/v1/repairs",
        json={
            "record_id": world.general_id,
            "statement": "x",
            "evidence": [{"name": "a", "content_base64": "@@"}],
        },
        headers=subject,
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "evidence[0]"
    filed = client.post(
        "/api/v1/repairs", json={"record_id": world.general_id, "statement": "x"}, headers=subject
    ).json()
    decision = {"outcome": "repaired", "reason": "ok"}
    r = client.post(f"/api/v1/repairs/{filed['id']}/decision", json=decision, headers=subject)
    assert r.status_code == 403
    other = login(client, "swj_repair")
    r = client.post(f"/api/v1/repairs/{filed['id']}/decision", json=decision, headers=other)
    assert r.status_code == 404
    r = client.post(
        f"/api/v1/repairs/{filed['id']}/decision",
        json={"outcome": "perhaps", "reason": "no"},
        headers=login(client, "sjj_repair"),
    )
    assert r.status_code == 422
    eligibility = client.get(
        f"/api/v1/repairs/eligibility?record_id={world.serious_id}", headers=subject
    ).json()
    assert eligibility["eligible"] is False
    assert eligibility["earliest_on"] == "2027-03-15"
