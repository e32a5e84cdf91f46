"""Operations: the liveness endpoint answers without touching the database."""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from xinyong import __version__


def test_healthz_is_a_constant_document(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}
    assert response.headers["x-request-id"]


def _failing_app(app: FastAPI, error: Exception) -> None:
    def boom() -> None:
        raise error

    app.add_api_route("/api/v1/_boom", boom, methods=["POST"])


def test_an_unexpected_error_is_a_500_that_names_the_request(app: FastAPI) -> None:
    _failing_app(app, RuntimeError("bug"))
    with TestClient(app) as client:
        response = client.post("/api/v1/_boom", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "req-42"
    body = response.json()["error"]
    assert body["code"] == "internal_error"
    assert body["details"] == [{"request_id": "req-42"}]
    assert "bug" not in response.text  # no internals leak


def test_a_busy_sqlite_database_is_a_503_with_retry_after(app: FastAPI) -> None:
    locked = OperationalError(
        "INSERT INTO inquiry", {}, sqlite3.OperationalError("database is locked")
    )
    _failing_app(app, locked)
    with TestClient(app) as client:
        response = client.post("/api/v1/_boom")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"]["code"] == "database_busy"
