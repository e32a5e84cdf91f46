"""The credit subject's desk (DESIGN §6, issue 14 items 2 and 7): beside each record of "my
credit", the buttons to object and to apply for repair, and the state of the objections and
repair applications filed about it, each linking to its page."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.documents.models
import xinyong.inquiry.models
import xinyong.objections.models
import xinyong.records.models
import xinyong.repair.models
import xinyong.violations.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import PASSWORD
from tests.factories.repair import RepairWorld, make_repair_world
from xinyong.core.clock import Clock

HTML = {"Accept": "text/html"}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def log_in(client: TestClient, username: str) -> str:
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return r.headers["location"]


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock, client: TestClient) -> RepairWorld:
    client.headers.update(HTML)
    return make_repair_world(db, at=clock.now())


def card(html: str, record_id: int) -> str:
    match = re.search(rf'<article[^>]*data-record-id="{record_id}".*?</article>', html, re.S)
    assert match, f"no card for record {record_id}"
    return match.group(0)


def test_each_record_offers_objection_and_repair(client: TestClient, world: RepairWorld) -> None:
    assert log_in(client, "subject701") == "/me/credit"
    page = client.get("/me/credit")
    assert page.status_code == 200
    general = card(page.text, world.general_id)
    assert f"/me/objections?record={world.general_id}" in general
    assert f"/me/repairs/new?record_id={world.general_id}" in general
    # a judgment default is not repairable (the catalogue says so): no repair button
    judgment = card(page.text, world.judgment_id)
    assert 'data-action="object"' in judgment
    assert 'data-action="repair"' not in judgment
    # the object button opens the form with the record chosen
    form = client.get(f"/me/objections?record={world.general_id}")
    assert re.search(rf'<option value="{world.general_id}"[^>]*selected', form.text)


def test_a_record_links_to_its_objection_and_repair(client: TestClient, world: RepairWorld) -> None:
    log_in(client, "subject701")
    csrf = csrf_of(client.get("/me/credit").text)
    r = client.post(
        "/me/objections",
        data={"csrf_token": csrf, "record_id": str(world.recent_id), "reason": "金额有误"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    objection_id = r.headers["location"].split("/")[2].split("?")[0]
    form = client.get(f"/me/repairs/new?record_id={world.general_id}")
    r = client.post(
        "/me/repairs",
        data={
            "csrf_token": csrf_of(form.text),
            "record_id": str(world.general_id),
            "statement": "罚款已缴清",
            "evidence_notes": "缴款凭证",
            "commitment": "我单位承诺诚信经营",
            "obligations": "1",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    repair_id = r.headers["location"].rsplit("/", 1)[1]
    page = client.get("/me/credit").text
    recent = card(page, world.recent_id)
    assert f'href="/objections/{objection_id}"' in recent
    assert "已受理" in recent
    assert 'data-action="object"' not in recent  # already under objection
    general = card(page, world.general_id)
    assert f'href="/me/repairs/{repair_id}"' in general
    assert "处理中" in general


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_record_card_says_its_objection_is_in_progress(
    client: TestClient, world: RepairWorld, lang: str
) -> None:
    """Issue 14 item 7: the card's status line itself links to the open objection and the
    pending repair application ("异议处理中 →"), in the page's language."""
    log_in(client, "subject701")
    client.cookies.set("lang", lang)
    page = client.get("/me/credit")
    assert page.status_code == 200
    assert "data-objection-id" not in page.text
    r = client.post(
        "/me/objections",
        data={"csrf_token": csrf_of(page.text), "record_id": str(world.recent_id),
              "reason": "金额有误"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    objection_id = r.headers["location"].split("/")[2].split("?")[0]
    form = client.get(f"/me/repairs/new?record_id={world.general_id}")
    r = client.post(
        "/me/repairs",
        data={"csrf_token": csrf_of(form.text), "record_id": str(world.general_id),
              "statement": "罚款已缴清", "evidence_notes": "缴款凭证",
              "commitment": "我单位承诺诚信经营", "obligations": "1"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    repair_id = r.headers["location"].rsplit("/", 1)[1]
    page = client.get("/me/credit")
    assert page.status_code == 200
    meta = re.search(r'<p class="result-meta">.*?</p>', card(page.text, world.recent_id), re.S)
    assert meta
    badge = re.search(r'<a class="badge under-objection" href="([^"]+)"[^>]*>([^<]+)</a>',
                      meta.group(0))  # fmt: skip
    assert badge
    assert badge.group(1) == f"/objections/{objection_id}"
    assert ("异议处理中" if lang == "zh" else "Objection in progress") in badge.group(2)
    general = card(page.text, world.general_id)
    assert f'href="/me/repairs/{repair_id}" data-repair-id="{repair_id}"' in general
    assert ("修复处理中" if lang == "zh" else "Repair in progress") in general
    assert client.get(badge.group(1)).status_code == 200
