"""The TOTP second factor over HTTP (PLT-1): enrolment, tokens with and without a code, the
security policy and resets."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from tests.factories.accounts import PASSWORD, make_user
from xinyong.accounts.service import INVALID_CREDENTIALS, INVALID_SECOND_FACTOR
from xinyong.core.clock import Clock

TOKEN = "/api/v1/auth/token"


def code_at(secret: str, minutes: float = 0) -> str:
    """The code an authenticator app shows at FROZEN + ``minutes``."""
    return pyotp.TOTP(secret).at(FROZEN + timedelta(minutes=minutes))


def bearer(client: TestClient, username: str, **extra: str) -> dict[str, str]:
    r = client.post(TOKEN, data={"username": username, "password": PASSWORD, **extra})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def admins(db: Session, clock: Clock) -> None:
    make_user(db, at=clock.now(), role="sysadmin", username="sys")
    make_user(db, at=clock.now(), role="secadmin", username="sec")


def enrol(client: TestClient, username: str) -> tuple[str, list[str]]:
    """Enrol ``username`` through the API; its secret and recovery codes."""
    headers = bearer(client, username)
    started = client.post("/api/v1/auth/totp", headers=headers)
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    assert started.json()["otpauth_uri"].startswith("otpauth://totp/")
    confirmed = client.post(
        "/api/v1/auth/totp/confirm", json={"code": code_at(secret)}, headers=headers
    )
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


def move_clock(app: FastAPI, minutes: float) -> None:
    app.state.clock = Clock(FROZEN + timedelta(minutes=minutes))


def test_a_sysadmin_without_a_factor_gets_a_token_with_password_alone(
    client: TestClient, admins: None
) -> None:
    r = client.post(TOKEN, data={"username": "sys", "password": PASSWORD})
    assert r.status_code == 200
    assert r.json()["second_factor"] == "none"


def test_an_enrolled_account_needs_its_code(app: FastAPI, client: TestClient, admins: None) -> None:
    secret, _ = enrol(client, "sys")
    move_clock(app, 1)

    r = client.post(TOKEN, data={"username": "sys", "password": PASSWORD})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "totp_required"
    assert r.headers["WWW-Authenticate"] == "Bearer"

    r = client.post(TOKEN, data={"username": "sys", "password": PASSWORD, "totp": "000000"})
    assert r.status_code == 401
    assert r.json()["error"] == {
        "code": "totp_invalid",
        "message": INVALID_SECOND_FACTOR,
        "details": [],
    }

    r = client.post(
        TOKEN, data={"username": "sys", "password": PASSWORD, "totp": code_at(secret, 1)}
    )
    assert r.status_code == 200
    assert r.json()["second_factor"] == "active"
    me = client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}
    )
    assert me.json()["username"] == "sys"


def test_a_code_is_not_accepted_twice(app: FastAPI, client: TestClient, admins: None) -> None:
    secret, _ = enrol(client, "sys")
    move_clock(app, 1)
    data = {"username": "sys", "password": PASSWORD, "totp": code_at(secret, 1)}
    assert client.post(TOKEN, data=data).status_code == 200
    r = client.post(TOKEN, data=data)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "totp_invalid"


def test_a_wrong_password_with_a_code_gets_the_same_answer_as_a_wrong_code(
    app: FastAPI, client: TestClient, admins: None
) -> None:
    """Sending a code, nobody learns which of password and code was wrong."""
    secret, _ = enrol(client, "sys")
    move_clock(app, 1)
    wrong_password = client.post(
        TOKEN, data={"username": "sys", "password": "Wrong-password-1", "totp": code_at(secret, 1)}
    )
    wrong_code = client.post(
        TOKEN, data={"username": "sys", "password": PASSWORD, "totp": "123456"}
    )
    unknown = client.post(TOKEN, data={"username": "nobody", "password": PASSWORD, "totp": "1"})
    assert wrong_password.json() == wrong_code.json() == unknown.json()
    # Without a code, a wrong password is the usual answer: no hint the account is enrolled.
    r = client.post(TOKEN, data={"username": "sys", "password": "Wrong-password-1"})
    assert r.json()["error"]["message"] == INVALID_CREDENTIALS


def test_wrong_codes_lock_the_account_like_wrong_passwords(
    app: FastAPI, client: TestClient, admins: None
) -> None:
    secret, _ = enrol(client, "sys")
    move_clock(app, 1)
    for _ in range(4):
        client.post(TOKEN, data={"username": "sys", "password": PASSWORD, "totp": "111111"})
        # A password-only try in between answers totp_required but clears nothing.
        client.post(TOKEN, data={"username": "sys", "password": PASSWORD})
    client.post(TOKEN, data={"username": "sys", "password": PASSWORD, "totp": "111111"})
    r = client.post(
        TOKEN, data={"username": "sys", "password": PASSWORD, "totp": code_at(secret, 1)}
    )
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "totp_invalid"


def test_a_recovery_code_works_once(app: FastAPI, client: TestClient, admins: None) -> None:
    _, recovery = enrol(client, "sys")
    assert len(recovery) == 10
    data = {"username": "sys", "password": PASSWORD, "totp": recovery[0].lower()}
    assert client.post(TOKEN, data=data).status_code == 200
    assert client.post(TOKEN, data=data).status_code == 401


def test_disable_needs_the_password(app: FastAPI, client: TestClient, admins: None) -> None:
    secret, _ = enrol(client, "sys")
    move_clock(app, 1)
    headers = bearer(client, "sys", totp=code_at(secret, 1))
    r = client.post("/api/v1/auth/totp/disable", json={"password": "nope"}, headers=headers)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "reauthentication_failed"
    r = client.post("/api/v1/auth/totp/disable", json={"password": PASSWORD}, headers=headers)
    assert r.status_code == 204
    assert client.post(TOKEN, data={"username": "sys", "password": PASSWORD}).status_code == 200


def test_confirm_with_a_wrong_code_keeps_the_factor_pending(
    client: TestClient, admins: None
) -> None:
    headers = bearer(client, "sys")
    client.post("/api/v1/auth/totp", headers=headers)
    r = client.post("/api/v1/auth/totp/confirm", json={"code": "12345"}, headers=headers)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "totp_invalid"
    assert client.get("/api/v1/auth/totp", headers=headers).json()["status"] == "pending"
    # Pending: logins do not ask for a code yet.
    assert client.post(TOKEN, data={"username": "sys", "password": PASSWORD}).status_code == 200


def test_a_provider_may_not_enrol(db: Session, clock: Clock, client: TestClient) -> None:
    make_user(db, at=clock.now(), role="provider", username="prov")
    r = client.post("/api/v1/auth/totp", headers=bearer(client, "prov"))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "totp_not_available"


def test_policy_and_reset_by_the_security_administrator(
    app: FastAPI, client: TestClient, admins: None
) -> None:
    sec = bearer(client, "sec")
    sys_headers = bearer(client, "sys")
    assert client.get("/api/v1/security/policy", headers=sys_headers).status_code == 403
    r = client.put("/api/v1/security/policy", json={"require_totp_for_admins": True}, headers=sec)
    assert r.status_code == 200
    assert r.json()["require_totp_for_admins"] is True
    # The contract holds: a sysadmin without a factor still gets a token, told to enrol.
    r = client.post(TOKEN, data={"username": "sys", "password": PASSWORD})
    assert r.status_code == 200
    assert r.json()["second_factor"] == "enrolment_required"

    enrol(client, "sys")
    rows = client.get("/api/v1/security/second-factors", headers=sec).json()["items"]
    assert {r["username"]: r["status"] for r in rows} == {"sec": "none", "sys": "active"}
    r = client.post("/api/v1/security/second-factors/sys/reset", json={"reason": ""}, headers=sec)
    assert r.status_code == 422
    r = client.post(
        "/api/v1/security/second-factors/sys/reset", json={"reason": "手机丢失"}, headers=sec
    )
    assert r.status_code == 204
    assert client.post(TOKEN, data={"username": "sys", "password": PASSWORD}).status_code == 200
