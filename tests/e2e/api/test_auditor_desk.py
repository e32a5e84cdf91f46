"""The security auditor's desk over HTTP (PLT-1, PLT-2, DESIGN §6): the audit log with filters,
an entry with its inclusion proof, checkpoints, "verify now" — pages and API."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD, make_org, make_user
from xinyong.core.actor import Role
from xinyong.core.clock import Clock

HTML = {"Accept": "text/html"}


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> FastAPI:
    make_org(db, at=clock.now(), code="GZ-SCO", kind="office", name="贵州省社会信用办公室")
    make_user(db, at=clock.now(), role=Role.SYSADMIN, username="admin1", org_code="GZ-SCO")
    make_user(db, at=clock.now(), role=Role.AUDITOR, username="auditor1", org_code="GZ-SCO")
    make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1", org_code="GZ-SCO")
    return app


def token(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def log_in(client: TestClient, username: str) -> str:
    page = client.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    r = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return r.headers["location"]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_the_auditor_lands_on_the_log_and_filters_it(world: FastAPI, client: TestClient) -> None:
    client.headers.update(HTML)
    assert log_in(client, "auditor1") == "/audit"
    page = client.get("/audit")
    assert page.status_code == 200
    assert "accounts:user:create" in page.text
    assert "审计日志" in page.text
    only_users = client.get("/audit", params={"tag": "accounts:user:create"})
    seqs = re.findall(r'data-seq="(\d+)"', only_users.text)
    assert len(seqs) == 3  # the three accounts
    assert seqs == sorted(seqs, key=int, reverse=True)  # newest first
    oldest = client.get("/audit", params={"tag": "accounts:user:create", "order": "asc"})
    assert re.findall(r'data-seq="(\d+)"', oldest.text) == sorted(seqs, key=int)
    defaults = client.get(
        "/audit", params={"tag": "", "actor": "", "role": "", "object": "", "from": "", "to": ""}
    )
    assert defaults.status_code == 200
    by_day = client.get("/audit", params={"from": "2026-10-01"})
    assert 'class="empty"' in by_day.text
    bad = client.get("/audit", params={"from": "30/09/2026"})
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    assert "<form" in bad.text
    rows = list(csv.reader(io.StringIO(client.get("/audit/entries.csv").text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["seq", "at", "actor_name"]
    assert len(rows) > 3


def test_an_entry_shows_its_inclusion_proof(world: FastAPI, client: TestClient) -> None:
    client.headers.update(HTML)
    log_in(client, "auditor1")
    page = client.get("/audit/entries/0")
    assert page.status_code == 200
    assert "包含性证明" in page.text
    assert client.get("/audit/entries/99999").status_code == 404


def test_sign_a_checkpoint_and_verify_now(world: FastAPI, client: TestClient) -> None:
    client.headers.update(HTML)
    log_in(client, "auditor1")
    page = client.get("/audit/checkpoints")
    assert page.status_code == 200
    assert 'class="empty"' in page.text
    csrf = csrf_of(page.text)
    signed = client.post("/audit/checkpoints", data={"csrf_token": csrf})
    assert signed.status_code == 200
    assert "data-size=" in signed.text
    result = client.post("/audit/verify", data={"csrf_token": csrf})
    assert result.status_code == 200
    assert 'data-verified="ok"' in result.text
    assert "审计日志完好" in result.text
    proof = client.get("/audit/checkpoints", params={"first": "1", "second": "3"})
    assert proof.status_code == 200
    assert "一致性证明" in proof.text
    wrong = client.get("/audit/checkpoints", params={"first": "9", "second": "x"})
    assert wrong.status_code == 422
    assert 'role="alert"' in wrong.text


def test_the_api_lists_checkpoints_and_verifies(world: FastAPI, client: TestClient) -> None:
    auditor = token(client, "auditor1")
    assert client.get("/api/v1/audit/checkpoints", headers=auditor).json() == {"items": []}
    client.post("/api/v1/audit/checkpoint", headers=auditor)
    listed = client.get("/api/v1/audit/checkpoints", headers=auditor).json()["items"]
    assert len(listed) == 1
    r = client.post("/api/v1/audit/verification", headers=auditor)
    assert r.status_code == 200, r.text
    assert r.json()["ok"] is True
    assert r.json()["entries"] >= listed[0]["size"]
    entries = client.get("/api/v1/audit/entries", headers=auditor).json()["entries"]
    assert any(e["tag"] == "audit:log:verify" for e in entries)
    office = token(client, "office1")
    assert client.post("/api/v1/audit/verification", headers=office).status_code == 403


def test_others_may_not_open_the_auditor_desk(world: FastAPI, client: TestClient) -> None:
    client.headers.update(HTML)
    log_in(client, "admin1")
    assert client.get("/audit").status_code == 403
    assert client.get("/audit/checkpoints").status_code == 403
