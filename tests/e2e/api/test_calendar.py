"""``GET /api/v1/calendar/deadline`` and the credit office's overrides (API.md, RGT-6)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from xinyong.core.actor import Actor, Role
from xinyong.web.deps import get_actor

URL = "/api/v1/calendar/deadline"
OFFICE = Actor(role=Role.CREDIT_OFFICE, user_id=1, username="office", display_name="省信用办")
PROVIDER = Actor(role=Role.PROVIDER, user_id=2, username="dept", display_name="市场监管局")


@pytest.fixture
def as_actor(app: FastAPI) -> Iterator[dict[str, Actor]]:
    """Set ``as_actor["actor"]`` to act as that account (authentication is not under test)."""
    holder: dict[str, Actor] = {}
    app.dependency_overrides[get_actor] = lambda: holder["actor"]
    yield holder
    app.dependency_overrides.pop(get_actor, None)


@pytest.mark.parametrize(("n", "due"), [(1, "2026-10-08"), (3, "2026-10-10"), (5, "2026-10-13")])
def test_deadline_over_national_day(client: TestClient, n: int, due: str) -> None:
    r = client.get(URL, params={"start": "2026-09-30", "working_days": n})
    assert r.status_code == 200
    assert r.json() == {"start": "2026-09-30", "working_days": n, "due": due}


def test_uncovered_year_is_422_calendar_not_covered(client: TestClient) -> None:
    r = client.get(URL, params={"start": "2026-12-30", "working_days": 5})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "calendar_not_covered"
    assert "2027" in error["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-02-30", "working_days": "3"},
        {"start": "yesterday", "working_days": "3"},
        {"working_days": "3"},
        {"start": "2026-09-30"},
        {"start": "2026-09-30", "working_days": "-1"},
        {"start": "2026-09-30", "working_days": "1001"},
        {"start": "2026-09-30", "working_days": "three"},
    ],
)
def test_bad_input_is_422(client: TestClient, params: dict[str, str]) -> None:
    r = client.get(URL, params=params)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_input"


def test_override_changes_the_deadline(client: TestClient, as_actor: dict[str, Actor]) -> None:
    as_actor["actor"] = OFFICE
    r = client.post(
        "/api/v1/calendar/overrides",
        json={"day": "2026-10-08", "is_workday": False, "note": "地方性假日"},
    )
    assert r.status_code == 200
    assert r.json()["set_by"] == "省信用办"
    due = client.get(URL, params={"start": "2026-09-30", "working_days": 3}).json()["due"]
    assert due == "2026-10-12"
    listed = client.get("/api/v1/calendar/overrides", params={"year": 2026}).json()
    assert [i["day"] for i in listed["items"]] == ["2026-10-08"]


def test_configured_year(client: TestClient, as_actor: dict[str, Actor]) -> None:
    as_actor["actor"] = OFFICE
    r = client.post("/api/v1/calendar/years", json={"year": 2027, "note": "国办通知"})
    assert r.status_code == 200
    due = client.get(URL, params={"start": "2026-12-30", "working_days": 3}).json()["due"]
    assert due == "2027-01-04"  # no holidays entered: Thu 31, Fri 1, Mon 4


def test_overrides_need_the_credit_office(client: TestClient, as_actor: dict[str, Actor]) -> None:
    as_actor["actor"] = PROVIDER
    body = {"day": "2026-10-08", "is_workday": False, "note": "x"}
    r = client.post("/api/v1/calendar/overrides", json=body)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"


def test_anonymous_override_is_401(client: TestClient) -> None:
    body = {"day": "2026-10-08", "is_workday": False, "note": "x"}
    r = client.post("/api/v1/calendar/overrides", json=body)
    assert r.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"day": "2026-13-01", "is_workday": False, "note": "x"},
        {"day": "2026-10-08", "note": "x"},
        {"day": "2026-10-08", "is_workday": False, "note": ""},
        {"day": "2026-10-08", "is_workday": False, "note": "   "},
    ],
)
def test_bad_override_is_422(
    client: TestClient, as_actor: dict[str, Actor], body: dict[str, object]
) -> None:
    as_actor["actor"] = OFFICE
    r = client.post("/api/v1/calendar/overrides", json=body)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_input"


def test_covered_year_cannot_be_configured(client: TestClient, as_actor: dict[str, Actor]) -> None:
    as_actor["actor"] = OFFICE
    r = client.post("/api/v1/calendar/years", json={"year": 2026, "note": "x"})
    assert r.status_code == 422
