"""``/api/v1/audit`` over HTTP: auditors read entries and sign checkpoints, anyone reads the
latest checkpoint; checkpoints and proofs verify client-side."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from xinyong.audit import merkle
from xinyong.audit import service as audit
from xinyong.core.actor import ANONYMOUS, Actor, Role
from xinyong.core.clock import Clock
from xinyong.web.deps import get_actor

AUDITOR = Actor(role=Role.AUDITOR, user_id=1, username="aud", display_name="审计员")
SYSADMIN = Actor(role=Role.SYSADMIN, user_id=2, username="sys", display_name="管理员")
PROVIDER = Actor(role=Role.PROVIDER, user_id=3, display_name="张三", org_id=4, org_name="省税务局")


UseActor = Callable[[Actor], None]


def _b(s: str) -> bytes:
    return base64.b64decode(s)


@pytest.fixture
def as_actor(app: FastAPI) -> Iterator[UseActor]:
    def use(actor: Actor) -> None:
        app.dependency_overrides[get_actor] = lambda: actor

    yield use
    app.dependency_overrides.pop(get_actor, None)


@pytest.fixture
def logged(session_factory: sessionmaker[Session], clock: Clock) -> None:
    with session_factory() as s:
        for i in range(9):
            audit.record_event(
                s, actor=PROVIDER, tag="records:record:create", at=clock.now(), object_id=i
            )
        s.commit()


@pytest.mark.usefixtures("logged")
def test_auditors_sign_checkpoints_and_anyone_reads_them(
    client: TestClient, as_actor: UseActor
) -> None:
    as_actor(ANONYMOUS)
    r = client.get("/api/v1/audit/checkpoint")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "no_checkpoint"
    assert client.post("/api/v1/audit/checkpoint").status_code == 401
    as_actor(SYSADMIN)
    r = client.post("/api/v1/audit/checkpoint")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
    as_actor(AUDITOR)
    r = client.post("/api/v1/audit/checkpoint")
    assert r.status_code == 200
    cp = r.json()
    assert cp["size"] == 9
    key = Ed25519PublicKey.from_public_bytes(_b(cp["public_key"]))
    key.verify(_b(cp["signature"]), cp["body"].encode())  # raises if forged
    assert cp["body"].splitlines()[:3] == ["xinyong", "9", cp["root"]]
    # Published to anyone, so that copies exist where the database cannot reach.
    as_actor(ANONYMOUS)
    assert client.get("/api/v1/audit/checkpoint").json() == cp


@pytest.mark.usefixtures("logged")
def test_proofs_verify_against_the_checkpoint(client: TestClient, as_actor: UseActor) -> None:
    as_actor(AUDITOR)
    cp = client.post("/api/v1/audit/checkpoint").json()
    p = client.get("/api/v1/audit/proofs/inclusion", params={"seq": 4}).json()
    assert p["root"] == cp["root"]
    proof = [_b(x) for x in p["proof"]]
    assert merkle.verify_inclusion(4, 9, _b(p["leaf_hash"]), proof, _b(cp["root"]))
    c = client.get("/api/v1/audit/proofs/consistency", params={"first": 3, "second": 9}).json()
    assert merkle.verify_consistency(
        3, 9, _b(c["first_root"]), _b(cp["root"]), [_b(x) for x in c["proof"]]
    )
    bad = client.get("/api/v1/audit/proofs/inclusion", params={"seq": 9})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_input"
    assert client.get("/api/v1/audit/proofs/inclusion", params={"seq": "x"}).status_code == 422


@pytest.mark.usefixtures("logged")
def test_entries_are_paged_and_the_read_is_recorded(client: TestClient, as_actor: UseActor) -> None:
    as_actor(AUDITOR)
    page = client.get("/api/v1/audit/entries", params={"limit": 5}).json()
    assert [e["seq"] for e in page["entries"]] == [0, 1, 2, 3, 4]
    assert page["entries"][0]["actor_name"] == "张三"
    assert page["next"] == 4
    rest = client.get("/api/v1/audit/entries", params={"after": 4, "limit": 100}).json()
    assert [e["seq"] for e in rest["entries"]] == [5, 6, 7, 8, 9]
    assert rest["entries"][-1]["tag"] == "audit:entry:read"
    assert rest["next"] is None
    assert client.get("/api/v1/audit/entries", params={"limit": 5000}).status_code == 422
    as_actor(SYSADMIN)
    assert client.get("/api/v1/audit/entries").status_code == 403
