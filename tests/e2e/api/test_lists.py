"""``/lists`` and ``/red-list`` over HTTP (Art. 22, 25–27, 29, 36; LST-1…4, MEA-4)."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.documents.models
import xinyong.feed.models
import xinyong.lists.models
import xinyong.records.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import make_org, make_user
from tests.factories.disclosure import uscc
from tests.factories.lists import OFFICE_USCC, REPRESENTATIVE, ListWorld, make_list_world
from tests.support.web import login
from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.web.api import lists as lists_api


def mount_first(app: FastAPI, router: APIRouter, prefix: str = "") -> None:
    """Put a router's routes ahead of the others (until the module is listed in the app)."""
    mine = {getattr(r, "endpoint", None) for r in router.routes}
    if any(getattr(r, "endpoint", None) in mine for r in app.routes):
        return
    holder = APIRouter()
    holder.include_router(router, prefix=prefix)
    app.router.routes[0:0] = holder.routes


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> ListWorld:
    mount_first(app, lists_api.router, "/api/v1")
    return make_list_world(db, at=clock.now(), seq=621)


PROPOSAL = {
    "ground": "refusing_legal_obligations",
    "legal_basis": "《中华人民共和国行政处罚法》第七十二条",
    "facts": "拒不履行已生效的行政处罚决定。",
}


def test_procedure_from_proposal_to_publication(client: TestClient, world: ListWorld) -> None:
    organ, office, subject = (login(client, u) for u in ("yjj621", "xyb621", "company621"))
    r = client.post("/api/v1/lists/procedures", json={**PROPOSAL, "subject": world.company_code},
                    headers=organ)  # fmt: skip
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert r.json()["legal_representative"]["name"] == REPRESENTATIVE
    base = f"/api/v1/lists/procedures/{pid}"

    early = client.post(f"{base}/decision", headers=office, json={
        "reasons": "r", "measures": "m", "deciding_org_uscc": OFFICE_USCC})  # fmt: skip
    assert early.status_code == 409, early.text
    assert early.json()["error"]["code"] == "illegal_transition"

    r = client.post(f"{base}/notice", headers=office, json={"reason": "依法告知"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "statement_period"
    assert r.json()["statement_due_on"] == "2026-10-13"

    r = client.post(f"{base}/statements", headers=subject, json={"kind": "waiver", "text": "放弃"})
    assert r.status_code == 200, r.text
    decision = {
        "reasons": "事实清楚",
        "measures": "限制参与政府采购",
        "deciding_org_uscc": OFFICE_USCC,
    }
    r = client.post(f"{base}/decision", headers=office, json=decision)
    assert r.status_code == 200, r.text
    r = client.post(f"{base}/service", headers=office, json={"method": "platform"})
    assert r.json()["state"] == "served"
    r = client.post(f"{base}/publication", headers=office)
    assert r.status_code == 200, r.text
    entry = r.json()["entry"]
    assert entry["period_end_on"] == "2029-09-30"

    listed = client.get("/api/v1/lists/entries", params={"subject": world.company_code})
    assert [e["id"] for e in listed.json()["items"]] == [entry["id"]]
    mine = client.get("/api/v1/me/lists", headers=subject).json()
    assert [p["id"] for p in mine["procedures"]] == [pid]
    assert [s["to_state"] for s in mine["procedures"][0]["steps"]][-1] == "published"

    r = client.post(f"/api/v1/lists/entries/{entry['id']}/removal", headers=office,
                    json={"reason": "信用修复完成"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "removed"
    public = client.get("/api/v1/lists/entries", params={"subject": world.company_code})
    assert public.json()["items"] == []


def test_bad_input_and_refusals(client: TestClient, world: ListWorld) -> None:
    organ, subject = login(client, "yjj621"), login(client, "company621")
    wrong = {**PROPOSAL, "subject": world.company_code, "ground": "rumours"}
    bad = client.post("/api/v1/lists/procedures", headers=organ, json=wrong)
    assert bad.status_code == 422
    assert "error" in bad.json()
    unknown = client.post("/api/v1/lists/procedures", headers=organ,
                          json={**PROPOSAL, "subject": "91520000214434146R"})  # fmt: skip
    assert unknown.status_code in (400, 422)
    assert unknown.json()["error"]["code"] == "unknown_subject"
    refused = client.post("/api/v1/lists/procedures", headers=subject,
                          json={**PROPOSAL, "subject": world.company_code})  # fmt: skip
    assert refused.status_code == 403
    anonymous = client.post("/api/v1/lists/procedures", json={**PROPOSAL, "subject": "x"})
    assert anonymous.status_code == 401
    assert client.get("/api/v1/lists/procedures/999999", headers=organ).status_code == 404


def test_red_list(client: TestClient, world: ListWorld) -> None:
    office = login(client, "xyb621")
    body = {"subject": world.company_code, "title": "诚信示范企业", "basis": "《守信激励办法》",
            "reason": "无失信记录"}  # fmt: skip
    # The adopting organ is the account's organisation (issue 11 item 8): naming another is
    # refused; naming none, or its own, is accepted.
    other = client.post("/api/v1/red-list", headers=office,
                        json={**body, "adopted_by_uscc": "91520000214434146R"})  # fmt: skip
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "deciding_org_not_own"
    r = client.post("/api/v1/red-list", headers=office, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["in_force"] is True
    assert r.json()["adopted_by"] == "贵州省社会信用工作主管部门"
    public = client.get("/api/v1/red-list").json()["items"]
    assert [e["subject"]["code"] for e in public] == [world.company_code]
    organ = login(client, "yjj621")
    assert client.post("/api/v1/red-list", headers=organ, json=body).status_code == 403


def test_subject_and_public_pages(client: TestClient, world: ListWorld, app: FastAPI) -> None:
    from xinyong.web.ui import lists as lists_ui

    mount_first(app, lists_ui.router)
    organ = login(client, "yjj621")
    r = client.post("/api/v1/lists/procedures", json={**PROPOSAL, "subject": world.company_code},
                    headers=organ)  # fmt: skip
    assert r.status_code == 201
    mine = client.get("/me/lists", headers=login(client, "company621"))
    assert mine.status_code == 200
    assert f'data-procedure="{r.json()["id"]}"' in mine.text
    assert client.get("/red-list").status_code == 200
    assert client.get("/lists", headers=organ).status_code == 200


def test_the_deciding_organ_decides_over_http(
    client: TestClient, world: ListWorld, db: Session, clock: Clock
) -> None:
    """Issue 11 item 8 (Art. 25, 26): an organ without the authority is refused 403
    ``not_the_deciding_organ``; once the credit office registers it as a listing department
    (a collection source of ``serious_dishonesty``) it decides what it proposed — the credit
    office then may not — and the decision names it."""
    make_org(db, at=clock.now(), code="GZ-SCJG-621", kind="organ", name="贵州省市场监督管理局",
             uscc=uscc(9, "520000"))  # fmt: skip
    make_user(db, at=clock.now(), role=Role.INQUIRER, username="scjg621", org_code="GZ-SCJG-621")
    dept, office, subject = (login(client, u) for u in ("scjg621", "xyb621", "company621"))
    r = client.post("/api/v1/lists/procedures", json={**PROPOSAL, "subject": world.company_code},
                    headers=dept)  # fmt: skip
    base = f"/api/v1/lists/procedures/{r.json()['id']}"
    client.post(f"{base}/notice", headers=office, json={"reason": "依法告知"})
    client.post(f"{base}/statements", headers=subject, json={"kind": "waiver", "text": "放弃"})
    decision = {"reasons": "事实清楚", "measures": "限制参与政府采购"}
    refused = client.post(f"{base}/decision", headers=dept, json=decision)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "not_the_deciding_organ"

    r = client.post("/api/v1/catalogue/items/serious_dishonesty/sources", headers=office,
                    json={"org": "GZ-SCJG-621"})  # fmt: skip
    assert r.status_code == 201, r.text
    office_refused = client.post(f"{base}/decision", headers=office, json=decision)
    assert office_refused.status_code == 403
    assert office_refused.json()["error"]["code"] == "not_the_deciding_organ"
    r = client.post(f"{base}/decision", headers=dept, json=decision)
    assert r.status_code == 200, r.text
    assert r.json()["deciding_org"] == "贵州省市场监督管理局"
