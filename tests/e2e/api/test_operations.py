"""Operations over HTTP (issue 15 items 4 and 6): ``/metrics`` (loopback or token),
``/readyz`` (database, migrations, publication lag), and the credit office's view of the jobs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from tests.factories.accounts import PASSWORD, make_user
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.db.migrate import upgrade
from xinyong.ops import health
from xinyong.ops.jobs import all_jobs
from xinyong.ops.models import JobState
from xinyong.web.app import create_app

TOKEN = "scrape-me-0123456789"


def bearer(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_metrics_are_refused_to_a_remote_client_without_the_token(client: TestClient) -> None:
    r = client.get("/metrics")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "metrics_forbidden"
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403


def test_metrics_count_requests_by_route_template_for_the_token_holder(
    app: FastAPI, settings: Settings
) -> None:
    settings.metrics_token = TOKEN
    with TestClient(app) as client:
        client.get("/healthz")
        client.get("/api/v1/reports/R-NOT-A-NUMBER-1")
        client.get("/api/v1/reports/R-NOT-A-NUMBER-2")
        r = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'xinyong_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    # Two paths, one series: the route template, never the id.
    found = re.search(
        r'xinyong_http_requests_total\{method="GET",route="/api/v1/reports/\{number\}",'
        r'status="(\d+)"\} 2.0',
        text,
    )
    assert found, text
    assert "R-NOT-A-NUMBER" not in text
    assert 'xinyong_http_request_duration_seconds_bucket{le="0.005",method="GET"' in text
    for name in (
        "xinyong_audit_entries",
        "xinyong_webhooks_due",
        "xinyong_feed_lag_seconds",
        "xinyong_job_runs_total",
        "xinyong_job_next_run_timestamp_seconds",
    ):
        assert f"# TYPE {name.removesuffix('_total')}" in text, name


def test_metrics_answer_loopback_clients_without_a_token(app: FastAPI) -> None:
    with TestClient(app, client=("127.0.0.1", 50000)) as client:
        r = client.get("/metrics")
    assert r.status_code == 200
    assert "xinyong_audit_entries" in r.text


def test_readyz_fails_on_a_database_that_is_not_migrated(client: TestClient) -> None:
    # The test schema is built from the models, without Alembic's version table.
    r = client.get("/readyz")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["migrations"]["status"] == "failed"


def test_readyz_is_ready_on_a_migrated_database_and_honours_the_publication_lag(
    fresh_db_url: str, tmp_path: Path
) -> None:
    upgrade(fresh_db_url)
    settings = Settings(
        var_dir=tmp_path, database_url=fresh_db_url, now=FROZEN,
        ready_max_publication_lag_s=60,
    )  # fmt: skip
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            r = client.get("/readyz")
            assert r.status_code == 200, r.text
            assert r.json()["checks"]["publication"]["status"] == "skipped"
            health.register_publication_lag(lambda _s, _session, _at: 120.0)
            r = client.get("/readyz")
            assert r.status_code == 503
            assert r.json()["checks"]["publication"] == {
                "status": "failed", "lag_seconds": 120.0, "bound_seconds": 60,
            }  # fmt: skip
            health.register_publication_lag(lambda _s, _session, _at: 5.0)
            assert client.get("/readyz").status_code == 200
    finally:
        health._publication_lag.clear()
        app.state.engine.dispose()


@pytest.fixture
def jobs_seen(db: Session, clock: Clock) -> None:
    make_user(db, at=clock.now(), role="credit_office", username="office1")
    make_user(db, at=clock.now(), role="provider", username="provider1")
    db.add(
        JobState(
            name="escalations", next_run_at=FROZEN, runs=3, failures=1, consecutive_failures=1,
            last_status="failed", last_error="RuntimeError: database went away",
            last_finished_at=FROZEN,
        )
    )  # fmt: skip
    db.flush()


@pytest.mark.usefixtures("jobs_seen")
def test_the_credit_office_sees_each_jobs_runs_and_failures(client: TestClient) -> None:
    r = client.get("/api/v1/office/jobs", headers=bearer(client, "office1"))
    assert r.status_code == 200, r.text
    items = {j["name"]: j for j in r.json()["items"]}
    assert set(items) == {j.name for j in all_jobs()}
    esc = items["escalations"]
    assert (esc["runs"], esc["failures"], esc["last_status"]) == (3, 1, "failed")
    assert esc["last_error"] == "RuntimeError: database went away"
    assert items["webhooks"]["runs"] == 0  # never run yet: no row
    assert items["webhooks"]["next_run_at"] is None
    assert client.get("/api/v1/office/jobs", headers=bearer(client, "provider1")).status_code == 403
    assert client.get("/api/v1/office/jobs").status_code == 401


@pytest.mark.usefixtures("jobs_seen")
def test_the_jobs_page_shows_the_failure_to_the_office_only(client: TestClient) -> None:
    r = client.get("/office/jobs", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")
    page = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert page
    r = client.post(
        "/login",
        data={"username": "office1", "password": PASSWORD, "csrf_token": page.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = client.get("/office/jobs")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "RuntimeError: database went away" in r.text
    assert 'id="job-webhooks"' in r.text
