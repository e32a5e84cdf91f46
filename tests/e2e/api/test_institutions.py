"""The register of credit service institutions over HTTP (Art. 37, 38; CSI-1, CSI-2): roles,
clear 4xx on bad input, the authorized-inquiry refusal of an unfiled or suspended institution in
the inquiry log, the office's pages with a confirmation before a change of status."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD, make_org, make_user
from tests.factories.disclosure import uscc
from tests.factories.inquiry import World, seed
from tests.support.web import csrf_of, login
from xinyong.core.actor import Role
from xinyong.core.clock import Clock

HTML = {"Accept": "text/html"}


def error_of(r: object, status: int) -> str:
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert set(body["error"]) == {"code", "message", "details"}
    return str(body["error"]["code"])


@pytest.fixture
def office(db: Session, clock: Clock, client: TestClient) -> dict[str, str]:
    make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1")
    make_org(
        db, at=clock.now(), code="CSI-NEW", kind="institution", name="新设信用服务公司", filed=False
    )
    make_user(db, at=clock.now(), role=Role.INSTITUTION, username="inst_new", org_code="CSI-NEW")
    return login(client, "office1")


BODY = {
    "org": "CSI-NEW",
    "uscc": uscc(601),
    "name": "新设信用服务有限公司",
    "legal_representative": "孙信",
    "registered_address": "贵阳市南明区 8 号",
    "services": ["credit_investigation"],
    "contact": "0851-0000 1111",
}


def test_the_office_files_and_everyone_reads_the_register(
    client: TestClient, office: dict[str, str]
) -> None:
    assert client.get("/api/v1/institutions").json()["total"] == 0
    r = client.post("/api/v1/institutions", json=BODY, headers=office)
    assert r.status_code == 201, r.text
    filing = r.json()
    assert filing["status"] == "active"
    assert filing["filing_number"].startswith("XYFW-2026-")
    assert filing["history"][0]["to_status"] == "active"
    listed = client.get("/api/v1/institutions", params={"status": "active"}).json()
    assert [f["name"] for f in listed["items"]] == [BODY["name"]]
    assert "contact" not in listed["items"][0]
    public = client.get(f"/api/v1/institutions/{filing['id']}").json()
    assert "contact" not in public
    assert public["status"] == "active"
    own = client.get(f"/api/v1/institutions/{filing['id']}", headers=login(client, "inst_new"))
    assert own.json()["contact"] == BODY["contact"]
    r = client.get("/api/v1/institutions.csv", headers=office)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows[0]["uscc"] == BODY["uscc"]
    assert rows[0]["contact"] == BODY["contact"]


def test_roles_and_bad_input_get_clear_errors(client: TestClient, office: dict[str, str]) -> None:
    assert error_of(client.post("/api/v1/institutions", json=BODY), 401) == "not_authenticated"
    inst = login(client, "inst_new")
    assert (
        error_of(client.post("/api/v1/institutions", json=BODY, headers=inst), 403) == "forbidden"
    )
    assert error_of(client.get("/api/v1/institutions.csv", headers=inst), 403) == "forbidden"
    bad_uscc = {**BODY, "uscc": "91520100MA6J7XY0X"}
    assert error_of(client.post("/api/v1/institutions", json=bad_uscc, headers=office), 422) == (
        "invalid_uscc"
    )
    no_services = {**BODY, "services": []}
    assert error_of(client.post("/api/v1/institutions", json=no_services, headers=office), 422) == (
        "invalid_input"
    )
    unknown = {**BODY, "services": ["fortune_telling"]}
    assert error_of(client.post("/api/v1/institutions", json=unknown, headers=office), 422) == (
        "invalid_input"
    )
    assert error_of(client.get("/api/v1/institutions", params={"status": "x"}), 422) == (
        "unknown_status"
    )
    assert error_of(client.get("/api/v1/institutions/999"), 404) == "institution_not_found"
    assert error_of(client.get("/api/v1/institutions/abc"), 422) == "invalid_input"
    filing = client.post("/api/v1/institutions", json=BODY, headers=office).json()
    assert error_of(client.post("/api/v1/institutions", json=BODY, headers=office), 409) == (
        "institution_already_filed"
    )
    status = f"/api/v1/institutions/{filing['id']}/status"
    assert error_of(client.post(status, json={"status": "suspended"}, headers=office), 422) == (
        "invalid_input"
    )
    assert (
        error_of(client.post(status, json={"status": "gone", "reason": "x"}, headers=office), 422)
        == "invalid_input"
    )
    assert (
        error_of(
            client.post(status, json={"status": "suspended", "reason": "x"}, headers=inst), 403
        )
        == "forbidden"
    )
    r = client.post(status, json={"status": "revoked", "reason": "违法违规"}, headers=office)
    assert r.status_code == 200
    assert r.json()["status"] == "revoked"
    assert (
        error_of(client.post(status, json={"status": "active", "reason": "x"}, headers=office), 422)
        == "illegal_status_transition"
    )
    sup = f"/api/v1/institutions/{filing['id']}/supervision"
    record = {
        "supervised_on": "2026-09-29",
        "kind": "onsite_inspection",
        "findings": "无",
        "conducted_by": "检查组",
    }
    assert error_of(client.post(sup, json=record, headers=inst), 403) == "forbidden"
    assert error_of(client.get(sup), 401) == "not_authenticated"
    assert error_of(client.post(sup, json={**record, "kind": "raid"}, headers=office), 422) == (
        "invalid_input"
    )
    assert client.post(sup, json=record, headers=office).status_code == 201
    assert [s["kind"] for s in client.get(sup, headers=office).json()["items"]] == [
        "onsite_inspection"
    ]


def test_an_unfiled_or_suspended_institution_is_refused_and_the_refusal_is_logged(
    client: TestClient, db: Session, clock: Clock
) -> None:
    world: World = seed(db, clock.now())
    make_org(db, at=clock.now(), code="q-UNFILED", kind="institution", filed=False)
    make_user(db, at=clock.now(), role=Role.INSTITUTION, username="q_unfiled", org_code="q-UNFILED")
    subject = login(client, "q_company")
    expires = (clock.now() + timedelta(days=30)).isoformat()
    for grantee in (world.institution_org, "q-UNFILED"):
        r = client.post(
            "/api/v1/consents",
            headers=subject,
            json={
                "grantee": grantee,
                "items": ["admin_penalty"],
                "purpose": "financial_support",
                "expires_at": expires,
            },
        )
        assert r.status_code == 201, r.text
    ask = {"subject": world.code, "purpose": "financial_support"}
    unfiled = login(client, "q_unfiled")
    r = client.post("/api/v1/authorized-inquiries", json=ask, headers=unfiled)
    assert error_of(r, 403) == "institution_not_filed"
    filed = login(client, "q_xypg")
    assert client.post("/api/v1/authorized-inquiries", json=ask, headers=filed).status_code == 200
    office = login(client, "q_office")
    [filing] = [
        f
        for f in client.get("/api/v1/institutions").json()["items"]
        if f["org_code"] == world.institution_org
    ]
    r = client.post(
        f"/api/v1/institutions/{filing['id']}/status",
        headers=office,
        json={"status": "suspended", "reason": "未按规定保护个人信息"},
    )
    assert r.status_code == 200, r.text
    r = client.post("/api/v1/authorized-inquiries", json=ask, headers=filed)
    assert error_of(r, 403) == "institution_not_filed"
    assert "suspended" in r.json()["error"]["message"]
    log = client.get(
        "/api/v1/inquiries", params={"subject": world.code}, headers=login(client, "q_audit")
    ).json()["items"]
    refused = [
        (i["org_code"], i["outcome"], i["channel"])
        for i in log
        if i.get("refusal_code") == "institution_not_filed"
    ]
    assert sorted(refused) == [
        ("q-UNFILED", "refused", "authorized"),
        (world.institution_org, "refused", "authorized"),
    ]


def test_the_office_pages_file_confirm_a_suspension_and_record_supervision(
    client: TestClient, office: dict[str, str]
) -> None:
    client.headers.update(HTML)
    token = csrf_of(client.get("/login").text)
    client.post(
        "/login",
        data={"username": "office1", "password": PASSWORD, "csrf_token": token, "next": "/"},
    )
    page = client.get("/office/institutions")
    assert page.status_code == 200
    assert "新设信用服务公司" in page.text
    assert "信用服务机构" in page.text
    form = {
        **BODY,
        "csrf_token": csrf_of(page.text),
        "services": ["credit_rating", "credit_reports"],
    }
    r = client.post("/office/institutions", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    detail = client.get(r.headers["location"])
    assert "XYFW-2026-" in detail.text
    assert "信用评级" in detail.text
    path = r.headers["location"].split("?")[0]
    token = csrf_of(detail.text)
    empty = client.post(
        f"{path}/status", data={"status": "suspended", "reason": " ", "csrf_token": token}
    )
    assert empty.status_code == 422
    assert "请填写理由" in empty.text
    confirm = client.post(
        f"{path}/status", data={"status": "suspended", "reason": "责令整改", "csrf_token": token}
    )
    assert confirm.status_code == 200
    assert "确认变更备案状态" in confirm.text
    assert client.get("/api/v1/institutions", params={"status": "suspended"}).json()["total"] == 0
    done = client.post(
        f"{path}/status",
        data={"status": "suspended", "reason": "责令整改", "confirm": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert client.get("/api/v1/institutions", params={"status": "suspended"}).json()["total"] == 1
    r = client.post(
        f"{path}/supervision",
        follow_redirects=False,
        data={
            "supervised_on": "2026-09-29",
            "kind": "complaint_handled",
            "findings": "投诉属实",
            "measures": "约谈负责人",
            "conducted_by": "省信用办",
            "csrf_token": token,
        },
    )
    assert r.status_code == 303
    assert "投诉属实" in client.get(path).text
    public = client.get("/institutions")
    assert public.status_code == 200
    assert "已暂停" in public.text
    assert "新设信用服务有限公司" in public.text


def test_the_public_register_renders_in_english_and_chinese_and_refuses_the_office_page(
    client: TestClient,
) -> None:
    zh = client.get("/institutions", headers=HTML)
    assert zh.status_code == 200
    assert "信用服务机构名录" in zh.text
    assert "尚无备案机构" in zh.text
    en = client.get("/institutions?lang=en", headers=HTML)
    assert "Register of credit service institutions" in en.text
    r = client.get("/office/institutions", headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login")
