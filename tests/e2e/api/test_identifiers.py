"""``GET /api/v1/identifiers/check`` (API.md, SUB-2)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.subjects.service import add_allowlisted_uscc

URL = "/api/v1/identifiers/check"


def test_valid_uscc(client: TestClient) -> None:
    r = client.get(URL, params={"value": "91520000214434146R"})
    assert r.status_code == 200
    assert r.json() == {
        "valid": True,
        "kind": "uscc",
        "normalized": "91520000214434146R",
        "error": None,
    }


def test_valid_resident_id_normalised(client: TestClient) -> None:
    r = client.get(URL, params={"value": " 11010519491231002x "})
    assert r.json() == {
        "valid": True,
        "kind": "resident_id",
        "normalized": "11010519491231002X",
        "error": None,
    }


@pytest.mark.parametrize(
    ("value", "kind", "fragment"),
    [
        ("91520000214434146A", "uscc", "check character should be R"),
        ("9152000021443414IR", "uscc", "character 'I' is not allowed"),
        ("11010519491331002X", "resident_id", "birth date 1949-13-31 does not exist"),
        ("110105194912310021", "resident_id", "check character should be X"),
        ("12345", None, "this one has 5"),
    ],
)
def test_invalid_values_are_200_with_the_reason(
    client: TestClient, value: str, kind: str | None, fragment: str
) -> None:
    r = client.get(URL, params={"value": value})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"valid", "kind", "normalized", "error"}
    assert body["valid"] is False
    assert body["kind"] == kind
    assert fragment in body["error"]


@pytest.mark.parametrize("params", [{}, {"value": ""}, {"value": "   "}, {"value": "9" * 201}])
def test_missing_or_empty_value_is_422(client: TestClient, params: dict[str, str]) -> None:
    r = client.get(URL, params=params)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["message"]
    assert isinstance(error["details"], list)


def test_allow_listed_pilot_code_is_valid(client: TestClient, db: Session, clock: Clock) -> None:
    pilot = "91520000214434146A"
    assert client.get(URL, params={"value": pilot}).json()["valid"] is False
    office = Actor(role=Role.CREDIT_OFFICE, user_id=1, username="office")
    add_allowlisted_uscc(db, actor=office, code=pilot, note="试点地区早期代码", at=clock.now())
    assert client.get(URL, params={"value": pilot}).json() == {
        "valid": True,
        "kind": "uscc",
        "normalized": pilot,
        "error": None,
    }
