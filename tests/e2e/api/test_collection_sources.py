"""Collection sources and list-item deliveries over HTTP (issue 11 item 2; Art. 12, 25, 26):
``/catalogue/items/{code}/sources`` (credit office, audited) and ``POST /records`` /
``POST /records/batches`` of items with restricted sources."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.e2e.api.test_records import api, login  # noqa: F401  (the fixture)
from tests.integration.records.test_collection_sources import listing_fields

SOURCES = "/api/v1/catalogue/items/serious_dishonesty/sources"


def listing(**changes: Any) -> dict[str, Any]:
    return {"item": "serious_dishonesty", "source_id": "YZ-1", "fields": listing_fields(**changes)}


def test_only_a_registered_source_delivers_a_list_item(
    api: FastAPI,  # noqa: F811
    client: TestClient,
) -> None:
    sjj, swj, office = login(client, "sjj"), login(client, "swj"), login(client, "office1")
    refused = client.post("/api/v1/records", json=listing(), headers=sjj)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "not_a_collection_source"
    csv = ",".join(listing_fields()) + "\n" + ",".join(listing_fields().values()) + "\n"
    files = {"file": ("yz.csv", csv.encode(), "text/csv")}
    batch = client.post(
        "/api/v1/records/batches", data={"item": "serious_dishonesty"}, files=files, headers=sjj
    )
    assert batch.status_code == 403
    assert batch.json()["error"]["code"] == "not_a_collection_source"

    # Only the credit office registers sources.
    assert client.post(SOURCES, json={"org": "GY-SJJ"}, headers=sjj).status_code == 403
    r = client.post(SOURCES, json={"org": "GY-SJJ", "basis": "严重违法失信名单管理办法"},
                    headers=office)  # fmt: skip
    assert r.status_code == 201, r.text
    assert (r.json()["org"], r.json()["kind"]) == ("GY-SJJ", "listing_department")
    listed = client.get(SOURCES, headers=office).json()
    assert listed["restricted_sources"] is True
    assert [s["org"] for s in listed["items"]] == ["GY-SJJ"]
    assert client.post(SOURCES, json={"org": "GY-SJJ"}, headers=office).status_code == 409
    wrong = client.post(SOURCES, json={"org": "GY-SJJ", "kind": "court"}, headers=office)
    assert wrong.status_code == 422
    assert wrong.json()["error"]["code"] == "source_kind_mismatch"

    missing = client.post("/api/v1/records", json=listing(YZ_GZSDRQ=None), headers=sjj)
    assert missing.status_code == 422, missing.text
    assert [d["field"] for d in missing.json()["error"]["details"]] == ["YZ_GZSDRQ"]
    r = client.post("/api/v1/records", json=listing(), headers=sjj)
    assert r.status_code == 201, r.text
    batch = client.post(
        "/api/v1/records/batches", data={"item": "serious_dishonesty"}, files=files, headers=sjj
    )
    assert batch.status_code == 200, batch.text
    assert batch.json()["rejected"] == []
    other = client.post("/api/v1/records", json=listing(YZ_RDWH="另一号"), headers=swj)
    assert other.status_code == 403

    ended = client.delete(f"{SOURCES}/GY-SJJ", params={"reason": "职责调整"}, headers=office)
    assert ended.status_code == 200, ended.text
    assert ended.json()["ended_at"] is not None
    again = client.post("/api/v1/records", json=listing(YZ_RDWH="黔市监信〔2026〕99号"),
                        headers=sjj)  # fmt: skip
    assert again.status_code == 403
    gone = client.delete(f"{SOURCES}/GY-SJJ", params={"reason": "x"}, headers=office)
    assert gone.status_code == 404
    assert client.delete(f"{SOURCES}/GY-SJJ", headers=office).status_code == 422  # no reason


def test_bad_registrations_are_clear_4xx(
    api: FastAPI,  # noqa: F811
    client: TestClient,
) -> None:
    office = login(client, "office1")
    assert client.get(SOURCES).status_code == 401
    unknown = client.post(SOURCES, json={"org": "NOBODY"}, headers=office)
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "unknown_organisation"
    no_item = client.post("/api/v1/catalogue/items/nope/sources", json={"org": "GY-SJJ"},
                          headers=office)  # fmt: skip
    assert no_item.status_code == 404
    garbage = client.post(SOURCES, json={"org": "\x00" * 100}, headers=office)
    assert garbage.status_code == 422
