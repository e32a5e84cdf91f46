"""``/api/v1/auth`` and the browser login (PLT-1), over HTTP."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from tests.factories.accounts import PASSWORD, make_user
from tests.support.web import csrf_of
from xinyong.accounts.service import INVALID_CREDENTIALS, SESSION_COOKIE
from xinyong.core.clock import Clock
from xinyong.web.ui import auth as ui_auth

TOKEN = "/api/v1/auth/token"
ME = "/api/v1/auth/me"


@pytest.fixture
def web(app: FastAPI, client: TestClient) -> TestClient:
    """The client, with the login pages mounted even before app.py lists them."""
    if not any(getattr(route, "path", None) == "/login" for route in app.routes):
        app.include_router(ui_auth.router)
    return client


@pytest.fixture
def inquirer(db: Session, clock: Clock) -> str:
    make_user(db, at=clock.now(), role="inquirer", username="li.si", purposes=["licensing"])
    return "li.si"


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post(TOKEN, data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_token_me_logout(client: TestClient, inquirer: str) -> None:
    r = client.post(TOKEN, data={"username": inquirer, "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_at"] == "2026-09-30T11:00:00+08:00"
    headers = {"Authorization": f"Bearer {body['access_token']}"}

    me = client.get(ME, headers=headers).json()
    assert me["authenticated"] is True
    assert me["username"] == "li.si"
    assert me["role"] == "inquirer"
    assert me["organisation"]["code"] == "ORG-organ"
    assert me["purposes"] == ["licensing"]
    assert me["items"] is None

    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    r = client.get(ME, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_token"


def test_the_public_is_who_sends_nothing(client: TestClient) -> None:
    me = client.get(ME).json()
    assert me["authenticated"] is False
    assert me["role"] == "public"
    assert client.post("/api/v1/auth/logout").status_code == 401


@pytest.mark.parametrize(
    ("username", "password"), [("li.si", "wrong-Password-1"), ("nobody", PASSWORD)]
)
def test_wrong_credentials_are_one_401(
    client: TestClient, inquirer: str, username: str, password: str
) -> None:
    r = client.post(TOKEN, data={"username": username, "password": password})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == "Bearer"
    assert r.json() == {
        "error": {"code": "invalid_credentials", "message": INVALID_CREDENTIALS, "details": []}
    }


def test_locked_account_gets_the_same_401(client: TestClient, inquirer: str) -> None:
    for _ in range(5):
        client.post(TOKEN, data={"username": inquirer, "password": "bad"})
    r = client.post(TOKEN, data={"username": inquirer, "password": PASSWORD})
    assert r.status_code == 401
    assert r.json()["error"]["message"] == INVALID_CREDENTIALS


@pytest.mark.parametrize(
    ("data", "missing"),
    [({}, {"username", "password"}), ({"username": "li.si"}, {"password"})],
)
def test_missing_fields_are_a_422_naming_them(
    client: TestClient, data: dict[str, str], missing: set[str]
) -> None:
    r = client.post(TOKEN, data=data)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_input"
    assert {d["field"] for d in error["details"]} == missing


def test_json_instead_of_a_form_is_a_422(client: TestClient) -> None:
    r = client.post(TOKEN, json={"username": "li.si", "password": PASSWORD})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_input"


def test_expired_token_is_refused_not_ignored(
    app: FastAPI, client: TestClient, inquirer: str
) -> None:
    headers = bearer(client, inquirer)
    app.state.clock = Clock(FROZEN + timedelta(minutes=61))
    r = client.get(ME, headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_token"


# --- the browser -----------------------------------------------------------------------------


def test_login_page_has_a_csrf_token(web: TestClient) -> None:
    r = web.get("/login")
    assert r.status_code == 200
    assert 'name="password"' in r.text
    assert csrf_of(r.text)
    assert "xinyong_csrf" in r.cookies


def login_form(
    web: TestClient, username: str, password: str, next_url: str = "/"
) -> httpx.Response:
    token = csrf_of(web.get("/login").text)
    return web.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_url},
        follow_redirects=False,
    )


def test_browser_login_and_logout(web: TestClient, inquirer: str) -> None:
    r = login_form(web, inquirer, PASSWORD, next_url="/inquiries")
    assert r.status_code == 303
    assert r.headers["location"] == "/inquiries"
    set_cookie = r.headers["set-cookie"]
    assert set_cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in set_cookie
    assert "SameSite=lax" in set_cookie or "samesite=lax" in set_cookie.lower()
    assert web.get(ME).json()["username"] == "li.si"

    # Logging out needs the form's token, bound to this session.
    assert web.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert web.get(ME).json()["authenticated"] is True
    token = csrf_of(web.get("/login").text)
    r2 = web.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r2.status_code == 303
    assert web.get(ME).json()["authenticated"] is False


def test_browser_login_refused_rerenders_the_form(web: TestClient, inquirer: str) -> None:
    r = login_form(web, inquirer, "wrong password")
    assert r.status_code == 401
    text = r.text
    assert INVALID_CREDENTIALS.split(" / ")[0] in text  # the page speaks one language
    assert 'value="li.si"' in text
    assert csrf_of(text)


def test_login_without_the_csrf_token_is_refused(web: TestClient, inquirer: str) -> None:
    web.get("/login")
    r = web.post(
        "/login", data={"username": inquirer, "password": PASSWORD}, follow_redirects=False
    )
    assert r.status_code == 403
    assert SESSION_COOKIE not in r.cookies


def test_a_token_from_another_browser_is_refused(
    web: TestClient, app: FastAPI, inquirer: str
) -> None:
    with TestClient(app) as other:
        foreign = csrf_of(other.get("/login").text)
    web.get("/login")
    r = web.post(
        "/login",
        data={"username": inquirer, "password": PASSWORD, "csrf_token": foreign},
        follow_redirects=False,
    )
    assert r.status_code == 403


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_login_never_redirects_off_site(web: TestClient, inquirer: str, target: str) -> None:
    r = login_form(web, inquirer, PASSWORD, next_url=target)
    assert r.headers["location"] == "/inquiry"  # not the target: the inquirer's own desk
