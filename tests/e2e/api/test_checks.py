"""``/checks``, ``/me/measures``, ``/spot-checks``, ``/commitments`` over HTTP (MEA-2, MEA-3,
MEA-5, MEA-6; GOV-1)."""

from __future__ import annotations

import re

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.documents.models
import xinyong.inquiry.models
import xinyong.lists.models
import xinyong.measures.models
import xinyong.objections.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import make_user
from tests.factories.measures import World, make_world
from tests.support.web import csrf_of, log_in, login
from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.web.api import checks as checks_api
from xinyong.web.api import violations as violations_api
from xinyong.web.ui import checks as checks_ui


def mount_first(app: FastAPI, router: APIRouter, prefix: str = "") -> None:
    """Put a router's routes ahead of the others (until the module is listed in the app)."""
    mine = {getattr(r, "endpoint", None) for r in router.routes}
    if any(getattr(r, "endpoint", None) in mine for r in app.routes):
        return
    holder = APIRouter()
    holder.include_router(router, prefix=prefix)
    app.router.routes[0:0] = holder.routes


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> World:
    for router in (checks_api.router, violations_api.router):
        mount_first(app, router, "/api/v1")
    return make_world(db, at=clock.now())


def test_check_then_apply_then_subject_sees_it(
    client: TestClient, db: Session, clock: Clock, world: World
) -> None:
    organ = login(client, "finance_staff")
    body = {"subject": world.defaulter, "matter": "financial_support"}
    r = client.post("/api/v1/checks", json=body, headers=organ)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert set(answer) >= {"check_id", "lists", "grade", "measures"}
    assert answer["grade"] == "D"
    disciplinary = [m for m in answer["measures"] if m["kind"] == "disciplinary"]
    assert {m["code"] for m in disciplinary} >= {"restrict_government_funding"}
    assert all(m["legal_basis"] for m in answer["measures"])
    r = client.post(
        f"/api/v1/checks/{answer['check_id']}/applied",
        json={"measures": ["restrict_government_funding"]},
        headers=organ,
    )
    assert r.status_code == 201, r.text
    make_user(
        db, at=clock.now(), role=Role.SUBJECT, username="jd_agent", subject_code=world.defaulter
    )
    mine = client.get("/api/v1/me/measures", headers=login(client, "jd_agent")).json()
    assert [m["code"] for m in mine["items"]] == ["restrict_government_funding"]
    assert "第二十四条" in mine["items"][0]["legal_basis"]


def test_non_applicable_measure_is_422_and_on_the_register(
    client: TestClient, db: Session, clock: Clock, world: World
) -> None:
    organ = login(client, "organ_staff")
    answer = client.post(
        "/api/v1/checks", json={"subject": world.clean, "matter": "inspection"}, headers=organ
    ).json()
    assert {m["kind"] for m in answer["measures"]} <= {"incentive"}
    r = client.post(
        f"/api/v1/checks/{answer['check_id']}/applied",
        json={"measures": ["increased_spot_checks", "banish_forever"]},
        headers=organ,
    )
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "measure_not_applicable"
    assert {d["code"] for d in error["details"]} == {"increased_spot_checks", "banish_forever"}
    office = login(client, "office_m")
    register = client.get("/api/v1/violations?kind=refused_measure", headers=office).json()
    assert register["total"] == 1
    assert register["items"][0]["object_id"] == str(answer["check_id"])


def test_roles_and_bad_input(client: TestClient, world: World) -> None:
    organ = login(client, "organ_staff")
    r = client.post("/api/v1/checks", json={"subject": world.clean, "matter": "x"}, headers=organ)
    assert r.status_code == 422
    r = client.post("/api/v1/checks", json={"subject": world.clean}, headers=organ)
    assert r.status_code == 422
    office = login(client, "office_m")
    r = client.post(
        "/api/v1/checks", json={"subject": world.clean, "matter": "licensing"}, headers=office
    )
    assert r.status_code == 403
    assert (
        client.post(
            "/api/v1/checks/999999/applied", json={"measures": ["a"]}, headers=organ
        ).status_code
        == 404
    )
    assert client.get("/api/v1/measures").status_code == 200


def test_spot_check_draw_and_rederivation(client: TestClient, world: World) -> None:
    office = login(client, "office_m")
    body = {"seed": "2026-Q4", "subjects": [world.defaulter, world.penalised, world.clean]}
    r = client.post("/api/v1/spot-checks", json=body, headers=office)
    assert r.status_code == 201, r.text
    draw = r.json()
    again = client.get(f"/api/v1/spot-checks/{draw['id']}", headers=office).json()
    assert again["drawn"] == draw["drawn"]
    assert again["reproducible"] is True
    assert again["seed"] == "2026-Q4"
    bad = client.post("/api/v1/spot-checks", json={"ratios": {"A": 2}}, headers=office)
    assert bad.status_code == 422
    organ = login(client, "organ_staff")
    assert client.post("/api/v1/spot-checks", json={}, headers=organ).status_code == 403


def test_commitment_breach_over_http(client: TestClient, world: World) -> None:
    organ = login(client, "organ_staff")
    body = {
        "subject": world.clean, "matter": "食品经营许可", "terms": "三个月内补齐材料",
        "due_on": "2026-12-31", "unit_uscc": "11520000MB1234567J",
    }  # fmt: skip
    r = client.post("/api/v1/commitments", json=body, headers=organ)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = client.post(f"/api/v1/commitments/{cid}/breach", json={"note": "未兑现"}, headers=organ)
    assert r.status_code == 200, r.text
    assert r.json()["breach_record_id"] is not None
    r = client.post(f"/api/v1/commitments/{cid}/fulfilment", json={"note": "x"}, headers=organ)
    assert r.status_code == 409


# --- issue 11 items 5–7: authority, unrated, notice then decision ---------------------------


def test_unrated_subject_has_a_null_grade(client: TestClient, world: World) -> None:
    organ = login(client, "organ_staff")
    r = client.post(
        "/api/v1/checks", json={"subject": world.clean, "matter": "licensing"}, headers=organ
    )
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["grade"] is None
    assert answer["grade_reason"] == "unrated"
    assert answer["measures"] == []  # no incentive from an empty record (MEA-5)


def test_measure_outside_the_organs_authority_is_not_listed_and_422(
    client: TestClient, world: World
) -> None:
    organ = login(client, "organ_staff")  # a housing and construction department
    answer = client.post(
        "/api/v1/checks", json={"subject": world.defaulter, "matter": "public_resource_trading"},
        headers=organ,
    ).json()  # fmt: skip
    assert "restrict_high_consumption" not in {m["code"] for m in answer["measures"]}
    r = client.post(
        f"/api/v1/checks/{answer['check_id']}/applied",
        json={"measures": ["restrict_high_consumption"]}, headers=organ,
    )  # fmt: skip
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "measure_not_applicable"
    assert [d["code"] for d in error["details"]] == ["restrict_high_consumption"]
    assert "restrict_high_consumption" in error["message"]


def test_disciplinary_measure_notice_statement_answer_decision(
    client: TestClient, db: Session, clock: Clock, world: World
) -> None:
    organ = login(client, "organ_staff")
    answer = client.post(
        "/api/v1/checks", json={"subject": world.defaulter, "matter": "public_resource_trading"},
        headers=organ,
    ).json()  # fmt: skip
    check_id = answer["check_id"]
    r = client.post(
        f"/api/v1/checks/{check_id}/applied", json={"measures": ["restrict_public_procurement"]},
        headers=organ,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    [pending] = r.json()["items"]
    assert pending["status"] == "pending"
    assert pending["defence_due_on"]
    assert pending["notice_number"]
    decision = f"/api/v1/checks/{check_id}/measures/restrict_public_procurement/decision"
    r = client.post(decision, json={"outcome": "apply", "reason": "依法实施"}, headers=organ)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "defence_period_running"
    r = client.post(decision, json={"outcome": "maybe", "reason": "x"}, headers=organ)
    assert r.status_code == 422
    make_user(
        db, at=clock.now(), role=Role.SUBJECT, username="jd_defends", subject_code=world.defaulter
    )
    subject = login(client, "jd_defends")
    r = client.post(
        f"/api/v1/me/measures/{pending['id']}/statement",
        json={"statement": "判决已履行完毕"}, headers=subject,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    r = client.post(decision, json={"outcome": "apply", "reason": "依法实施"}, headers=organ)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "statement_unanswered"
    r = client.post(
        f"/api/v1/checks/{check_id}/measures/restrict_public_procurement/statement-answer",
        json={"answer": "经核实，判决尚未履行"}, headers=organ,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    r = client.post(decision, json={"outcome": "apply", "reason": "申辩不成立"}, headers=organ)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "applied"
    assert r.json()["ends_on"]
    mine = client.get("/api/v1/me/measures", headers=subject).json()["items"]
    assert [(m["code"], m["status"]) for m in mine] == [("restrict_public_procurement", "applied")]
    assert mine[0]["statement_answer"] == "经核实，判决尚未履行"
    listed = client.get(f"/api/v1/checks/{check_id}/measures", headers=organ).json()["items"]
    assert [m["status"] for m in listed] == ["applied"]
    # Another subject cannot state against it; the public cannot decide.
    r = client.post(
        f"/api/v1/me/measures/{pending['id']}/statement", json={"statement": "x"}, headers=organ
    )
    assert r.status_code == 403
    assert client.post(decision, json={"outcome": "apply", "reason": "x"}).status_code == 401


# --- pages ------------------------------------------------------------------------------


@pytest.fixture
def pages(app: FastAPI, world: World) -> World:
    mount_first(app, checks_ui.router)
    return world


def test_check_page_shows_measures_with_basis_and_records_applied(
    client: TestClient, pages: World
) -> None:
    log_in(client, "organ_staff")
    token = csrf_of(client.get("/checks").text)
    r = client.post(
        "/checks", data={"subject": pages.defaulter, "matter": "licensing", "csrf_token": token}
    )
    assert r.status_code == 200, r.text
    assert "key_review_in_licensing" in r.text
    assert "国办发〔2019〕35号" in r.text  # the legal basis is on the page
    action = re.search(r'action="(/checks/\d+/applied)"', r.text)
    assert action is not None
    r = client.post(
        action.group(1),
        data={"measure_key_review_in_licensing": "1", "csrf_token": csrf_of(r.text)},
    )
    assert r.status_code == 200, r.text
    assert "key_review_in_licensing" in r.text
    r = client.post(
        action.group(1), data={"other": "invented_measure", "csrf_token": csrf_of(r.text)}
    )
    assert r.status_code == 422
    assert "invented_measure" in r.text


def test_office_page_lists_measures_and_draws(client: TestClient, pages: World) -> None:
    log_in(client, "office_m")
    page = client.get("/office/measures")
    assert page.status_code == 200
    assert "gz_restrict_tourism_promotion" in page.text
    r = client.post(
        "/office/spot-checks",
        data={"subjects": pages.defaulter, "seed": "abc", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 200, r.text
    assert pages.defaulter in r.text


def test_subject_page_shows_pending_measure_and_takes_a_statement(
    client: TestClient, db: Session, clock: Clock, pages: World
) -> None:
    organ = login(client, "organ_staff")
    answer = client.post(
        "/api/v1/checks", json={"subject": pages.defaulter, "matter": "public_resource_trading"},
        headers=organ,
    ).json()  # fmt: skip
    r = client.post(
        f"/api/v1/checks/{answer['check_id']}/applied",
        json={"measures": ["restrict_public_procurement"]}, headers=organ,
    )  # fmt: skip
    [pending] = r.json()["items"]
    make_user(
        db, at=clock.now(), role=Role.SUBJECT, username="jd_page", subject_code=pages.defaulter
    )
    log_in(client, "jd_page")
    page = client.get("/me/measures")
    assert page.status_code == 200
    assert 'data-status="pending"' in page.text
    assert pending["defence_due_on"] in page.text
    action = f"/me/measures/{pending['id']}/statement"
    assert action in page.text
    r = client.post(
        action, data={"statement": "", "csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert r.status_code == 422
    r = client.post(
        action, data={"statement": "判决已履行", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    page = client.get("/me/measures")
    assert "判决已履行" in page.text
    assert action not in page.text  # stated once
