"""The credit-repair notice served with the decision (信用修复告知书, 两书同达): a provider's
delivery of a repairable negative record puts a notice with the rule set's earliest repair
date in the subject's inbox; the provider downloads it; the subject's record page shows it."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD
from tests.factories.disclosure import penalty_fields
from tests.factories.repair import COMPANY, RepairWorld, make_repair_world
from xinyong.core.clock import Clock
from xinyong.repair.notices import issue_due_repair_notices


@pytest.fixture
def world(db: Session, clock: Clock) -> RepairWorld:
    return make_repair_world(db, at=clock.now(), seq=741)


def login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def notices(client: TestClient, headers: dict[str, str]) -> dict[int, dict[str, object]]:
    inbox = client.get("/api/v1/me/inbox", headers=headers)
    assert inbox.status_code == 200, inbox.text
    return {int(i["record_id"]): i for i in inbox.json()["items"] if i["kind"] == "repair_notice"}


def test_a_delivered_penalty_brings_its_notice_with_the_earliest_date(
    client: TestClient, world: RepairWorld
) -> None:
    provider = login(client, "sjj_repair")
    fields = penalty_fields(
        person=False, name=COMPANY, code=world.code, decided_on=date(2026, 9, 20),
        doc="筑市监罚〔2026〕741-20号",
    )  # fmt: skip
    body = {
        "item": "admin_penalty", "source_id": "cf-741-20", "severity": "serious",
        "subject": {"type": "legal_person", "id": world.code, "name": COMPANY},
        "fields": fields, "decided_on": "2026-09-20",
    }  # fmt: skip
    r = client.post("/api/v1/records", json=body, headers=provider)
    assert r.status_code == 201, r.text
    record_id = r.json()["id"]

    subject = login(client, "subject741")
    found = notices(client, subject)
    assert record_id in found
    # Serious, decided 2026-09-20 under Order 36: one year's minimum publicity.
    assert found[record_id]["repairable_from"] == "2027-09-20"
    # The records the world delivered before, through the service, the same pass noticed;
    # general under Order 36: 3 months; the judgment default cannot be repaired by law.
    assert found[world.general_id]["repairable_from"] == "2026-08-20"
    assert world.judgment_id not in found
    doc = client.get(f"/api/v1/documents/{found[record_id]['number']}", headers=subject).json()
    facts = dict(doc["body"]["facts"])
    assert facts["最早可申请修复日期 Earliest repair date"] == "2027-09-20"
    assert "严重" in facts["失信等级 Class"]
    assert "公开信用承诺书" in facts["提交材料 What to submit"]

    pdf = client.get(f"/api/v1/records/{record_id}/repair-notice.pdf", headers=provider)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    other = client.get(
        f"/api/v1/records/{record_id}/repair-notice.pdf", headers=login(client, "swj_repair")
    )
    assert other.status_code == 404

    page = client.get("/me/credit", headers=subject)
    assert page.status_code == 200


def test_the_pass_issues_each_notice_once(db: Session, clock: Clock, world: RepairWorld) -> None:
    first = issue_due_repair_notices(db, at=clock.now())
    db.commit()
    # The four penalties and the other company's one; not the judgment default.
    assert first == 5
    assert issue_due_repair_notices(db, at=clock.now()) == 0
