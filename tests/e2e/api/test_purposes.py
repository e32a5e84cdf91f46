"""Purposes published (Art. 19 ¶3): ``GET /api/v1/purposes`` for anyone, the lifecycle for the
credit office, and the public page in Chinese and English, linked from the navigation."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.e2e.api.test_inquiries import error_of, login
from tests.e2e.api.test_inquiry_pages import csrf_of, log_in
from tests.factories.inquiry import World, seed
from xinyong.core.clock import Clock


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> World:
    return seed(db, clock.now())


def test_anyone_reads_the_purposes_in_force(client: TestClient) -> None:
    r = client.get("/api/v1/purposes")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert {i["code"] for i in items} == {
        "licensing", "inspection", "public_resource_trading", "financial_support",
        "commendation", "public_service", "personnel",
    }  # fmt: skip
    assert all(set(i) >= {"code", "name", "legal_basis"} and i["legal_basis"] for i in items)


def test_the_office_drafts_publishes_and_retires(client: TestClient, world: World) -> None:
    office = login(client, "q_office")
    body = {"code": "rental_subsidy", "name_zh": "租赁补贴", "name_en": "Rental subsidy",
            "legal_basis": "《贵州省社会信用条例》第十九条"}  # fmt: skip
    r = client.post("/api/v1/purposes", json=body, headers=office)
    assert r.status_code == 201
    assert r.json()["status"] == "draft"
    codes = {i["code"] for i in client.get("/api/v1/purposes").json()["items"]}
    assert "rental_subsidy" not in codes
    assert client.post("/api/v1/purposes/rental_subsidy/publication",
                       headers=office).status_code == 200  # fmt: skip
    codes = {i["code"] for i in client.get("/api/v1/purposes").json()["items"]}
    assert "rental_subsidy" in codes
    r = client.post("/api/v1/purposes/personnel/retirement", json={"reason": "不再适用"},
                    headers=office)  # fmt: skip
    assert r.status_code == 200
    assert r.json()["status"] == "retired"
    statuses = {
        i["code"]: i["status"]
        for i in client.get("/api/v1/purposes/lifecycle", headers=office).json()["items"]
    }
    assert statuses["personnel"] == "retired"
    assert statuses["rental_subsidy"] == "published"

    organ = login(client, "q_fgw")
    r = client.post("/api/v1/checks", json={"subject": world.code, "matter": "personnel"},
                    headers=organ)  # fmt: skip
    assert error_of(r, 422) == "unknown_matter"
    assert error_of(client.post("/api/v1/purposes", json=body, headers=organ), 403)
    assert error_of(client.post("/api/v1/purposes/nope/publication", headers=office), 404)
    bad = {**body, "code": "supervision"}
    assert error_of(client.post("/api/v1/purposes", json=bad, headers=office), 422) == (
        "purpose_reserved"
    )


def test_the_public_page_in_both_languages(client: TestClient) -> None:
    zh = client.get("/purposes")
    assert zh.status_code == 200
    assert "查询用途" in zh.text
    assert "行政许可" in zh.text
    assert "第十九条" in zh.text
    assert 'href="/purposes"' in client.get("/").text
    client.get("/lang/en")
    en = client.get("/purposes")
    assert "Inquiry purposes" in en.text
    assert "Administrative licensing" in en.text


def test_the_office_page_manages_purposes_and_caps(client: TestClient, world: World) -> None:
    log_in(client, "q_office")
    page = client.get("/office/inquiry-settings")
    assert page.status_code == 200, page.text
    assert 'href="/office/inquiry-settings"' in page.text
    token = csrf_of(page.text)
    r = client.post("/office/inquiry-settings/cap", data={"per_day": "3", "csrf_token": token},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert 'value="3"' in client.get("/office/inquiry-settings").text
    r = client.post("/office/inquiry-settings/cap", data={"per_day": "x", "csrf_token": token})
    assert r.status_code == 422
    retire = {"reason": "不再适用", "csrf_token": token}
    r = client.post(
        "/office/inquiry-settings/purposes/personnel/retire", data=retire, follow_redirects=False
    )
    assert r.status_code == 303
    codes = {i["code"] for i in client.get("/api/v1/purposes").json()["items"]}
    assert "personnel" not in codes
    bad = {"code": "Bad Code", "name_zh": "x", "name_en": "x", "csrf_token": token}
    r = client.post("/office/inquiry-settings/purposes", data=bad)
    assert r.status_code == 422


def test_the_query_page_offers_only_purposes_in_force(client: TestClient, world: World) -> None:
    office = login(client, "q_office")
    assert client.post("/api/v1/purposes/licensing/retirement", headers=office).status_code == 200
    log_in(client, "q_fgw")
    page = client.get("/inquiry")
    assert page.status_code == 200
    assert 'value="inspection"' in page.text
    assert 'value="licensing"' not in page.text
