"""Operations: the liveness endpoint answers without touching the database."""

from __future__ import annotations

from fastapi.testclient import TestClient

from xinyong import __version__


def test_healthz_is_a_constant_document(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}
    assert response.headers["x-request-id"]
