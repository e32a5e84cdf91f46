"""The inquiry pages over HTTP (DESIGN §6): the inquirer's query page, the subject's "who
looked" and consents pages, the auditor's inquiry log, the credit office's violation register."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.inquiry.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401
from tests.factories.inquiry import World, seed
from tests.support.web import csrf_of, log_in
from xinyong.core.clock import Clock
from xinyong.violations import service as violations
from xinyong.web.ui import inquiry as inquiry_ui

HTML = {"Accept": "text/html"}


@pytest.fixture
def web(app: FastAPI, db: Session, clock: Clock, client: TestClient) -> TestClient:
    if not any(getattr(r, "path", "") == "/inquiry" for r in app.routes):
        app.include_router(inquiry_ui.router)  # until listed in web.app.UI_MODULES
    client.headers.update(HTML)
    return client


@pytest.fixture
def world(db: Session, clock: Clock, web: TestClient) -> World:
    return seed(db, clock.now())


def ask(web: TestClient, subject: str, purpose: str) -> str:
    token = csrf_of(web.get("/inquiry").text)
    r = web.post("/inquiry", data={"subject": subject, "purpose": purpose, "csrf_token": token})
    return f"{r.status_code} {r.text}"


def test_pages_send_the_public_to_log_in_and_refuse_other_roles(
    web: TestClient, world: World
) -> None:
    r = web.get("/audit/inquiries", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")
    log_in(web, "q_company", fresh=True)
    for path in ("/inquiry", "/audit/inquiries", "/office/violations"):
        assert web.get(path).status_code == 403
    log_in(web, "q_fgw", fresh=True)
    for path in ("/me/inquiries", "/me/consents", "/audit/inquiries.csv"):
        assert web.get(path).status_code == 403


def test_the_inquirer_picks_an_own_purpose_and_sees_the_records(
    web: TestClient, world: World
) -> None:
    log_in(web, "q_fgw", fresh=True)
    page = web.get("/inquiry").text
    assert re.findall(r'<option value="(\w+)"', page) == ["inspection", "licensing"]
    answer = ask(web, world.code, "licensing")
    assert answer.startswith("200")
    assert f'data-record-id="{world.penalty_id}"' in answer
    assert f'data-record-id="{world.tax_id}"' in answer
    refused = ask(web, world.code, "personnel")
    assert refused.startswith("403")
    assert "查询用途 personnel 不在本账号权限内" in refused
    missing = ask(web, "", "licensing")
    assert missing.startswith("422")


def test_the_subject_sees_who_looked_grants_and_revokes_a_consent(
    web: TestClient, world: World
) -> None:
    log_in(web, "q_fgw", fresh=True)
    ask(web, world.code, "inspection")
    log_in(web, "q_company", fresh=True)
    page = web.get("/me/inquiries").text
    assert "贵阳市发展和改革委员会" in page
    assert "q_fgw" not in page
    token = csrf_of(web.get("/me/consents").text)
    form = {
        "grantee": world.institution_org,
        "items": ["admin_penalty", "admin_licensing"],
        "purpose": "financial_support",
        "expires_on": "2026-12-31",
        "csrf_token": token,
    }
    r = web.post("/me/consents", data=form)
    assert r.status_code == 422
    assert "Art. 38" in r.text
    assert 'value="admin_licensing" checked' in r.text  # the form keeps what was chosen
    r = web.post("/me/consents", data={**form, "not_a_condition_of_service": "1"},
                 follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = web.get(r.headers["location"]).text
    consent_id = re.search(r'data-consent-id="(\d+)"', page).group(1)  # type: ignore[union-attr]
    confirm = web.post(f"/me/consents/{consent_id}/revoke", data={"csrf_token": token})
    assert confirm.status_code == 200
    assert 'name="confirm" value="1"' in confirm.text
    assert web.get("/me/consents").text.count('<form method="post" action="/me/consents/') == 1
    r = web.post(f"/me/consents/{consent_id}/revoke",
                 data={"csrf_token": token, "confirm": "1"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = web.get("/me/consents").text
    assert "/revoke" not in page  # nothing left to revoke


def test_the_auditor_filters_sorts_and_exports_the_log(web: TestClient, world: World) -> None:
    log_in(web, "q_fgw", fresh=True)
    ask(web, world.code, "licensing")
    ask(web, world.code, "personnel")
    log_in(web, "q_audit", fresh=True)
    page = web.get("/audit/inquiries?outcome=refused").text
    assert page.count("data-inquiry-id=") == 1
    assert "purpose_not_authorised" in page
    sorted_page = web.get("/audit/inquiries?sort=purpose&order=asc").text
    assert 'aria-sort="ascending"' in sorted_page
    # A bad value or the form's empty defaults show the page again (issue 14 item 1).
    nonsense = web.get("/audit/inquiries?sort=nonsense")
    assert nonsense.status_code == 200
    assert 'aria-sort="descending"' in nonsense.text  # back to the default order
    defaults = web.get("/audit/inquiries?subject=&org=&purpose=&outcome=&since=&until=")
    assert defaults.status_code == 200
    assert defaults.text.count("data-inquiry-id=") == 2
    bad_date = web.get("/audit/inquiries?since=yesterday&lang=en")
    assert bad_date.status_code == 200
    assert 'id="err-since"' in bad_date.text
    assert 'value="yesterday"' in bad_date.text
    r = web.get("/audit/inquiries.csv?outcome=answered")
    assert r.status_code == 200
    assert r.text.count(world.code) == 1


def test_the_credit_office_reads_the_violation_register(
    web: TestClient, world: World, db: Session, clock: Clock
) -> None:
    log_in(web, "q_office", fresh=True)
    assert "The register is empty" in web.get("/office/violations?lang=en").text
    violations.register_violation(db, kind="harvesting", at=clock.now(), actor=world.inquirer,
                                  detail={"distinct_subjects": 61})  # fmt: skip
    db.commit()
    page = web.get("/office/violations").text
    assert "疑似批量获取信息" in page
    assert "q_fgw" in page
    csv_text = web.get("/office/violations.csv?kind=harvesting").text
    assert "harvesting" in csv_text
    assert web.get("/office/violations?kind=jaywalking").status_code == 422
