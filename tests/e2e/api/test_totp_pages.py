"""Two-step verification in the browser pages, over HTTP (PLT-1): the login's second step,
set-up with a QR code, the policy's warning and the security administrator's reset."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from tests.factories.accounts import PASSWORD, make_user
from tests.support.web import csrf_of
from xinyong.core.clock import Clock


def post(client: TestClient, page: str, action: str, **data: str) -> httpx.Response:
    token = csrf_of(client.get(page).text)
    return client.post(action, data={"csrf_token": token, **data}, follow_redirects=False)


def log_in(client: TestClient, username: str) -> httpx.Response:
    return post(client, "/login", "/login", username=username, password=PASSWORD, next="/")


def at(minutes: float) -> str:
    return (FROZEN + timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def sysadmin(db: Session, clock: Clock) -> str:
    make_user(db, at=clock.now(), role="sysadmin", username="sys")
    make_user(db, at=clock.now(), role="secadmin", username="sec")
    return "sys"


def enrol_in_browser(client: TestClient) -> str:
    """Set up the factor on the account page; returns the secret shown there."""
    r = post(client, "/account/two-step", "/account/two-step/start")
    assert r.status_code == 303
    page = client.get("/account/two-step").text
    assert "data:image/svg+xml;base64," in page  # the QR code
    secret = re.search(r"<code data-secret>([A-Z2-7]+)</code>", page)
    assert secret, page
    assert "otpauth://totp/" in page
    r = post(
        client, "/account/two-step", "/account/two-step/confirm",
        code=pyotp.TOTP(secret.group(1)).at(FROZEN),
    )  # fmt: skip
    assert r.status_code == 200
    assert "两步验证已启用" in r.text
    assert len(re.findall(r"<li><code>[A-Z2-9]{5}-[A-Z2-9]{5}</code></li>", r.text)) == 10
    # Confirmed: the key is never shown again.
    assert secret.group(1) not in client.get("/account/two-step").text
    return secret.group(1)


def test_set_up_then_log_in_with_a_code(app: FastAPI, client: TestClient, sysadmin: str) -> None:
    assert log_in(client, sysadmin).status_code == 303
    secret = enrol_in_browser(client)
    post(client, "/", "/logout")

    app.state.clock = Clock(FROZEN + timedelta(minutes=2))
    r = log_in(client, sysadmin)
    assert r.status_code == 200
    assert 'name="ticket"' in r.text
    assert "验证码" in r.text
    ticket = re.search(r'name="ticket" value="([^"]+)"', r.text)
    assert ticket
    wrong = client.post(
        "/login/code",
        data={"csrf_token": csrf_of(r.text), "ticket": ticket.group(1), "code": "000000"},
        follow_redirects=False,
    )
    assert wrong.status_code == 401
    assert 'data-code="totp_invalid"' in wrong.text
    right = client.post(
        "/login/code",
        data={
            "csrf_token": csrf_of(wrong.text),
            "ticket": ticket.group(1),
            "code": pyotp.TOTP(secret).at(FROZEN + timedelta(minutes=2)),
            "next": "/account/two-step",
        },
        follow_redirects=False,
    )
    assert right.status_code == 303
    assert right.headers["location"] == "/account/two-step"
    assert "两步验证自" in client.get("/account/two-step").text


def test_an_old_ticket_is_refused(app: FastAPI, client: TestClient, sysadmin: str) -> None:
    log_in(client, sysadmin)
    secret = enrol_in_browser(client)
    post(client, "/", "/logout")
    r = log_in(client, sysadmin)
    ticket = re.search(r'name="ticket" value="([^"]+)"', r.text)
    assert ticket
    app.state.clock = Clock(FROZEN + timedelta(minutes=6))
    late = client.post(
        "/login/code",
        data={
            "csrf_token": csrf_of(r.text),
            "ticket": ticket.group(1),
            "code": pyotp.TOTP(secret).at(FROZEN + timedelta(minutes=6)),
        },
        follow_redirects=False,
    )
    assert late.status_code == 401


def test_the_policy_sends_an_admin_without_a_factor_to_set_up(
    client: TestClient, sysadmin: str
) -> None:
    log_in(client, "sec")
    r = post(client, "/security", "/security/policy", require_totp_for_admins="1")
    assert r.status_code == 200
    assert "策略已保存" in r.text
    post(client, "/", "/logout")

    r = log_in(client, sysadmin)
    assert r.status_code == 303
    assert r.headers["location"] == "/account/two-step"
    home = client.get("/").text
    assert "你的账号必须启用两步验证" in home  # the warning on every page


def test_the_security_administrator_resets_with_a_reason(client: TestClient, sysadmin: str) -> None:
    log_in(client, sysadmin)
    enrol_in_browser(client)
    post(client, "/", "/logout")

    log_in(client, "sec")
    page = client.get("/security")
    assert page.status_code == 200
    assert "sys" in page.text
    assert "已启用" in page.text
    ask = post(client, "/security", "/security/two-step/sys/reset")
    assert "此操作无法撤销" in ask.text  # a confirmation step first
    done = post(client, "/security", "/security/two-step/sys/reset", confirm="1", reason="手机丢失")
    assert done.status_code == 200
    assert "已重置 sys 的两步验证" in done.text


def test_other_roles_get_no_security_page(db: Session, clock: Clock, client: TestClient) -> None:
    make_user(db, at=clock.now(), role="provider", username="prov")
    log_in(client, "prov")
    assert client.get("/security").status_code == 403
    assert client.get("/account/two-step").status_code == 403
