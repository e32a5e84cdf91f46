"""``POST /objections`` for omissions and handling, and the assistance deadline, over HTTP
(Art. 32; RGT-2)."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.documents.models
import xinyong.inquiry.models
import xinyong.objections.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import PASSWORD
from tests.factories.objections import World, make_world
from tests.support.web import login
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.objections import service


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> World:
    return make_world(db, at=clock.now())


def test_omission_and_handling_objections(client: TestClient, world: World) -> None:
    subject = login(client, "subject501")
    body = {"kind": "omission", "item": "admin_penalty", "reason": "已履行的处罚信息未记录"}
    r = client.post("/api/v1/objections", json=body, headers=subject)
    assert r.status_code == 201, r.text
    omission = r.json()
    assert (omission["kind"], omission["record_id"], omission["item"]) == (
        "omission", None, "admin_penalty"
    )  # fmt: skip
    assert omission["status"] == "received"
    assert omission["due"] == "2026-10-10"
    again = client.post("/api/v1/objections", json=body, headers=subject)
    assert (again.status_code, again.json()["id"]) == (200, omission["id"])
    provider = login(client, "sjj_staff")
    listed = client.get("/api/v1/objections", headers=provider).json()["items"]
    assert [o["id"] for o in listed] == [omission["id"]]

    body = {"kind": "handling", "channel": "publicity", "reason": "公示了不应公开的信息"}
    r = client.post("/api/v1/objections", json=body, headers=subject)
    assert r.status_code == 201, r.text
    assert (r.json()["channel"], r.json()["provider_org_id"]) == ("publicity", None)
    office = login(client, "office_staff")
    decided = client.post(
        f"/api/v1/objections/{r.json()['id']}/decision",
        json={"outcome": "upheld", "reason": "已停止公示该字段"}, headers=office,
    )  # fmt: skip
    assert decided.status_code == 200, decided.text
    assert decided.json()["notice_number"]
    # The record objection keeps working as before.
    old = {"record_id": world.record_id, "reason": "罚款金额有误"}
    assert client.post("/api/v1/objections", json=old, headers=subject).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "缺少对象"},
        {"kind": "omission", "reason": "未指明信息项"},
        {"kind": "handling", "reason": "未指明信息项或渠道"},
        {"kind": "handling", "channel": "gossip", "reason": "x"},
        {"kind": "omission", "item": "admin_penalty", "record_id": 1, "reason": "x"},
        {"kind": "record", "item": "admin_penalty", "reason": "x"},
        {"kind": "omission", "item": "no_such_item", "reason": "x"},
        {"kind": "omission", "item": "professional_qualification", "reason": "x"},
        {"kind": "omission", "item": "admin\x00penalty", "reason": "x"},
        {"record_id": 2**70, "reason": "x"},
    ],
)
def test_bad_objections_are_422(client: TestClient, world: World, body: dict[str, object]) -> None:
    r = client.post("/api/v1/objections", json=body, headers=login(client, "subject501"))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"]


def test_assistance_after_the_third_working_day_is_422(
    client: TestClient, world: World, db: Session
) -> None:
    # Received Tue 09-22: 09-23, 09-24, (Mid-Autumn Festival 09-25, weekend) Mon 09-28 is the
    # 3rd working day; the server's clock says Wed 09-30.
    received = datetime(2026, 9, 22, 16, 0, tzinfo=PLATFORM_ZONE)
    objection, _ = service.file_objection(
        db, actor=world.subject, record_id=world.record_id, reason="名称有误", at=received
    )
    assert objection.due.isoformat() == "2026-09-28"
    provider = login(client, "sjj_staff")
    r = client.post(
        f"/api/v1/objections/{objection.id}/assistance",
        json={"assisting_unit": "贵阳市税务局"}, headers=provider,
    )  # fmt: skip
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "assistance_too_late"
    shown = client.get(f"/api/v1/objections/{objection.id}", headers=provider).json()
    assert (shown["status"], shown["due"], shown["overdue"]) == ("received", "2026-09-28", True)


def test_the_subject_files_an_omission_from_its_page(client: TestClient, world: World) -> None:
    import re

    client.headers.update({"Accept": "text/html"})
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    r = client.post(
        "/login",
        data={"username": "subject501", "password": PASSWORD, "csrf_token": token.group(1),
              "next": "/"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    mine = client.get("/me/objections", params={"lang": "en"})
    assert 'action="/me/objections/other"' in mine.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', mine.text)
    assert token
    form = {"csrf_token": token.group(1), "kind": "omission", "item": "", "channel": "",
            "reason": "有一项行政许可未记录"}  # fmt: skip
    refused = client.post("/me/objections/other", data=form)
    assert refused.status_code == 422
    filed = client.post(
        "/me/objections/other", data={**form, "item": "admin_licensing"}, follow_redirects=False
    )
    assert filed.status_code == 303
    detail = client.get(filed.headers["location"], params={"lang": "en"})
    assert "Omission" in detail.text
    assert "Administrative licensing" in detail.text  # the item by its name, not its code
    assert "Under objection" not in detail.text
