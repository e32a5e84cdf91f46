"""Every look at non-public information is logged and its subject sees it, over HTTP
(Art. 20, 31): ``GET /records/{id}``, ``GET /changes``, ``/records/export.csv``, list
procedures."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.e2e.api.test_inquiries import login
from tests.factories.inquiry import World, seed
from xinyong.core.clock import Clock


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> World:
    return seed(db, clock.now())


def _who_looked(client: TestClient) -> list[tuple[str, str, list[str]]]:
    subject = login(client, "q_company")
    r = client.get("/api/v1/me/inquiries", headers=subject)
    assert r.status_code == 200, r.text
    return [(i["purpose"], i["channel"], i["items"]) for i in r.json()["items"]]


def test_the_office_opening_a_non_public_record_shows_under_who_looked(
    client: TestClient, world: World
) -> None:
    office = login(client, "q_office")
    r = client.get(f"/api/v1/records/{world.tax_id}", headers=office)
    assert r.status_code == 200, r.text
    assert r.json()["versions"]
    assert _who_looked(client) == [("supervision", "record", ["tax_arrears"])]
    # A public record read leaves no row.
    assert client.get(f"/api/v1/records/{world.penalty_id}", headers=office).status_code == 200
    assert len(_who_looked(client)) == 1


def test_a_provider_opening_its_record_page_is_logged(client: TestClient, world: World) -> None:
    provider = login(client, "q_sjj")
    r = client.get(f"/api/v1/records/{world.tax_id}", headers=provider)
    assert r.status_code == 200, r.text
    assert _who_looked(client) == [("delivery_management", "record", ["tax_arrears"])]


def test_feed_and_export_reads_are_logged_per_subject(client: TestClient, world: World) -> None:
    office = login(client, "q_office")
    r = client.get("/api/v1/changes?limit=100", headers=office)
    assert r.status_code == 200, r.text
    r = client.get("/api/v1/records/export.csv?item=tax_arrears", headers=office)
    assert r.status_code == 200, r.text
    assert sorted(_who_looked(client)) == [
        ("supervision", "export", ["tax_arrears"]),
        ("supervision", "feed", ["tax_arrears"]),
    ]


def test_the_subjects_page_shows_the_offices_look(client: TestClient, world: World) -> None:
    from tests.e2e.api.test_inquiry_pages import log_in

    office = login(client, "q_office")
    assert client.get(f"/api/v1/records/{world.tax_id}", headers=office).status_code == 200
    log_in(client, "q_company")
    page = client.get("/me/inquiries")
    assert page.status_code == 200
    assert "贵州省信用办" in page.text
    assert "信用主管部门监督管理" in page.text
    assert "查阅记录及其各版本" in page.text
