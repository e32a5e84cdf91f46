"""Watching subjects (关注) over HTTP: an inquirer watches a subject and a new record of it
reaches its inbox; an institution without consent cannot watch; the subject sees who watches."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD, make_org, make_user
from tests.factories.disclosure import penalty_fields
from tests.factories.repair import COMPANY, RepairWorld, make_repair_world
from xinyong.core.actor import Role
from xinyong.core.clock import Clock


@pytest.fixture
def world(db: Session, clock: Clock) -> RepairWorld:
    at = clock.now()
    made = make_repair_world(db, at=at, seq=751)
    make_org(db, at=at, code="GY-ZJJ", kind="organ", name="贵阳市住房和城乡建设局")
    make_user(db, at=at, role=Role.INQUIRER, username="zjj_watch", org_code="GY-ZJJ")
    make_org(db, at=at, code="GZ-CSI-W", kind="institution", name="黔信示例")
    make_user(db, at=at, role=Role.INSTITUTION, username="csi_watch", org_code="GZ-CSI-W")
    db.commit()
    return made


def login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_a_watcher_is_notified_of_a_new_record_of_its_watched_subject(
    client: TestClient, world: RepairWorld
) -> None:
    inquirer = login(client, "zjj_watch")
    r = client.post("/api/v1/watches", json={"subject": world.code}, headers=inquirer)
    assert r.status_code == 201, r.text
    watch_id = r.json()["id"]
    assert r.json()["subject"] == world.code
    again = client.post("/api/v1/watches", json={"subject": world.code}, headers=inquirer)
    assert again.status_code == 409
    listed = client.get("/api/v1/watches", headers=inquirer).json()["items"]
    assert [w["id"] for w in listed] == [watch_id]

    fields = penalty_fields(
        person=False, name=COMPANY, code=world.code, decided_on=date(2026, 9, 25),
        doc="筑市监罚〔2026〕751-30号",
    )  # fmt: skip
    body = {
        "item": "admin_penalty", "source_id": "cf-751-30", "severity": "general",
        "subject": {"type": "legal_person", "id": world.code, "name": COMPANY},
        "fields": fields, "decided_on": "2026-09-25",
    }  # fmt: skip
    delivered = client.post("/api/v1/records", json=body, headers=login(client, "sjj_repair"))
    assert delivered.status_code == 201, delivered.text
    record_id = delivered.json()["id"]

    inbox = client.get("/api/v1/me/inbox", headers=inquirer).json()["items"]
    changes = [i for i in inbox if i["kind"] == "watch_change"]
    assert record_id in {i["record_id"] for i in changes}
    assert {i["subject"] for i in changes} == {world.code}

    watchers = client.get("/api/v1/me/watchers", headers=login(client, "subject751"))
    assert watchers.status_code == 200
    assert [w["organisation"] for w in watchers.json()["items"]] == ["贵阳市住房和城乡建设局"]

    assert client.delete(f"/api/v1/watches/{watch_id}", headers=inquirer).status_code == 204
    assert client.get("/api/v1/watches", headers=inquirer).json()["items"] == []


def test_an_institution_without_consent_cannot_watch(
    client: TestClient, world: RepairWorld
) -> None:
    r = client.post(
        "/api/v1/watches", json={"subject": world.code}, headers=login(client, "csi_watch")
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "no_consent"
    subject = client.post(
        "/api/v1/watches", json={"subject": world.code}, headers=login(client, "subject751")
    )
    assert subject.status_code == 403
    unknown = client.post(
        "/api/v1/watches", json={"subject": "nope"}, headers=login(client, "zjj_watch")
    )
    assert unknown.status_code == 404
