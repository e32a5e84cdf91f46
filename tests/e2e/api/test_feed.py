"""``/api/v1/changes``, ``/webhooks`` and ``/records/export.csv`` over HTTP (COL-4)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.e2e.api.test_supervision import login, mount_first
from tests.factories.accounts import actor_of, make_org, make_user
from tests.integration.feed.helpers import deliver
from tests.integration.feed.receiver import receiver
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import Clock
from xinyong.feed.dispatcher import deliver_due, http_send
from xinyong.web.api import feed as feed_api


@pytest.fixture
def api(app: FastAPI, db: Session, clock: Clock) -> dict[str, Actor]:
    from xinyong.web.api import records as records_api

    mount_first(app, records_api.router, "/api/v1")
    mount_first(app, feed_api.router, "/api/v1")  # ahead of /records/{record_id}
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_org(db, at=clock.now(), code="GY-SWJ", kind="provider", name="贵阳市税务局")
    actors = {
        "sjj": make_user(db, at=clock.now(), role=Role.PROVIDER, username="sjj", org_code="GY-SJJ"),
        "swj": make_user(db, at=clock.now(), role=Role.PROVIDER, username="swj", org_code="GY-SWJ"),
        "office1": make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1"),
        "organ": make_user(
            db, at=clock.now(), role=Role.INQUIRER, username="organ", items=["admin_licensing"]
        ),
    }
    return {name: actor_of(user) for name, user in actors.items()}


def test_feed_pages_with_cursor_and_refuses_a_bad_one(
    api: dict[str, Actor], client: TestClient, db: Session, clock: Clock
) -> None:
    first = deliver(db, api["sjj"], "101", clock.now())
    second = deliver(db, api["swj"], "102", clock.now())
    office = login(client, "office1")

    r = client.get("/api/v1/changes?limit=1", headers=office)
    assert r.status_code == 200, r.text
    page = r.json()
    assert [c["record_id"] for c in page["changes"]] == [first.id]
    r = client.get("/api/v1/changes", params={"after": page["next"], "limit": 1}, headers=office)
    assert [c["record_id"] for c in r.json()["changes"]] == [second.id]
    last = r.json()["next"]
    r = client.get("/api/v1/changes", params={"after": last}, headers=office)
    assert r.json() == {"changes": [], "next": last}

    bad = client.get("/api/v1/changes?after=not-a-cursor", headers=office)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_cursor"
    assert client.get("/api/v1/changes?limit=0", headers=office).status_code == 422
    assert client.get("/api/v1/changes?limit=1001", headers=office).status_code == 422

    own = client.get("/api/v1/changes", headers=login(client, "swj")).json()["changes"]
    assert [c["record_id"] for c in own] == [second.id]
    organ = client.get("/api/v1/changes", headers=login(client, "organ")).json()["changes"]
    assert organ == []  # its authority covers licensing only
    assert client.get("/api/v1/changes").status_code == 401


def test_webhook_subscription_and_delivery_log(
    api: dict[str, Actor],
    client: TestClient,
    db: Session,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sjj = login(client, "sjj")
    secret = "a-secret-of-the-subscriber"
    with receiver(secret) as endpoint:
        # Loopback is refused until the operator allows it (request forgery, feed/egress.py).
        refused = client.post(
            "/api/v1/webhooks", json={"url": endpoint.url, "secret": secret}, headers=sjj
        )
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "webhook_destination_refused"
        assert client.get("/api/v1/webhooks", headers=sjj).json()["items"] == []
        monkeypatch.setenv("XINYONG_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8")
        r = client.post(
            "/api/v1/webhooks", json={"url": endpoint.url, "secret": secret}, headers=sjj
        )
        assert r.status_code == 201, r.text
        sub = r.json()
        assert sub["secret"] == secret
        listed = client.get("/api/v1/webhooks", headers=sjj).json()["items"]
        assert [s["id"] for s in listed] == [sub["id"]]
        assert "secret" not in listed[0]

        record = deliver(db, api["sjj"], "201", clock.now())
        deliver_due(db, at=clock.now(), send=http_send)
        (got,) = endpoint.received
        assert got["valid"]
        assert got["payload"]["change"]["record_id"] == record.id

    log = client.get(f"/api/v1/webhooks/{sub['id']}/deliveries", headers=sjj)
    assert log.status_code == 200
    assert [d["status"] for d in log.json()["items"]] == ["delivered"]
    other = client.get(f"/api/v1/webhooks/{sub['id']}/deliveries", headers=login(client, "swj"))
    assert other.status_code == 404

    bad = client.post("/api/v1/webhooks", json={"url": "ftp://x"}, headers=sjj)
    assert bad.status_code == 422
    generated = client.post("/api/v1/webhooks", json={"url": "https://h.example/x"}, headers=sjj)
    assert len(generated.json()["secret"]) == 64


def test_export_csv_streams_the_current_records(
    api: dict[str, Actor], client: TestClient, db: Session, clock: Clock
) -> None:
    deliver(db, api["sjj"], "301", clock.now())
    deliver(db, api["swj"], "302", clock.now())
    office = login(client, "office1")

    r = client.get("/api/v1/records/export.csv?item=admin_penalty", headers=office)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["source_id", "XDR_MC"]
    assert sorted(row[0] for row in rows[1:]) == ["301", "302"]

    zh = client.get("/api/v1/records/export.csv?item=admin_penalty&headers=zh", headers=office)
    assert zh.text.lstrip("\ufeff").startswith("来源编号,行政相对人名称")

    own = client.get("/api/v1/records/export.csv?item=admin_penalty", headers=login(client, "sjj"))
    assert len(own.text.strip().splitlines()) == 2
    assert client.get("/api/v1/records/export.csv?item=nope", headers=office).status_code == 422
    assert client.get("/api/v1/records/export.csv?item=admin_penalty").status_code == 401
    organ = client.get(
        "/api/v1/records/export.csv?item=admin_penalty", headers=login(client, "organ")
    )
    assert organ.status_code == 403
