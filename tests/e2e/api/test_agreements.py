"""``/agreements`` and the credit office's agreement page over HTTP (Art. 14, 16; COL-2)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD, make_org, make_user
from tests.support.web import csrf_of, log_in
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import Clock

BODY = {
    "org": "XY-INST",
    "items": ["credit_evaluation"],
    "valid_from": "2026-01-01",
    "valid_until": "2026-12-31",
    "basis": "黔信协〔2026〕1号",
}


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> FastAPI:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="XY-INST", kind="institution", name="贵州某信用评价有限公司")
    make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1")
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="prov1")
    return app


def token(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_office_records_and_lists_agreements(world: FastAPI, client: TestClient) -> None:
    office = token(client, "office1")
    r = client.post("/api/v1/agreements", json=BODY, headers=office)
    assert r.status_code == 201, r.text
    made = r.json()
    assert {k: made[k] for k in BODY} == BODY
    assert made["org_name"] == "贵州某信用评价有限公司"
    assert made["in_force"] is True
    listed = client.get("/api/v1/agreements", headers=office).json()["items"]
    assert [a["id"] for a in listed] == [made["id"]]
    again = client.post("/api/v1/agreements", json=BODY, headers=office)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "agreement_exists"


def test_a_public_item_answers_422_item_not_agreeable(world: FastAPI, client: TestClient) -> None:
    office = token(client, "office1")
    body = {**BODY, "items": ["credit_evaluation", "judgment_default"]}
    r = client.post("/api/v1/agreements", json=body, headers=office)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "item_not_agreeable"
    assert error["details"][0]["item"] == "judgment_default"
    assert client.get("/api/v1/agreements", headers=office).json()["items"] == []


def test_bad_input_and_other_roles(world: FastAPI, client: TestClient) -> None:
    office = token(client, "office1")
    no_basis = {k: v for k, v in BODY.items() if k != "basis"}
    bad = [{**BODY, "items": []}, {**BODY, "valid_from": "2026-02-30"}, no_basis]
    for body in [*bad, {**BODY, "org": "\x00"}, {**BODY, "items": ["a\x00"]}]:
        r = client.post("/api/v1/agreements", json=body, headers=office)
        assert r.status_code in (404, 422), (body, r.text)
    assert (
        client.post("/api/v1/agreements", json={**BODY, "org": "NOPE"}, headers=office).status_code
        == 404
    )
    assert client.get("/api/v1/agreements").status_code == 401
    assert client.get("/api/v1/agreements", headers=token(client, "prov1")).status_code == 403
    r = client.post("/api/v1/agreements", json=BODY, headers=token(client, "prov1"))
    assert r.status_code == 403


def test_the_page_lists_adds_with_confirmation_and_exports(
    world: FastAPI, client: TestClient
) -> None:
    client.headers.update({"Accept": "text/html"})
    assert client.get("/office/agreements", follow_redirects=False).status_code == 303
    log_in(client, "office1")
    page = client.get("/office/agreements", params={"lang": "en"})
    assert page.status_code == 200
    assert "No delivery agreement yet" in page.text
    assert "尚无报送协议" in client.get("/office/agreements", params={"lang": "zh"}).text
    form = {"org": "XY-INST", "items": "credit_evaluation", "valid_from": "2026-01-01",
            "valid_until": "", "basis": "黔信协〔2026〕2号"}  # fmt: skip
    tok = csrf_of(page.text)
    refused = client.post("/office/agreements", data={**form, "items": "admin_penalty",
                                                      "csrf_token": tok})  # fmt: skip
    assert refused.status_code == 422
    assert "admin_penalty" in refused.text
    confirm = client.post("/office/agreements", data={**form, "csrf_token": tok})
    assert confirm.status_code == 200
    assert 'name="confirm" value="1"' in confirm.text
    assert 'data-agreement="' not in client.get("/office/agreements").text  # not yet
    confirmed = {**form, "csrf_token": csrf_of(confirm.text), "confirm": "1"}
    done = client.post("/office/agreements", data=confirmed, follow_redirects=False)
    assert done.status_code == 303
    listed = client.get("/office/agreements", params={"sort": "basis", "order": "asc"}).text
    assert len(re.findall(r'data-agreement="\d+"', listed)) == 1
    assert "黔信协〔2026〕2号" in listed
    export = client.get("/office/agreements.csv")
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert [(r["org"], r["items"], r["valid_until"]) for r in rows] == [
        ("XY-INST", "credit_evaluation", "")
    ]
    log_in(client, "prov1")
    assert client.get("/office/agreements").status_code == 403
