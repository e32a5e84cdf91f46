"""The catalogue over HTTP: ``/api/v1/catalogue`` and the public catalogue pages."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.catalogue import OFFICE, PROVIDER, item_payload
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor
from xinyong.core.clock import Clock
from xinyong.web.deps import get_actor

API = "/api/v1/catalogue"


@pytest.fixture
def catalogue_app(app: FastAPI) -> FastAPI:
    # Until the lead adds "catalogue" to UI_MODULES, mount the pages here.
    if not any(getattr(r, "path", None) == "/catalogue" for r in app.routes):
        from xinyong.web.ui import catalogue as ui

        app.include_router(ui.router)
    return app


@pytest.fixture
def loaded(db: Session, clock: Clock) -> None:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())


@pytest.fixture
def as_office(catalogue_app: FastAPI) -> Iterator[TestClient]:
    yield from _client_as(catalogue_app, OFFICE)


@pytest.fixture
def as_public(catalogue_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(catalogue_app) as c:
        yield c


def _client_as(app: FastAPI, actor: Actor) -> Iterator[TestClient]:
    app.dependency_overrides[get_actor] = lambda: actor
    try:
        with TestClient(app) as c:
            yield c
    finally:
        app.dependency_overrides.pop(get_actor, None)


def _error(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return dict(body["error"])


STABLE = {
    "registration_basic": "登记注册基本信息",
    "admin_licensing": "行政许可",
    "admin_penalty": "行政处罚",
    "business_abnormality": "经营异常名录",
    "serious_dishonesty": "严重失信主体名单",
    "judgment_default": "失信被执行人",
    "credit_commitment": "信用承诺",
}


@pytest.mark.usefixtures("loaded")
def test_stable_codes_are_served(as_public: TestClient) -> None:
    r = as_public.get(f"{API}/items")
    assert r.status_code == 200
    items = {i["code"]: i for i in r.json()["items"]}
    for code, name in STABLE.items():
        assert items[code]["name"] == name
    assert "red_list" in items
    penalty = items["admin_penalty"]
    for key in ("tier", "publicity", "polarity", "subject_types", "update_frequency", "fields"):
        assert key in penalty
    assert (penalty["tier"], penalty["publicity"], penalty["polarity"]) == (
        "national",
        "public",
        "negative",
    )
    assert (penalty["version"], penalty["status"]) == (1, "published")
    codes = {f["code"] for f in penalty["fields"]}
    assert {"XDR_MC", "CF_WSH", "CF_JDRQ", "severity"} <= codes
    assert "gz_tourism_complaint" not in items


@pytest.mark.usefixtures("loaded")
def test_filters_by_tier_and_status(as_public: TestClient) -> None:
    local = as_public.get(f"{API}/items", params={"tier": "local"}).json()["items"]
    assert local
    assert all(i["tier"] == "local" for i in local)
    drafts = as_public.get(f"{API}/items", params={"status": "draft"}).json()["items"]
    assert [i["code"] for i in drafts] == ["gz_tourism_complaint"]
    _error(as_public.get(f"{API}/items", params={"tier": "galactic"}), 422, "invalid_input")
    _error(as_public.get(f"{API}/items", params={"status": "lost"}), 422, "invalid_input")
    _error(as_public.get(f"{API}/items", params={"sort": "secret"}), 422, "invalid_input")


@pytest.mark.usefixtures("loaded")
def test_item_detail_with_versions(as_public: TestClient) -> None:
    r = as_public.get(f"{API}/items/admin_penalty")
    assert r.status_code == 200
    body = r.json()
    assert body["current"]["version"] == 1
    assert [v["status"] for v in body["versions"]] == ["published"]
    _error(as_public.get(f"{API}/items/no_such_item"), 404, "not_found")


def test_lifecycle_over_http(as_office: TestClient) -> None:
    r = as_office.post(f"{API}/items", json=item_payload())
    assert r.status_code == 201, r.text
    assert (r.json()["status"], r.json()["version"]) == ("draft", 1)
    assert as_office.post(f"{API}/items/gz_test_item/comment").json()["status"] == (
        "public_comment"
    )
    r = as_office.post(
        f"{API}/items/gz_test_item/opinions",
        json={"source_name": "贵州省律师协会", "source_kind": "association", "content": "赞成"},
    )
    assert r.status_code == 201
    assert r.json()["source_name"] == "贵州省律师协会"
    assert as_office.post(f"{API}/items/gz_test_item/report", json={"reason": "报省政府"}).json()[
        "status"
    ] == ("reported")
    r = as_office.post(f"{API}/items/gz_test_item/publish", json={"effective_on": "2026-09-30"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "published"
    listed = as_office.get(f"{API}/items").json()["items"]
    assert "gz_test_item" in [i["code"] for i in listed]
    detail = as_office.get(f"{API}/items/gz_test_item").json()
    assert detail["versions"][0]["opinions"][0]["content"] == "赞成"

    r = as_office.post(f"{API}/items/gz_test_item/versions", json={"name": "第二版"})
    assert r.status_code == 201
    assert (r.json()["version"], r.json()["name"]) == (2, "第二版")


def test_local_item_without_legal_basis_is_refused_with_422(as_office: TestClient) -> None:
    assert as_office.post(f"{API}/items", json=item_payload(legal_basis="")).status_code == 201
    as_office.post(f"{API}/items/gz_test_item/comment")
    as_office.post(f"{API}/items/gz_test_item/report")
    r = as_office.post(f"{API}/items/gz_test_item/publish", json={"effective_on": "2026-10-08"})
    err = _error(r, 422, "legal_basis_required")
    assert "legal basis" in err["message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/items", {"code": "x"}, 422),
        ("post", "/items", item_payload(tier="national"), 422),
        ("post", "/items", item_payload(category="unknown_cat"), 422),
        ("post", "/items/nope/comment", None, 404),
        ("post", "/items/nope/report", None, 404),
        ("post", "/items/nope/publish", {"effective_on": "2026-10-08"}, 404),
        ("post", "/items/nope/versions", None, 404),
        ("post", "/items/gz_test_item/publish", {"effective_on": "not-a-date"}, 422),
        ("post", "/items/gz_test_item/publish", {}, 422),
        ("post", "/items/gz_test_item/publish", {"effective_on": "2026-10-08"}, 409),
        ("post", "/items/gz_test_item/report", None, 409),
        ("post", "/items/gz_test_item/opinions", {"source_kind": "alien"}, 422),
        (
            "post",
            "/items/gz_test_item/opinions",
            {"source_name": "甲", "source_kind": "public", "content": "x"},
            409,
        ),
        ("post", "/items/gz_test_item/versions", {"publicity": "everyone"}, 422),
        ("post", "/items/gz_test_item/versions", None, 409),
        ("delete", "/items/gz_test_item", None, 405),
    ],
)
def test_bad_input_gets_the_error_shape(
    as_office: TestClient, method: str, path: str, body: Any, status: int
) -> None:
    assert as_office.post(f"{API}/items", json=item_payload()).status_code == 201
    r = as_office.request(method, f"{API}{path}", json=body)
    _error(r, status)


def test_only_the_credit_office_writes(catalogue_app: FastAPI) -> None:
    with TestClient(catalogue_app) as anon:
        _error(anon.post(f"{API}/items", json=item_payload()), 401, "not_authenticated")
    for c in _client_as(catalogue_app, PROVIDER):
        _error(c.post(f"{API}/items", json=item_payload()), 403, "forbidden")


@pytest.mark.usefixtures("loaded")
def test_catalogue_pages(as_public: TestClient) -> None:
    r = as_public.get("/catalogue")
    assert r.status_code == 200
    assert "admin_penalty" in r.text
    assert "行政处罚" in r.text
    assert "国家基础目录" in r.text  # codes are shown as words in the page language
    assert ">national<" not in r.text
    desc = as_public.get("/catalogue", params={"sort": "code", "order": "desc"}).text
    assert desc.index("registration_basic") < desc.index("admin_penalty")
    # The filter submitted with its default "all", or a bad value, shows the page (issue 14).
    assert as_public.get("/catalogue", params={"sort": "bogus"}).status_code == 200
    every = as_public.get("/catalogue", params={"tier": "", "sort": "code", "order": "asc"})
    assert every.status_code == 200
    assert "registration_basic" in every.text
    bad = as_public.get("/catalogue", params={"tier": "galactic"})
    assert bad.status_code == 200
    assert 'id="err-tier"' in bad.text

    r = as_public.get("/catalogue/admin_penalty")
    assert r.status_code == 200
    assert "CF_WSH" in r.text
    assert "行政处罚决定书文号" in r.text
    assert as_public.get("/catalogue/nope").status_code == 404

    csv = as_public.get("/catalogue.csv", params={"tier": "local"})
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("code,name,tier")
    assert all(",local," in line for line in lines[1:])
    assert any(line.startswith("gz_volunteer_service,") for line in lines)


def test_empty_catalogue_page_says_what_would_fill_it(as_public: TestClient) -> None:
    r = as_public.get("/catalogue")
    assert r.status_code == 200
    assert "尚未公布任何目录项" in r.text
    en = as_public.get("/catalogue", params={"lang": "en"}).text
    assert "No catalogue item is published yet" in en
