"""Logging in over HTTP and reading pages, as the API and page tests do it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.factories.accounts import PASSWORD

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's form carries."""
    match = _CSRF.search(html)
    assert match is not None, "the page has no CSRF token"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """The bearer header of a fresh API token for ``username``."""
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def log_in(client: TestClient, username: str, *, fresh: bool = False) -> None:
    """Log in through the login page (session cookie); ``fresh`` drops earlier cookies."""
    if fresh:
        client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
