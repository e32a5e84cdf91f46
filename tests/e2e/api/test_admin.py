"""The system administrator's desk over HTTP (DESIGN §6, PLT-1): ``/api/v1/admin/users`` and
``/api/v1/admin/organisations``, and the pages ``/admin/users``, ``/admin/organisations``."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD, make_org, make_user
from tests.factories.disclosure import resident_id, uscc
from xinyong.core.actor import Role
from xinyong.core.clock import Clock

NEW_PASSWORD = "Xinyong-Reset-2026#"
HTML = {"Accept": "text/html"}
PERSON = resident_id(7)


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> FastAPI:
    make_org(db, at=clock.now(), code="GZ-SCO", kind="office", name="贵州省社会信用办公室")
    make_org(
        db, at=clock.now(), code="GY-ORGAN", kind="organ", name="贵阳市发展改革委", region="520100"
    )
    make_user(db, at=clock.now(), role=Role.SYSADMIN, username="admin1", org_code="GZ-SCO")
    make_user(db, at=clock.now(), role=Role.AUDITOR, username="auditor1", org_code="GZ-SCO")
    make_user(db, at=clock.now(), role=Role.INQUIRER, username="organ1", org_code="GY-ORGAN")
    make_user(db, at=clock.now(), role=Role.SUBJECT, username="citizen1", subject_code=uscc(1))
    return app


def token(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def log_in(client: TestClient, username: str) -> str:
    token_ = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token_, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_sysadmin_adds_an_account_and_lists_it(world: FastAPI, client: TestClient) -> None:
    admin = token(client, "admin1")
    body = {
        "username": "Organ2",
        "password": NEW_PASSWORD,
        "role": "inquirer",
        "org": "GY-ORGAN",
        "display_name": "查询员二",
        "purposes": ["licensing"],
    }
    r = client.post("/api/v1/admin/users", json=body, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["username"] == "organ2"
    assert r.json()["purposes"] == ["licensing"]
    listed = client.get("/api/v1/admin/users", params={"role": "inquirer"}, headers=admin)
    assert [u["username"] for u in listed.json()["items"]] == ["organ1", "organ2"]
    again = client.post("/api/v1/admin/users", json=body, headers=admin)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "username_taken"
    bad = client.get("/api/v1/admin/users", params={"role": "king"}, headers=admin)
    assert bad.status_code == 422


def test_a_disabled_account_cannot_log_in_and_its_tokens_end(
    world: FastAPI, client: TestClient
) -> None:
    admin, organ = token(client, "admin1"), token(client, "organ1")
    assert client.get("/api/v1/auth/me", headers=organ).json()["authenticated"] is True
    r = client.post(
        "/api/v1/admin/users/organ1/disable", json={"reason": "调离岗位"}, headers=admin
    )
    assert r.status_code == 200, r.text
    assert r.json()["is_active"] is False
    assert client.get("/api/v1/auth/me", headers=organ).status_code == 401
    login = client.post("/api/v1/auth/token", data={"username": "organ1", "password": PASSWORD})
    assert login.status_code == 401
    r = client.post("/api/v1/admin/users/organ1/enable", json={"reason": "返岗"}, headers=admin)
    assert r.json()["is_active"] is True
    token(client, "organ1")
    # never one's own account, and never without a reason
    own = client.post("/api/v1/admin/users/admin1/disable", json={"reason": "x"}, headers=admin)
    assert own.status_code == 409
    assert own.json()["error"]["code"] == "cannot_disable_self"
    blank = client.post("/api/v1/admin/users/organ1/disable", json={"reason": " "}, headers=admin)
    assert blank.status_code == 422
    missing = client.post("/api/v1/admin/users/nobody/disable", json={"reason": "x"}, headers=admin)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "user_not_found"


def test_password_reset_bind_subject_and_authority(world: FastAPI, client: TestClient) -> None:
    admin = token(client, "admin1")
    weak = client.post(
        "/api/v1/admin/users/organ1/password",
        json={"password": "short", "reason": "忘记密码"},
        headers=admin,
    )
    assert weak.status_code == 422
    assert weak.json()["error"]["code"] == "weak_password"
    r = client.post(
        "/api/v1/admin/users/organ1/password",
        json={"password": NEW_PASSWORD, "reason": "忘记密码"},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    token(client, "organ1", NEW_PASSWORD)

    r = client.put(
        "/api/v1/admin/users/citizen1/subject",
        json={"subject": PERSON, "reason": "本人申请"},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    assert r.json()["subject_code"] == PERSON
    wrong = client.put(
        "/api/v1/admin/users/citizen1/subject",
        json={"subject": PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1"), "reason": "x"},
        headers=admin,
    )
    assert wrong.status_code == 422
    inquirer = client.put(
        "/api/v1/admin/users/organ1/subject", json={"subject": PERSON, "reason": "x"}, headers=admin
    )
    assert inquirer.json()["error"]["code"] == "not_a_subject_account"

    r = client.put(
        "/api/v1/admin/users/organ1/authority",
        json={
            "purposes": ["licensing", "inspection"],
            "items": ["admin_penalty"],
            "reason": "本机关授权",
        },
        headers=admin,
    )
    assert r.status_code == 200, r.text
    assert r.json()["purposes"] == ["inspection", "licensing"]
    me = client.get("/api/v1/auth/me", headers=token(client, "organ1", NEW_PASSWORD)).json()
    assert me["purposes"] == ["inspection", "licensing"]
    assert me["items"] == ["admin_penalty"]
    unknown = client.put(
        "/api/v1/admin/users/organ1/authority",
        json={"purposes": ["gossip"], "reason": "x"},
        headers=admin,
    )
    assert unknown.status_code == 422
    subject = client.put(
        "/api/v1/admin/users/citizen1/authority",
        json={"purposes": [], "reason": "x"},
        headers=admin,
    )
    assert subject.json()["error"]["code"] == "authority_not_applicable"


def test_every_change_is_in_the_audit_log(world: FastAPI, client: TestClient) -> None:
    admin = token(client, "admin1")
    client.post("/api/v1/admin/users/organ1/disable", json={"reason": "调离岗位"}, headers=admin)
    entries = client.get("/api/v1/audit/entries", headers=token(client, "auditor1")).json()
    disable = [e for e in entries["entries"] if e["tag"] == "accounts:user:disable"]
    assert len(disable) == 1
    assert disable[0]["reason"] == "调离岗位"
    assert disable[0]["before"]["is_active"] is True
    assert disable[0]["after"]["is_active"] is False


def test_organisations_are_added_and_listed(world: FastAPI, client: TestClient) -> None:
    admin = token(client, "admin1")
    body = {
        "code": "XY-INST",
        "name": "贵州某信用评价有限公司",
        "kind": "institution",
        "parent": "GZ-SCO",
    }
    r = client.post("/api/v1/admin/organisations", json=body, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["region"] == "520000"  # the parent's
    listed = client.get("/api/v1/admin/organisations", headers=admin).json()["items"]
    assert "XY-INST" in [o["code"] for o in listed]
    bad = client.post(
        "/api/v1/admin/organisations", json={**body, "code": "X2", "kind": "club"}, headers=admin
    )
    assert bad.status_code == 422
    # only the system administrator
    assert (
        client.get("/api/v1/admin/organisations", headers=token(client, "auditor1")).status_code
        == 403
    )
    assert client.get("/api/v1/admin/users").status_code == 401


# --- pages ---------------------------------------------------------------------------------


def test_sysadmin_lands_on_accounts_and_filters_them(world: FastAPI, client: TestClient) -> None:
    client.headers.update(HTML)
    assert log_in(client, "admin1") == "/admin/users"
    page = client.get("/admin/users")
    assert page.status_code == 200
    assert 'data-user="organ1"' in page.text
    assert "系统管理员" in page.text
    filtered = client.get("/admin/users", params={"role": "inquirer", "sort": "nonsense"})
    assert filtered.status_code == 200
    assert 'data-user="organ1"' in filtered.text
    assert 'data-user="admin1"' not in filtered.text
    defaults = client.get("/admin/users", params={"role": "", "org": "", "state": "", "q": ""})
    assert defaults.status_code == 200
    empty = client.get("/admin/users", params={"q": "nobody-here"})
    assert "没有匹配的账号" in empty.text or "No account matches" in empty.text
    rows = list(csv.reader(io.StringIO(client.get("/admin/users.csv").text.lstrip("\ufeff"))))
    assert rows[0][0] == "username"
    assert len(rows) == 5


def test_sysadmin_adds_disables_and_resets_through_the_pages(
    world: FastAPI, client: TestClient
) -> None:
    client.headers.update(HTML)
    log_in(client, "admin1")
    csrf = csrf_of(client.get("/admin/users").text)
    bad = client.post(
        "/admin/users",
        data={
            "csrf_token": csrf,
            "username": "x y",
            "password": "1",
            "role": "inquirer",
            "org": "GY-ORGAN",
        },
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    r = client.post(
        "/admin/users",
        data={
            "csrf_token": csrf,
            "username": "organ3",
            "password": NEW_PASSWORD,
            "role": "inquirer",
            "org": "GY-ORGAN",
            "purposes": ["licensing"],
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/admin/users/organ3?done=created"
    detail = client.get("/admin/users/organ3")
    assert detail.status_code == 200
    assert "organ3" in detail.text
    # disabling asks for confirmation first, with the reason
    ask = client.post("/admin/users/organ3/disable", data={"csrf_token": csrf, "reason": "离职"})
    assert ask.status_code == 200
    assert 'name="confirm" value="1"' in ask.text
    assert client.get("/api/v1/admin/users", params={"q": "organ3"}).json()["items"][0]["is_active"]
    done = client.post(
        "/admin/users/organ3/disable", data={"csrf_token": csrf, "reason": "离职", "confirm": "1"}
    )
    assert done.status_code == 200
    assert "停用" in done.text
    r = client.post(
        "/admin/users/organ3/password", data={"csrf_token": csrf, "password": "weak", "reason": "x"}
    )
    assert r.status_code == 422
    assert 'role="alert"' in r.text
    r = client.post(
        "/admin/users/organ3/authority",
        data={
            "csrf_token": csrf,
            "purposes": ["inspection"],
            "items": "admin_penalty",
            "reason": "授权",
        },
    )
    assert r.status_code == 200
    assert client.get("/admin/users/nobody").status_code == 404


def test_organisations_page_adds_one_and_shows_its_kind(world: FastAPI, client: TestClient) -> None:
    client.headers.update(HTML)
    log_in(client, "admin1")
    page = client.get("/admin/organisations")
    assert page.status_code == 200
    assert 'data-org="GY-ORGAN"' in page.text
    csrf = csrf_of(page.text)
    r = client.post(
        "/admin/organisations",
        data={
            "csrf_token": csrf,
            "code": "XY-INST",
            "name": "贵州某信用评价有限公司",
            "kind": "institution",
            "parent": "GZ-SCO",
            "region": "",
            "uscc": "",
            "organ_kind": "",
        },
    )
    assert r.status_code == 200
    assert 'data-org="XY-INST"' in r.text
    assert "信用服务机构" in r.text
    assert "institution" not in re.sub(r"<[^>]+>", "", r.text.split("<main", 1)[1]).split()
    bad = client.post(
        "/admin/organisations",
        data={"csrf_token": csrf, "code": "Q", "name": "某", "kind": "organ", "region": "99"},
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    csv_text = client.get("/admin/organisations.csv").text
    assert "XY-INST" in csv_text


def test_other_roles_get_the_forbidden_page(world: FastAPI, client: TestClient) -> None:
    client.headers.update(HTML)
    anonymous = client.get("/admin/users", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")
    log_in(client, "auditor1")
    assert client.get("/admin/users").status_code == 403
