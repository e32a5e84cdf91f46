"""The special credit report (专项信用报告) over HTTP: a period with a repaired penalty
(marked 已修复), a domain with no records (stated plainly), verified by its number."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD
from tests.factories.repair import RepairWorld, make_repair_world
from xinyong.accounts.models import Organisation
from xinyong.core.clock import Clock
from xinyong.documents.pdf import page_texts, render_document
from xinyong.reports import content as builder
from xinyong.reports import document, service, special
from xinyong.reports import repository as repo
from xinyong.subjects.service import find_by_code


@pytest.fixture
def world(db: Session, clock: Clock) -> RepairWorld:
    made = make_repair_world(db, at=clock.now(), seq=731)
    org = db.scalar(select(Organisation).where(Organisation.code == "GY-SJJ"))
    assert org is not None
    org.sector = "market_regulation"
    db.commit()
    return made


def login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def repair(client: TestClient, record_id: int) -> None:
    subject, provider = login(client, "subject731"), login(client, "sjj_repair")
    body = {"record_id": record_id, "statement": "罚款已缴清", "evidence": ["缴款凭证"]}
    filed = client.post("/api/v1/repairs", json=body, headers=subject)
    assert filed.status_code == 201, filed.text
    decided = client.post(
        f"/api/v1/repairs/{filed.json()['id']}/decision",
        json={"outcome": "repaired", "reason": "已履行"},
        headers=provider,
    )
    assert decided.status_code == 200, decided.text


def test_domains_are_shipped_data_anyone_reads(client: TestClient) -> None:
    r = client.get("/api/v1/special-report/domains")
    assert r.status_code == 200
    items = {d["code"]: d["name"] for d in r.json()["items"]}
    assert items["market_regulation"] == "市场监管"
    assert {"tax", "ecology_environment", "work_safety", "fire_safety", "finance"} <= set(items)


def test_special_report_marks_the_repaired_penalty_states_an_empty_domain_and_verifies(
    client: TestClient, db: Session, clock: Clock, world: RepairWorld
) -> None:
    repair(client, world.general_id)
    subject = login(client, "subject731")
    query = "from=2026-01-01&to=2026-09-30&domains=market_regulation,tax"
    r = client.get(f"/api/v1/me/special-report.pdf?{query}", headers=subject)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    number = r.headers["X-Report-Number"]
    verified = client.get(f"/api/v1/reports/{number}")
    assert verified.status_code == 200
    body = verified.json()
    assert body["kind"] == "special"
    assert body["from"] == "2026-01-01"
    assert body["to"] == "2026-09-30"
    assert body["domains"] == ["market_regulation", "tax"]
    plain = client.get("/api/v1/me/report.pdf", headers=subject).headers["X-Report-Number"]
    assert "from" not in client.get(f"/api/v1/reports/{plain}").json()

    # The same content as the register's digest, laid out: the repaired one marked, the empty
    # domain stated.
    held = find_by_code(db, world.code)
    assert held is not None
    records = builder.self_records(db, subject=held, actor=world.subject, at=clock.now())
    orgs = {r.source.provider_org_id for r in records if r.source.provider_org_id}
    content = special.special_content(
        subject=held, records=records, sectors_of=repo.sectors(db, orgs),
        start=date(2026, 1, 1), end=date(2026, 9, 30), domains=["market_regulation", "tax"],
        number=number, at=clock.now(), issued_to=world.subject.display_name,
        verify_url=document.verify_url("http://testserver/", number),
    )  # fmt: skip
    market, tax = content["sections"]
    shown = {e["id"]: e["repaired"] for e in market["records"]}
    assert shown[world.general_id] is True
    assert shown[world.serious_id] is False
    assert world.judgment_id in shown  # the regulator delivered it: its domain's entry
    assert tax["records"] == []
    digest = service.verify_report(db, number=number).digest
    text = "".join(page_texts(render_document(document.special_html(content, digest=digest))))
    assert "已修复" in text
    assert "本平台未归集到该主体在税务领域" in text
    assert number in text


def test_a_period_beyond_five_years_or_unknown_domain_is_422_and_others_are_refused(
    client: TestClient, world: RepairWorld
) -> None:
    subject = login(client, "subject731")
    r = client.get(
        "/api/v1/me/special-report.pdf?from=2020-01-01&to=2026-09-30&domains=nope",
        headers=subject,
    )
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_special_report"
    assert {d["field"] for d in error["details"]} == {"from", "domains"}
    bad = client.get("/api/v1/me/special-report.pdf?from=x&to=&domains=tax", headers=subject)
    assert bad.status_code == 422
    anon = client.get("/api/v1/me/special-report.pdf?from=x")
    assert anon.status_code == 401
    provider = client.get(
        "/api/v1/me/special-report.pdf?from=2026-01-01&to=2026-09-30&domains=tax",
        headers=login(client, "sjj_repair"),
    )
    assert provider.status_code == 403
