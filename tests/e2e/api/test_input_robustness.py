"""No 500s for any input (issue 12 item 3): integers beyond 64 bits in paths, queries and
bodies, lone surrogates and NUL in JSON strings, objects where strings belong, decision dates
no organ can have — each answers 422 in the error shape (a page: the error page, not JSON), over
records, objections, inquiries, checks, public subjects and lists, on each backend."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD, make_org, make_user
from tests.integration.records.test_service import penalty_fields
from tests.support.web import log_in
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import Clock
from xinyong.records.models import Record

BIG = 2**64
USCC = "91520000214434146R"


@pytest.fixture
def who(app: FastAPI, db: Session, clock: Clock, client: TestClient) -> dict[str, Any]:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="sjj", org_code="GY-SJJ")
    make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1")
    make_user(db, at=clock.now(), role=Role.INQUIRER, username="organ")
    make_user(db, at=clock.now(), role=Role.SUBJECT, username="firm", subject_code=USCC)
    db.commit()
    tokens: dict[str, Any] = {"public": {}}
    for name in ("sjj", "office1", "organ", "firm"):
        r = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
        assert r.status_code == 200, r.text
        tokens[name] = {"Authorization": f"Bearer {r.json()['access_token']}"}
    return tokens


def record_body(**kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "item": "admin_penalty",
        "source_id": "SJJ-ROBUST-1",
        "subject": {"type": "legal_person", "id": USCC, "name": "贵州示例商贸有限公司"},
        "fields": penalty_fields(),
    }
    data.update(kw)
    return data


def post_raw(client: TestClient, path: str, document: Any, auth: dict[str, str]) -> Any:
    """POST a body byte for byte as ``json.dumps`` writes it (escapes kept: a lone surrogate
    travels as ``\\ud800``, as a hostile client would send it)."""
    headers = {**auth, "Content-Type": "application/json"}
    return client.post(path, content=json.dumps(document).encode("ascii"), headers=headers)


def assert_refused(r: Any, *, statuses: tuple[int, ...] = (422,)) -> None:
    assert r.status_code in statuses, (r.status_code, r.text[:500])
    error = r.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert isinstance(error["code"], str)
    assert error["message"]


PATH_IDS = [
    ("sjj", "GET", f"/api/v1/records/{BIG}", None),
    ("sjj", "POST", f"/api/v1/records/{BIG}/withdrawal", {"reason": "r", "basis": "b"}),
    ("office1", "GET", f"/api/v1/objections/{BIG}", None),
    (
        "office1",
        "POST",
        f"/api/v1/objections/{BIG}/decision",
        {"outcome": "rejected", "reason": "r"},
    ),
    ("organ", "DELETE", f"/api/v1/consents/{BIG}", None),
    ("office1", "GET", f"/api/v1/checks/{BIG}/measures", None),
    ("office1", "GET", f"/api/v1/lists/procedures/{BIG}", None),
    ("office1", "POST", f"/api/v1/lists/entries/{BIG}/removal", {"reason": "r"}),
    ("firm", "GET", f"/api/v1/repairs/{BIG}", None),
]


@pytest.mark.parametrize(("user", "method", "path", "body"), PATH_IDS)
def test_an_id_beyond_64_bits_in_a_path(
    who: dict[str, Any], client: TestClient, user: str, method: str, path: str, body: Any
) -> None:
    r = client.request(method, path, json=body, headers=who[user])
    assert_refused(r, statuses=(404, 422))


QUERIES = [
    ("organ", "/api/v1/inquiries", {"page": BIG}),
    ("public", "/api/v1/public/subjects", {"q": "贵州示例", "page": BIG}),
    ("public", "/api/v1/public/subjects", {"q": "贵州示例", "limit": BIG}),
    ("firm", "/api/v1/repairs/eligibility", {"record_id": BIG}),
    ("office1", "/api/v1/violations", {"page": BIG}),
    ("public", "/api/v1/audit/proofs/inclusion", {"seq": BIG}),
]


@pytest.mark.parametrize(("user", "path", "params"), QUERIES)
def test_an_integer_beyond_64_bits_in_a_query(
    who: dict[str, Any], client: TestClient, user: str, path: str, params: dict[str, Any]
) -> None:
    assert_refused(client.get(path, params=params, headers=who[user]))


def test_an_integer_beyond_64_bits_in_a_body(
    who: dict[str, Any], client: TestClient, db: Session
) -> None:
    bodies = [
        ("sjj", "/api/v1/records", record_body(fields=penalty_fields(CF_NR_FK=BIG))),
        ("firm", "/api/v1/objections", {"record_id": BIG, "reason": "有误"}),
        ("firm", "/api/v1/repairs", {"record_id": BIG, "statement": "已整改"}),
        ("office1", "/api/v1/lists/procedures", {
            "subject": USCC, "ground": "x", "legal_basis": "b", "facts": "f", "records": [BIG],
        }),
    ]  # fmt: skip
    for user, path, body in bodies:
        assert_refused(post_raw(client, path, body, who[user]))
    assert db.scalar(select(func.count()).select_from(Record)) == 0


@pytest.mark.parametrize("bad", ["\ud800", "贵州\udfff", "a\u0000b"])
def test_lone_surrogates_and_nul_in_json_strings(
    who: dict[str, Any], client: TestClient, db: Session, bad: str
) -> None:
    bodies = [
        ("sjj", "/api/v1/records", record_body(subject={"type": "legal_person", "id": USCC,
                                                        "name": bad})),
        ("sjj", "/api/v1/records", record_body(fields=penalty_fields(CF_WFXW=bad))),
        ("firm", "/api/v1/objections", {"kind": "omission", "item": "admin_penalty",
                                        "reason": bad}),
        ("organ", "/api/v1/inquiries", {"subject": bad, "purpose": "administrative_licensing"}),
        ("office1", "/api/v1/checks", {"subject": bad, "matter": "m"}),
        ("office1", "/api/v1/lists/procedures", {
            "subject": USCC, "ground": "x", "legal_basis": bad, "facts": "f",
        }),
        ("sjj", "/api/v1/records", {bad: 1}),  # in a key too
    ]  # fmt: skip
    for user, path, body in bodies:
        assert_refused(post_raw(client, path, body, who[user]))
    assert db.scalar(select(func.count()).select_from(Record)) == 0


def test_nul_in_a_path_or_query(who: dict[str, Any], client: TestClient) -> None:
    assert_refused(client.get("/api/v1/public/subjects/9152%00"), statuses=(404, 422))
    assert_refused(client.get("/api/v1/public/subjects?q=%E8%B4%B5%00%E5%B7%9E"))
    assert_refused(client.get("/api/v1/inquiries?subject=%00", headers=who["organ"]))


def test_an_object_where_a_string_belongs_is_refused_never_stringified(
    who: dict[str, Any], client: TestClient, db: Session
) -> None:
    obj = {"$ne": "x", "nested": [1, 2]}
    bodies = [
        ("sjj", "/api/v1/records", record_body(fields=penalty_fields(CF_WFXW=obj))),
        ("sjj", "/api/v1/records", record_body(fields=penalty_fields(CF_NR=[1, 2]))),
        ("sjj", "/api/v1/records", record_body(subject={"type": "legal_person", "id": obj,
                                                        "name": "x"})),
        ("firm", "/api/v1/objections", {"kind": "omission", "item": "admin_penalty",
                                        "reason": obj}),
        ("organ", "/api/v1/inquiries", {"subject": USCC, "purpose": obj}),
        ("office1", "/api/v1/checks", {"subject": obj, "matter": "m"}),
        ("office1", "/api/v1/lists/procedures", {
            "subject": obj, "ground": "x", "legal_basis": "b", "facts": "f",
        }),
    ]  # fmt: skip
    for user, path, body in bodies:
        assert_refused(client.post(path, json=body, headers=who[user]))
    assert db.scalar(select(func.count()).select_from(Record)) == 0


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01", "9999-12-31"])
def test_a_decision_date_no_organ_can_have(
    who: dict[str, Any], client: TestClient, db: Session, day: str
) -> None:
    bodies = [
        ("sjj", "/api/v1/records", record_body(decided_on=day)),
        ("sjj", "/api/v1/records", record_body(fields=penalty_fields(CF_JDRQ=day))),
        ("sjj", "/api/v1/records/batches", {"records": [record_body(decided_on=day)]}),
        ("office1", "/api/v1/lists/procedures/1/service", {"method": "direct", "served_on": day}),
        ("office1", "/api/v1/red-list", {"subject": USCC, "adopted_on": day}),
    ]
    for user, path, body in bodies:
        r = client.post(path, json=body, headers=who[user])
        assert r.status_code < 500, (path, r.status_code, r.text[:300])
        if path.endswith("/records"):
            assert_refused(r)
        if path.endswith("/batches"):
            assert r.status_code in (200, 422), r.text
            if r.status_code == 200:
                assert r.json()["accepted"] == 0, r.text
    assert db.scalar(select(func.count()).select_from(Record)) == 0


def test_a_valid_delivery_still_passes(who: dict[str, Any], client: TestClient) -> None:
    """The bounds refuse only what cannot be held: a plain delivery is accepted as before."""
    r = client.post("/api/v1/records", json=record_body(), headers=who["sjj"])
    assert r.status_code == 201, r.text
    assert r.json()["fields"]["CF_WFXW"] == "未按规定公示年度报告"


def test_pages_answer_bad_values_with_a_page_not_json(
    who: dict[str, Any], client: TestClient
) -> None:
    """As the provider the pages are for (an anonymous visitor is sent to the login page
    before any value is read)."""
    log_in(client, "sjj")
    page = {"Accept": "text/html"}
    paths = (
        f"/provider/records/{BIG}",
        f"/provider/batches/{BIG}",
        f"/provider/records?page={BIG}",
        f"/objections/{BIG}",
        f"/public/search?q=贵州&page={BIG}",
        "/public/search?q=%00",
    )
    for path in paths:
        r = client.get(path, headers=page, follow_redirects=False)
        assert r.status_code == 422, (path, r.status_code)
        assert r.headers["content-type"].startswith("text/html"), (path, r.text[:200])


def test_nul_in_a_form_shows_a_page_with_the_reason(client: TestClient) -> None:
    r = client.post(
        "/login",
        content=b"username=a%00b&password=x",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"},
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert "NUL" in r.text


def test_an_overflow_past_the_edge_is_still_a_422_not_a_500(app: FastAPI) -> None:
    """The last line of defence: a value the database cannot hold that some route let through
    (here an OverflowError as SQLite raises it) answers 422, logged as a warning."""

    @app.get("/api/v1/_test/overflow")
    def overflow() -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    with TestClient(app) as c:
        r = c.get("/api/v1/_test/overflow")
    assert_refused(r)
    assert r.json()["error"]["code"] == "invalid_input"
