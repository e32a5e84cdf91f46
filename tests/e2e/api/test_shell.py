from fastapi.testclient import TestClient


def test_request_id_is_echoed(client: TestClient) -> None:
    r = client.get("/api/v1/nope", headers={"X-Request-ID": "abc123"})
    assert r.status_code == 404
    assert r.headers["X-Request-ID"] == "abc123"
    assert r.json()["error"]["code"] == "not_found"


def test_home_page_served(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "信用" in r.text
