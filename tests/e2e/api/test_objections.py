"""``/objections`` and ``/me/inbox`` over HTTP (Art. 32; RGT-2, DIS-5, PLT-4)."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.documents.models
import xinyong.inquiry.models
import xinyong.objections.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.objections import World, make_world
from tests.support.web import login
from xinyong.core.clock import Clock
from xinyong.web.api import documents as documents_api
from xinyong.web.api import objections as objections_api
from xinyong.web.api import public as public_api


def mount_first(app: FastAPI, router: APIRouter, prefix: str = "") -> None:
    """Put a router's routes ahead of the others (until the module is listed in the app)."""
    mine = {getattr(r, "endpoint", None) for r in router.routes}
    if any(getattr(r, "endpoint", None) in mine for r in app.routes):
        return
    holder = APIRouter()
    holder.include_router(router, prefix=prefix)
    app.router.routes[0:0] = holder.routes


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> World:
    for router in (objections_api.router, documents_api.router, public_api.router):
        mount_first(app, router, "/api/v1")
    return make_world(db, at=clock.now())


def test_file_follow_and_decide(client: TestClient, world: World) -> None:
    subject = login(client, "subject501")
    body = {"record_id": world.record_id, "reason": "罚款金额有误"}
    r = client.post("/api/v1/objections", json=body, headers=subject)
    assert r.status_code == 201, r.text
    filed = r.json()
    assert filed["status"] == "received"
    assert filed["due"] == "2026-10-10"
    assert filed["received_at"].startswith("2026-09-30T10:00:00+08:00")
    again = client.post("/api/v1/objections", json=body, headers=subject)
    assert again.status_code == 200
    assert again.json()["id"] == filed["id"]

    provider = login(client, "sjj_staff")
    listed = client.get("/api/v1/objections", headers=provider).json()["items"]
    assert [o["id"] for o in listed] == [filed["id"]]
    r = client.post(f"/api/v1/objections/{filed['id']}/assistance", headers=provider)
    assert r.status_code == 200, r.text
    assert r.json()["due"] == "2026-10-13"
    r = client.post(
        f"/api/v1/objections/{filed['id']}/decision",
        json={"outcome": "rejected", "reason": "金额与处罚决定书一致"},
        headers=provider,
    )
    assert r.status_code == 200, r.text
    decided = r.json()
    assert decided["status"] == "decided"
    number = decided["notice_number"]

    inbox = client.get("/api/v1/me/inbox", headers=subject).json()
    assert [d["number"] for d in inbox["items"]] == [number]
    doc = client.get(f"/api/v1/documents/{number}", headers=subject)
    assert doc.status_code == 200
    assert doc.json()["kind"] == "objection_decision"
    pdf = client.get(f"/api/v1/documents/{number}.pdf", headers=subject)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # Someone else's notice does not exist for this provider's neighbour.
    other = login(client, "swj_staff")
    assert client.get(f"/api/v1/documents/{number}", headers=other).status_code == 404


def test_errors_have_the_api_shape(client: TestClient, world: World) -> None:
    subject = login(client, "subject501")
    r = client.post("/api/v1/objections", json={"record_id": world.record_id}, headers=subject)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_input"
    r = client.post(
        "/api/v1/objections", json={"record_id": 999999, "reason": "x"}, headers=subject
    )
    assert r.status_code == 404
    assert (
        client.post("/api/v1/objections", json={"record_id": 1, "reason": "x"}).status_code == 401
    )
    filed = client.post(
        "/api/v1/objections", json={"record_id": world.record_id, "reason": "x"}, headers=subject
    ).json()
    r = client.post(
        f"/api/v1/objections/{filed['id']}/decision",
        json={"outcome": "rejected", "reason": "no"},
        headers=subject,
    )
    assert r.status_code == 403
    r = client.post(
        f"/api/v1/objections/{filed['id']}/decision",
        json={"outcome": "perhaps", "reason": "no"},
        headers=login(client, "sjj_staff"),
    )
    assert r.status_code == 422


def test_public_page_marks_the_record_while_under_objection(
    client: TestClient, world: World
) -> None:
    def marked() -> bool:
        page = client.get(f"/api/v1/public/subjects/{world.code}")
        assert page.status_code == 200, page.text
        (record,) = [r for r in page.json()["records"] if r["id"] == world.record_id]
        return bool(record["under_objection"])

    assert not marked()
    subject = login(client, "subject501")
    filed = client.post(
        "/api/v1/objections", json={"record_id": world.record_id, "reason": "x"}, headers=subject
    ).json()
    assert marked()
    client.post(
        f"/api/v1/objections/{filed['id']}/decision",
        json={"outcome": "rejected", "reason": "不成立"},
        headers=login(client, "office_staff"),
    )
    assert not marked()


def test_corrections_over_http(client: TestClient, world: World) -> None:
    provider = login(client, "sjj_staff")
    r = client.post(
        "/api/v1/corrections",
        json={
            "record_id": world.record_id,
            "kind": "revocation",
            "description": "处罚决定经行政复议撤销",
            "revoking_document_no": "筑府复决〔2026〕12号",
        },
        headers=provider,
    )
    assert r.status_code == 201, r.text
    duty = r.json()
    assert duty["due"] == "2026-10-10"
    assert duty["notice_number"].startswith("CXTZ-2026-")
    r = client.post(
        f"/api/v1/corrections/{duty['id']}/fulfilment",
        json={"reason": "处罚决定已撤销", "action": "withdraw"},
        headers=provider,
    )
    assert r.status_code == 200, r.text
    assert r.json()["late"] is False
    record = client.get(f"/api/v1/records/{world.record_id}", headers=provider)
    if record.status_code == 200:
        assert record.json()["status"] == "withdrawn"
        assert "筑府复决〔2026〕12号" in record.json()["versions"][-1]["basis"]
