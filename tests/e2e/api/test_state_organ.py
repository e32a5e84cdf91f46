"""Government integrity over HTTP (Art. 7): a court delivers a state organ's judgment default
and the credit office's department a government dishonesty record; a state organ inquirer is
served them (government sharing); the public page publishes them (their items are public)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.inquiry.models
import xinyong.records.models  # noqa: F401
from tests.factories.accounts import make_org, make_user
from tests.factories.catalogue import register_source
from tests.factories.state_organ import (
    ORGAN,
    government_dishonesty_fields,
    judgment_default_fields,
    organ_uscc,
)
from tests.support.web import login
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import Clock

CODE = organ_uscc(72)


@pytest.fixture
def api(app: FastAPI, db: Session, clock: Clock) -> FastAPI:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-ZY", kind="provider", name="贵阳市中级人民法院")
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="court1", org_code="GY-ZY")
    # judgment_default accepts only its registered sources (Art. 25, 26; issue 11 item 2).
    register_source(db, item="judgment_default", org="GY-ZY", at=clock.now())
    make_org(db, at=clock.now(), code="GZ-FGW", kind="provider", name="贵州省发展和改革委员会")
    make_user(db, at=clock.now(), role=Role.PROVIDER, username="fgw_prov", org_code="GZ-FGW")
    make_org(db, at=clock.now(), code="GY-CZJ", kind="organ", name="贵阳市财政局")
    make_user(db, at=clock.now(), role=Role.INQUIRER, username="czj1", org_code="GY-CZJ",
              purposes=["public_resource_trading"])  # fmt: skip
    return app


def test_delivery_government_sharing_and_publicity_of_a_state_organ(
    api: FastAPI, client: TestClient
) -> None:
    fields = judgment_default_fields(
        code=CODE, case_no="（2026）黔01执21号", listed_on=date(2026, 6, 1)
    )
    judgment = {"item": "judgment_default", "source_id": "SX-21", "decided_on": "2026-06-01",
                "fields": fields}  # fmt: skip
    r = client.post("/api/v1/records", json=judgment, headers=login(client, "court1"))
    assert r.status_code == 201, r.text
    breach = {
        "item": "government_dishonesty", "source_id": "ZW-21",
        "fields": government_dishonesty_fields(code=CODE, doc="黔信政失〔2026〕21号",
                                               decided_on=date(2026, 8, 20)),
    }  # fmt: skip
    r = client.post("/api/v1/records", json=breach, headers=login(client, "fgw_prov"))
    assert r.status_code == 201, r.text

    ask = {"subject": CODE, "purpose": "public_resource_trading"}
    r = client.post("/api/v1/inquiries", json=ask, headers=login(client, "czj1"))
    assert r.status_code == 200, r.text
    shared = {rec["item"]: rec for rec in r.json()["records"]}
    assert set(shared) == {"judgment_default", "government_dishonesty"}
    assert shared["government_dishonesty"]["fields"]["ZW_XDF"] == "贵州示例商贸有限公司"

    r = client.get(f"/api/v1/public/subjects/{CODE}")
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["subject"] == {"code": CODE, "name": ORGAN, "type": "state_organ"}
    published = {rec["item"]: rec for rec in page["records"]}
    assert set(published) == {"judgment_default", "government_dishonesty"}
    assert published["government_dishonesty"]["fields"]["ZW_SXLX"] == "违约毁约"
    assert "ZW_XDF" not in published["government_dishonesty"]["fields"]
    found = client.get("/api/v1/public/subjects", params={"q": "示例局"}).json()["items"]
    assert {"code": CODE, "name": ORGAN, "type": "state_organ"} in found


def test_the_catalogue_lists_the_government_dishonesty_item(
    api: FastAPI, client: TestClient
) -> None:
    items = {i["code"]: i for i in client.get("/api/v1/catalogue/items").json()["items"]}
    item = items["government_dishonesty"]
    assert (item["tier"], item["publicity"], item["subject_types"]) == (
        "national", "public", ["state_organ"]
    )  # fmt: skip
    assert "第七条" in item["legal_basis"]
    assert "state_organ" in items["judgment_default"]["subject_types"]
