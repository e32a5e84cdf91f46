"""The public channel has limits too (Art. 18): per-address rate limits on every public endpoint
(``XINYONG_PUBLIC_RATE_PER_MINUTE``, default 120) answering 429 with ``Retry-After``, and the
inquirers' daily caps set by the credit office — over HTTP."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.e2e.api.test_inquiries import error_of, login
from tests.factories.inquiry import World, seed
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.inquiry.ratelimit import PublicLimiter
from xinyong.web.public_limit import is_public

PUBLIC_PATHS = [
    "/api/v1/public/subjects?q=贵州",
    "/api/v1/reports/R-0000",
    "/api/v1/identifiers/check?value=91520000214434146R",
    "/api/v1/calendar/deadline?start=2026-09-30&working_days=3",
    "/api/v1/catalogue/items",
    "/api/v1/purposes",
    "/public/search?q=贵州",
    "/tools/identifier-check",
    "/catalogue",
    "/purposes",
    "/",
]


def _frozen(app: FastAPI, per_minute: int) -> None:
    """A limiter whose clock stands still: no token comes back during the test."""
    app.state.public_limiter = PublicLimiter(per_minute=per_minute, timer=lambda: 0.0)


def test_the_default_is_120_per_address_per_minute(app: FastAPI, client: TestClient) -> None:
    assert Settings().public_rate_per_minute == 120
    assert app.state.public_limiter.per_minute == 120
    _frozen(app, app.state.public_limiter.per_minute)
    url = "/api/v1/identifiers/check?value=91520000214434146R"
    statuses = [client.get(url).status_code for _ in range(120)]
    assert statuses == [200] * 120
    r = client.get(url)
    assert error_of(r, 429) == "rate_limited"
    assert int(r.headers["Retry-After"]) >= 1


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_public_endpoint_is_limited(app: FastAPI, client: TestClient, path: str) -> None:
    _frozen(app, 2)
    for _ in range(2):
        assert client.get(path).status_code != 429
    r = client.get(path)
    assert r.status_code == 429, path
    assert r.headers["Retry-After"] == "30"
    if path.startswith("/api/"):
        assert error_of(r, 429) == "rate_limited"
    else:
        r = client.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 429
        assert "text/html" in r.headers["content-type"]


def test_the_limit_is_per_address_and_spares_other_endpoints(
    app: FastAPI, client: TestClient
) -> None:
    _frozen(app, 1)
    assert client.get("/api/v1/purposes").status_code == 200
    assert client.get("/api/v1/purposes").status_code == 429
    other = TestClient(app, client=("203.0.113.9", 50000))
    assert other.get("/api/v1/purposes").status_code == 200
    assert client.get("/healthz").status_code == 200  # not a public-channel read
    assert not is_public("POST", "/api/v1/purposes")  # the office's write is not limited here


def test_the_setting_sets_the_limit(settings: Settings, app: FastAPI) -> None:
    from xinyong.web.app import create_app

    limited = create_app(settings.model_copy(update={"public_rate_per_minute": 3}))
    assert limited.state.public_limiter.per_minute == 3


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> World:
    return seed(db, clock.now())


def test_the_office_sets_a_daily_cap_and_inquirers_over_it_get_429(
    client: TestClient, world: World
) -> None:
    office = login(client, "q_office")
    r = client.get("/api/v1/inquiry-caps", headers=office)
    assert r.json() == {"default": 1000, "accounts": []}
    r = client.put("/api/v1/inquiry-caps/default", json={"per_day": 1}, headers=office)
    assert r.status_code == 200
    assert r.json()["default"] == 1
    organ = login(client, "q_fgw")
    body = {"subject": world.code, "purpose": "licensing"}
    assert client.post("/api/v1/inquiries", json=body, headers=organ).status_code == 200
    r = client.post("/api/v1/inquiries", json=body, headers=organ)
    assert error_of(r, 429) == "daily_cap_reached"
    assert int(r.headers["Retry-After"]) > 0
    auditor = login(client, "q_audit")
    log = client.get("/api/v1/inquiries?outcome=refused", headers=auditor).json()["items"]
    assert [row["refusal_code"] for row in log] == ["daily_cap_reached"]
    # Only the credit office sets caps; bad input is a 4xx.
    assert client.put("/api/v1/inquiry-caps/default", json={"per_day": 5},
                      headers=organ).status_code == 403  # fmt: skip
    assert client.put("/api/v1/inquiry-caps/default", json={"per_day": 0},
                      headers=office).status_code == 422  # fmt: skip
    assert client.put(f"/api/v1/inquiry-caps/accounts/{2**70}", json={"per_day": 5},
                      headers=office).status_code == 422  # fmt: skip
    r = client.put(f"/api/v1/inquiry-caps/accounts/{world.narrow.user_id}", json={"per_day": 7},
                   headers=office)  # fmt: skip
    assert r.json()["accounts"] == [{"user_id": world.narrow.user_id, "per_day": 7}]
