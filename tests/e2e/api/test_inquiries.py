"""Inquiries, consents, the inquiry log and the violation register over HTTP (Art. 18–20, 31,
38, 44, 45; INQ-1…3, CSI-2, GOV-1)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.inquiry.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401
from tests.factories.disclosure import uscc
from tests.factories.inquiry import World, seed
from tests.support.web import login
from xinyong.core.clock import Clock
from xinyong.inquiry.ratelimit import InquiryGuard
from xinyong.inquiry.rules import HarvestingPolicy
from xinyong.web.api import inquiries as inquiries_api
from xinyong.web.api import violations as violations_api


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> World:
    if not any(getattr(r, "path", "") == "/api/v1/inquiries" for r in app.routes):
        app.include_router(inquiries_api.router, prefix="/api/v1")  # until in API_MODULES
        app.include_router(violations_api.router, prefix="/api/v1")
    return seed(db, clock.now())


def error_of(r: object, status: int) -> str:
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert set(body["error"]) == {"code", "message", "details"}
    return str(body["error"]["code"])


def test_an_inquiry_answers_and_the_subject_and_auditor_see_it(
    client: TestClient, world: World
) -> None:
    organ = login(client, "q_fgw")
    r = client.post("/api/v1/inquiries", json={"subject": world.code, "purpose": "licensing"},
                    headers=organ)  # fmt: skip
    assert r.status_code == 200, r.text
    answer = r.json()
    assert set(answer) >= {"inquiry_id", "subject", "records", "lists", "grade"}
    assert answer["lists"] == []
    assert answer["grade"] is None
    assert answer["subject"]["code"] == world.code
    assert {rec["id"] for rec in answer["records"]} == {
        world.penalty_id,
        world.licence_id,
        world.tax_id,
    }
    assert all(rec["under_objection"] is False for rec in answer["records"])

    mine = client.get("/api/v1/me/inquiries", headers=login(client, "q_company")).json()
    assert mine["items"][0]["organisation"] == "贵阳市发展和改革委员会"
    assert mine["items"][0]["purpose"] == "licensing"
    assert set(mine["items"][0]) >= {"organisation", "purpose", "at"}

    auditor = login(client, "q_audit")
    log = client.get(f"/api/v1/inquiries?subject={world.code}", headers=auditor).json()
    assert [row["id"] for row in log["items"]] == [answer["inquiry_id"]]
    r = client.get("/api/v1/inquiries.csv?outcome=answered", headers=auditor)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows[0]["subject_code"] == world.code
    assert rows[0]["outcome"] == "answered"


def test_outside_the_authority_is_403_and_logged_as_refused(
    client: TestClient, world: World
) -> None:
    r = client.post("/api/v1/inquiries", json={"subject": world.code, "purpose": "personnel"},
                    headers=login(client, "q_fgw"))  # fmt: skip
    assert error_of(r, 403) == "purpose_not_authorised"
    r = client.post(
        "/api/v1/inquiries",
        json={"subject": world.code, "purpose": "licensing", "items": ["tax_arrears"]},
        headers=login(client, "q_fgw_narrow"),
    )
    assert error_of(r, 403) == "item_not_authorised"
    log = client.get("/api/v1/inquiries?outcome=refused&sort=purpose&order=asc",
                     headers=login(client, "q_audit")).json()  # fmt: skip
    assert [(row["purpose"], row["refusal_code"]) for row in log["items"]] == [
        ("licensing", "item_not_authorised"),
        ("personnel", "purpose_not_authorised"),
    ]
    # The subject is shown only what was disclosed.
    assert client.get("/api/v1/me/inquiries", headers=login(client, "q_company")).json() == {
        "items": []
    }


def test_consent_grant_authorized_inquiry_and_revoke(
    client: TestClient, world: World, clock: Clock
) -> None:
    inst = login(client, "q_xypg")
    ask = {"subject": world.code, "purpose": "financial_support"}
    r = client.post("/api/v1/authorized-inquiries", json=ask, headers=inst)
    assert error_of(r, 403) == "consent_required"
    subject = login(client, "q_company")
    expires = (clock.now() + timedelta(days=30)).isoformat()
    r = client.post("/api/v1/consents", headers=subject, json={
        "grantee": world.institution_org, "items": ["admin_penalty"],
        "purpose": "financial_support", "expires_at": expires,
    })  # fmt: skip
    assert r.status_code == 201, r.text
    consent = r.json()
    assert consent["status"] == "live"
    assert consent["not_a_condition_of_service"] is True
    r = client.post("/api/v1/authorized-inquiries", json=ask, headers=inst)
    assert r.status_code == 200, r.text
    assert [rec["id"] for rec in r.json()["records"]] == [world.penalty_id]
    assert (
        client.get("/api/v1/me/consents", headers=subject).json()["items"][0]["id"] == consent["id"]
    )
    # Only the consent's own subject revokes it.
    r = client.delete(f"/api/v1/consents/{consent['id']}", headers=inst)
    assert error_of(r, 403) == "forbidden"
    r = client.delete(f"/api/v1/consents/{consent['id']}", headers=subject)
    assert r.status_code == 200
    assert r.json()["status"] == "revoked"
    r = client.post("/api/v1/authorized-inquiries", json=ask, headers=inst)
    assert error_of(r, 403) == "consent_required"
    r = client.delete(f"/api/v1/consents/{consent['id']}", headers=subject)
    assert error_of(r, 409) == "consent_revoked"
    whos = [
        i["channel"] for i in client.get("/api/v1/me/inquiries", headers=subject).json()["items"]
    ]
    assert whos == ["authorized"]


def test_rate_limit_is_429_with_retry_after(client: TestClient, world: World, app: FastAPI) -> None:
    app.state.inquiry_guard = InquiryGuard(
        per_minute=2, policy=HarvestingPolicy(50, 10, 60), timer=lambda: 0.0
    )
    organ = login(client, "q_fgw")
    body = {"subject": world.code, "purpose": "licensing"}
    for _ in range(2):
        assert client.post("/api/v1/inquiries", json=body, headers=organ).status_code == 200
    r = client.post("/api/v1/inquiries", json=body, headers=organ)
    assert error_of(r, 429) == "rate_limited"
    assert r.headers["Retry-After"] == "30"


def test_enumeration_raises_an_alert_in_the_violation_register(
    client: TestClient, world: World, app: FastAPI
) -> None:
    app.state.inquiry_guard = InquiryGuard(per_minute=1000, policy=HarvestingPolicy(3, 10, 60))
    organ = login(client, "q_fgw")
    codes = [world.code, uscc(8001), uscc(8002)]
    statuses = [
        client.post("/api/v1/inquiries", json={"subject": c, "purpose": "licensing"},
                    headers=organ).status_code
        for c in codes
    ]  # fmt: skip
    assert statuses == [200, 404, 404]
    r = client.post("/api/v1/inquiries", json={"subject": uscc(8003), "purpose": "licensing"},
                    headers=organ)  # fmt: skip
    assert error_of(r, 429) == "harvesting_suspected"
    assert r.headers["Retry-After"] == "3600"
    r = client.post("/api/v1/inquiries", json={"subject": world.code, "purpose": "licensing"},
                    headers=organ)  # fmt: skip
    assert error_of(r, 429) == "harvesting_blocked"
    register = client.get("/api/v1/violations?kind=harvesting", headers=login(client, "q_office"))
    assert register.status_code == 200
    [alert] = register.json()["items"]
    assert alert["user_name"] == "q_fgw"
    assert alert["detail"]["distinct_subjects"] == 4
    r = client.get("/api/v1/violations", headers=organ)
    assert error_of(r, 403) == "forbidden"


@pytest.mark.parametrize(
    ("method", "path", "user", "payload", "status"),
    [
        ("post", "/api/v1/inquiries", "q_fgw", {"subject": ""}, 422),
        ("post", "/api/v1/inquiries", "q_fgw", {"subject": "X", "purpose": "p", "x": 1}, 422),
        ("post", "/api/v1/inquiries", "q_fgw", [1, 2], 422),
        ("post", "/api/v1/inquiries", None, {"subject": "X", "purpose": "licensing"}, 401),
        ("post", "/api/v1/authorized-inquiries", "q_xypg", {"purpose": 3}, 422),
        ("post", "/api/v1/window-inquiries", "q_office", {"subject": "X", "identity_check": ""},
         422),
        ("get", "/api/v1/inquiries?since=yesterday", "q_audit", None, 422),
        ("get", "/api/v1/inquiries?sort=password", "q_audit", None, 422),
        ("get", "/api/v1/inquiries?page=0", "q_audit", None, 422),
        ("get", "/api/v1/inquiries?since=2026-09-30&until=2026-09-01", "q_audit", None, 422),
        ("get", "/api/v1/inquiries", "q_fgw", None, 403),
        ("get", "/api/v1/inquiries.csv", None, None, 401),
        ("get", "/api/v1/me/inquiries", "q_fgw", None, 403),
        ("get", "/api/v1/me/consents", None, None, 401),
        ("post", "/api/v1/consents", "q_company", {"grantee": "q-XYPG"}, 422),
        ("post", "/api/v1/consents", "q_company", {"grantee": "q-XYPG", "items": ["admin_penalty"],
                                                   "purpose": "licensing",
                                                   "expires_at": "2026-10-30T00:00:00"}, 422),
        ("post", "/api/v1/consents", "q_company", {"grantee": "q-FGW", "items": ["admin_penalty"],
                                                   "purpose": "licensing",
                                                   "expires_at": "2026-10-30T00:00:00+08:00"}, 422),
        ("delete", "/api/v1/consents/abc", "q_company", None, 422),
        ("delete", "/api/v1/consents/999999", "q_company", None, 404),
        ("get", "/api/v1/violations?kind=jaywalking", "q_office", None, 422),
        ("get", "/api/v1/violations?page=-1", "q_office", None, 422),
    ],
)  # fmt: skip
def test_bad_input_gets_the_error_shape(
    client: TestClient, world: World, method: str, path: str, user: str | None,
    payload: object, status: int,
) -> None:  # fmt: skip
    headers = login(client, user) if user else {}
    kwargs = {"json": payload} if payload is not None else {}
    r = client.request(method.upper(), path, headers=headers, **kwargs)  # type: ignore[arg-type]
    error_of(r, status)
