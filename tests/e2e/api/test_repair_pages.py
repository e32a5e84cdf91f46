"""The credit repair pages over HTTP (RGT-5; DESIGN §6): a subject applies from a record with
a proof file and follows it; the provider sees it by due date and decides behind a
confirmation."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
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
from tests.support.web import csrf_of, log_in
from xinyong.core.clock import Clock
from xinyong.web.ui import repair as repair_ui

HTML = {"Accept": "text/html"}


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock, client: TestClient) -> RepairWorld:
    if not any(getattr(r, "path", "") == "/me/repairs" for r in app.routes):
        app.include_router(repair_ui.router)  # until listed in web.app.UI_MODULES
    client.headers.update(HTML)
    return make_repair_world(db, at=clock.now())


def test_subject_applies_and_provider_decides(client: TestClient, world: RepairWorld) -> None:
    log_in(client, "subject701", fresh=True)
    page = client.get("/me/repairs")
    assert page.status_code == 200, page.text
    assert f"/me/repairs/new?record_id={world.general_id}" in page.text
    assert "2027-03-15" in page.text  # the serious record: from when it may be repaired
    form = client.get(f"/me/repairs/new?record_id={world.general_id}")
    assert form.status_code == 200
    assert "本主体承诺" in form.text  # the standard commitment, prefilled
    r = client.post(
        "/me/repairs",
        data={
            "csrf_token": csrf_of(form.text),
            "record_id": str(world.general_id),
            "statement": "罚款已缴清",
            "evidence_notes": "整改报告已报送\nhttps://example.org/r/1",
            "commitment": "我单位承诺诚信经营",
            "obligations": "1",
        },
        files=[("files", ("缴款书.pdf", b"%PDF receipt", "application/pdf"))],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    detail = client.get(r.headers["location"])
    assert detail.status_code == 200
    assert "2026-10-13" in detail.text
    assert "缴款书.pdf" in detail.text
    repair_id = int(r.headers["location"].rsplit("/", 1)[1])

    log_in(client, "sjj_repair", fresh=True)
    listed = client.get("/provider/repairs")
    assert f'data-repair-id="{repair_id}"' in listed.text
    page = client.get(f"/provider/repairs/{repair_id}")
    token = csrf_of(page.text)
    decision = {"csrf_token": token, "outcome": "repaired", "reason": "已缴清罚款"}
    confirm = client.post(f"/provider/repairs/{repair_id}/decision", data=decision)
    assert confirm.status_code == 200
    assert 'name="confirm" value="1"' in confirm.text
    assert client.get(f"/provider/repairs/{repair_id}").text.count('data-status="received"') == 1
    done = client.post(
        f"/provider/repairs/{repair_id}/decision",
        data=decision | {"confirm": "1"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert 'data-status="repaired"' in client.get(f"/provider/repairs/{repair_id}").text


def test_ineligible_record_shows_why_and_no_form(client: TestClient, world: RepairWorld) -> None:
    log_in(client, "subject701", fresh=True)
    page = client.get(f"/me/repairs/new?record_id={world.serious_id}")
    assert page.status_code == 200
    assert "最早 2027-03-15" in page.text
    assert 'action="/me/repairs"' not in page.text


def test_missing_obligations_redisplays_the_form(client: TestClient, world: RepairWorld) -> None:
    log_in(client, "subject701", fresh=True)
    form = client.get(f"/me/repairs/new?record_id={world.general_id}")
    r = client.post(
        "/me/repairs",
        data={"csrf_token": csrf_of(form.text), "record_id": str(world.general_id),
              "statement": "已整改", "commitment": "承诺"},
    )  # fmt: skip
    assert r.status_code == 422
    assert "须先履行法定义务" in r.text
    assert "已整改" in r.text


def test_pages_are_gated(client: TestClient, world: RepairWorld) -> None:
    r = client.get("/me/repairs", follow_redirects=False)
    assert r.status_code == 303
    log_in(client, "sjj_repair", fresh=True)
    assert client.get("/me/repairs").status_code == 403
    log_in(client, "subject701", fresh=True)
    assert client.get("/provider/repairs").status_code == 403
