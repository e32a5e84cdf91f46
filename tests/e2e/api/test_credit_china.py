"""Familiar to Credit China users (issue 14 item 7): the subject page's header card from its
public registration record, the public lists in force (page, sort, paging, CSV, empty states),
and the latest double-publicity decisions on the home page — all read from the publication
store, so only what the public is served appears."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.disclosure import resident_id, uscc
from xinyong.accounts.models import Organisation, UserAccount
from xinyong.accounts.sessions import actor_for
from xinyong.core.actor import Actor
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput
from xinyong.demo.load import load_demo
from xinyong.lists import service as lists
from xinyong.lists.schemas import RedListCreate
from xinyong.records.delivery import operator_for_org
from xinyong.records.schemas import RecordCreate
from xinyong.records.service import deliver_record
from xinyong.subjects import service as subjects

HTML = {"Accept": "text/html"}
REGISTERED = ("贵州黔信头卡示范科技有限公司", uscc(901))
UNREGISTERED = ("贵州黔信无登记示范商贸有限公司", uscc(902))
ENDED = ("贵州黔信红名单期满示范有限公司", uscc(903))
REPRESENTATIVE_ID = resident_id(904)


@dataclass
class World:
    licence_id: int
    penalty_id: int
    listed_id: int
    red_id: int
    ended_red_id: int


def _org(db: Session, code: str) -> tuple[str, str]:
    org = db.scalar(select(Organisation).where(Organisation.code == code))
    assert org is not None
    assert org.uscc
    return org.name, org.uscc


def _office(db: Session) -> Actor:
    user = db.scalar(select(UserAccount).where(UserAccount.username == "office"))
    assert user is not None
    return actor_for(user)


def _deliver(db: Session, actor: Actor, at: Any, company: tuple[str, str], **data: Any) -> int:
    name, code = company
    data["subject"] = {"type": "legal_person", "id": code, "name": name}
    record, _ = deliver_record(db, actor=actor, data=RecordCreate.model_validate(data), at=at)
    db.commit()
    return record.id


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock, client: TestClient) -> World:
    client.headers.update(HTML)
    at = clock.now()
    load_demo(db, at=at, province=False)
    db.commit()
    samr = operator_for_org(db, "GZ-SAMR")
    unit, unit_code = _org(db, "GZ-SAMR")
    source = {"LYDW": unit, "LYDWDM": unit_code}
    name, code = REGISTERED
    _deliver(db, samr, at, REGISTERED, item="registration_basic", source_id="HC-REG-1",
             decided_on="2018-05-02", fields={
                 "XDR_MC": name, "XDR_SHXYM": code, "DJ_ZTLX": "有限责任公司",
                 "FRDB": "杨头卡", "FR_ZJHM": REPRESENTATIVE_ID, "DJ_CLRQ": "2018-05-02",
                 "DJ_ZS": "贵州省贵阳市观山湖区示范路 8 号", "DJ_DJJG": "贵阳市市场监督管理局",
                 "DJ_DJZT": "存续", **source})  # fmt: skip
    licence = _deliver(db, samr, at, REGISTERED, item="admin_licensing", source_id="HC-LIC-1",
                       decided_on="2026-09-30", fields={
        "XDR_MC": name, "XDR_LB": "法人及非法人组织", "XDR_SHXYM": code,
        "XK_XKWS": "食品经营许可决定书", "XK_WSH": "黔市监许〔2026〕930号", "XK_XKLB": "普通",
        "XK_NR": "食品销售（头卡示范）", "XK_JDRQ": "2026-09-30", "XK_YXQZ": "2026-09-30",
        "XK_YXQZI": "2031-09-29", "XK_XKJG": unit, "XK_XKJGDM": unit_code, "XK_ZT": "有效",
        "XK_LYDW": unit, "XK_LYDWDM": unit_code})  # fmt: skip
    other, other_code = UNREGISTERED
    penalty = _deliver(db, samr, at, UNREGISTERED, item="admin_penalty", source_id="HC-PEN-1",
                       decided_on="2026-09-30", severity="general", fields={
        "XDR_MC": other, "XDR_LB": "法人及非法人组织", "XDR_SHXYM": other_code,
        "CF_WSH": "黔市监罚〔2026〕930号", "CF_WFXW": "虚假宣传（头卡示范）",
        "CF_SY": "经查，当事人发布虚假广告。", "CF_YJ": "《中华人民共和国广告法》",
        "CF_CFLB": "罚款", "CF_NR": "罚款人民币壹万元整", "CF_JDRQ": "2026-09-30",
        "CF_CFJG": unit, "CF_CFJGDM": unit_code,
        "CF_SJLY": unit, "CF_SJLYDM": unit_code})  # fmt: skip
    listed = _deliver(db, samr, at, UNREGISTERED, item="serious_dishonesty",
                      source_id="HC-SD-1", decided_on="2026-06-01", severity="serious", fields={
        "XDR_MC": other, "XDR_LB": "法人及非法人组织", "XDR_SHXYM": other_code,
        "YZ_LRYJ": "《市场监督管理严重违法失信名单管理办法》第九条",
        "YZ_LRSY": "提供虚假材料骗取登记（头卡示范）", "YZ_RDWH": "黔市监严失〔2026〕1号",
        "YZ_RDJG": unit, "YZ_JDRQ": "2026-06-01", "YZ_GZSDRQ": "2026-05-01",
        "YZ_LRRQ": "2026-06-01", **source})  # fmt: skip
    office = _office(db)
    ended_name, ended_code = ENDED
    subjects.register_subject(
        db, actor=office, type="legal_person", id_value=ended_code, name=ended_name, at=at
    )
    red = lists.adopt_red_list_entry(db, actor=office, at=at, data=RedListCreate(
        subject=code, title="诚信示范企业（头卡示范）", basis="《贵州省社会信用条例》第二十二条",
        reason="连续三年无失信记录。", valid_until=date(2027, 9, 30)))  # fmt: skip
    ended = lists.adopt_red_list_entry(db, actor=office, at=at, data=RedListCreate(
        subject=ended_code, title="诚信之星（已期满）", basis="《贵州省社会信用条例》第二十二条",
        reason="期满示范。", adopted_on=date(2025, 1, 1),
        valid_until=date(2025, 12, 31)))  # fmt: skip
    db.commit()
    assert red.record_id is not None
    assert ended.record_id is not None
    return World(licence, penalty, listed, red.record_id, ended.record_id)


def _header(html: str) -> str:
    match = re.search(r'<section[^>]*id="header-card".*?</section>', html, re.S)
    assert match, "no header card"
    return match.group(0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_subject_page_opens_with_its_registration(
    client: TestClient, world: World, lang: str
) -> None:
    client.cookies.set("lang", lang)
    r = client.get(f"/public/subjects/{REGISTERED[1]}")
    assert r.status_code == 200
    card = _header(r.text)
    assert REGISTERED[0] in card
    assert REGISTERED[1] in card
    assert "杨头卡" in card
    assert "贵州省贵阳市观山湖区示范路 8 号" in card
    assert "贵阳市市场监督管理局" in card
    if lang == "zh":
        assert "登记状态" in card
        assert "法定代表人" in card
        assert "登记机关" in card
        assert "存续" in card
    else:
        assert "Registration status" in card
        assert "Legal representative" in card
        assert "Registration authority" in card
        assert "In existence" in card
        assert "存续" not in card
    # the representative's identity number is a privacy field: never on the public page
    assert REPRESENTATIVE_ID not in r.text
    assert 'id="no-registration"' not in card


def test_a_subject_without_registration_shows_the_empty_state(
    client: TestClient, world: World
) -> None:
    r = client.get(f"/public/subjects/{UNREGISTERED[1]}")
    assert r.status_code == 200
    card = _header(r.text)
    assert UNREGISTERED[0] in card
    assert 'id="no-registration"' in card
    assert 'id="registration"' not in card
    client.cookies.set("lang", "en")
    card = _header(client.get(f"/public/subjects/{UNREGISTERED[1]}").text)
    assert "No registration information is published for this subject" in card


def _rows(html: str) -> dict[int, str]:
    return {
        int(m.group(1)): m.group(0)
        for m in re.finditer(r'<tr data-record-id="(\d+)".*?</tr>', html, re.S)
    }


def test_the_lists_page_shows_entries_in_force_only(client: TestClient, world: World) -> None:
    r = client.get("/public/lists")
    assert r.status_code == 200
    rows = _rows(r.text)
    assert world.listed_id in rows
    assert world.red_id in rows
    assert world.ended_red_id not in rows
    assert "诚信之星（已期满）" not in r.text
    assert UNREGISTERED[0] in rows[world.listed_id]
    assert f'href="/public/subjects/{UNREGISTERED[1]}"' in rows[world.listed_id]
    assert "严重失信主体名单" in rows[world.listed_id]
    # the filter by list, and its default "all" is a page, not a 422
    only_red = _rows(client.get("/public/lists", params={"kind": "red_list"}).text)
    assert world.red_id in only_red
    assert world.listed_id not in only_red
    everything = client.get("/public/lists", params={"kind": "", "sort": "", "order": ""})
    assert everything.status_code == 200
    assert world.listed_id in _rows(everything.text)
    bad = client.get("/public/lists", params={"kind": "nonsense", "sort": "nope"})
    assert bad.status_code == 200
    assert world.listed_id in _rows(bad.text)
    assert 'id="err-kind"' in bad.text
    # the API answers the same entries
    api = client.get("/api/v1/public/lists", headers={"Accept": "application/json"}).json()
    ids = {i["record_id"] for i in api["items"]}
    assert {world.listed_id, world.red_id} <= ids
    assert world.ended_red_id not in ids


def test_the_lists_page_sorts_and_pages(client: TestClient, world: World) -> None:
    by_day = list(_rows(client.get("/public/lists", params={"order": "asc"}).text))
    assert by_day.index(world.listed_id) < by_day.index(world.red_id)  # 2026-06-01 first
    by_day_desc = list(_rows(client.get("/public/lists").text))
    assert by_day_desc.index(world.red_id) < by_day_desc.index(world.listed_id)
    page = client.get("/public/lists", params={"sort": "subject", "order": "asc"}).text
    assert 'aria-sort="ascending"' in page
    assert client.get("/public/lists", params={"page": 99}).status_code == 200


def test_the_lists_export_csv(client: TestClient, world: World) -> None:
    r = client.get("/public/lists.csv", params={"kind": "serious_dishonesty"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    mine = [row for row in rows if row["code"] == UNREGISTERED[1]]
    assert len(mine) == 1
    assert mine[0]["list"] == "serious_dishonesty"
    assert mine[0]["decided_on"] == "2026-06-01"
    assert mine[0]["document_no"] == "黔市监严失〔2026〕1号"
    assert all(row["list"] == "serious_dishonesty" for row in rows)
    assert ENDED[1] not in client.get("/public/lists.csv").text


def test_the_lists_page_says_when_a_list_is_empty(client: TestClient, db: Session) -> None:
    client.headers.update(HTML)
    r = client.get("/public/lists")
    assert r.status_code == 200
    assert 'class="empty-state"' in r.text
    assert "<table" not in r.text
    r = client.get("/public/lists", params={"kind": "red_list"})
    assert 'class="empty-state"' in r.text
    assert 'href="/public/lists"' in r.text


def test_the_lists_page_is_in_the_public_menu(client: TestClient, world: World) -> None:
    home = client.get("/").text
    assert 'href="/public/lists"' in home


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_home_page_shows_the_latest_decisions(
    client: TestClient, world: World, lang: str
) -> None:
    client.cookies.set("lang", lang)
    r = client.get("/")
    assert r.status_code == 200
    section = re.search(r'<section[^>]*id="latest-decisions".*?</section>\s*</div>\s*</section>',
                        r.text, re.S)  # fmt: skip
    assert section
    licences = re.search(r'id="latest-admin_licensing-list".*?</section>', r.text, re.S)
    penalties = re.search(r'id="latest-admin_penalty-list".*?</section>', r.text, re.S)
    assert licences
    assert penalties
    first_licence = re.search(r'<li data-record-id="(\d+)"', licences.group(0))
    assert first_licence
    assert int(first_licence.group(1)) == world.licence_id
    assert f'href="/public/subjects/{REGISTERED[1]}"' in licences.group(0)
    assert f'data-record-id="{world.penalty_id}"' in penalties.group(0)
    assert f'href="/public/subjects/{UNREGISTERED[1]}"' in penalties.group(0)
    assert "黔市监罚〔2026〕930号" in penalties.group(0)
    days = re.findall(r'<p class="result-meta">(\d{4}-\d{2}-\d{2})', penalties.group(0))
    assert days == sorted(days, reverse=True)
    assert len(re.findall(r"<li data-record-id=", licences.group(0))) <= 10
    title = "最新行政许可和行政处罚决定" if lang == "zh" else "Latest licensing and penalty"
    assert title in r.text


def test_the_home_page_without_decisions(client: TestClient) -> None:
    client.headers.update(HTML)
    client.cookies.set("lang", "en")
    r = client.get("/")
    assert r.status_code == 200
    assert r.text.count("No decision of this kind is published yet.") == 2


def _wrong_check(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_invalid_code_names_the_expected_check_character(
    client: TestClient, world: World, lang: str
) -> None:
    """Issue 14 item 5: a code that names no subject because its check character is wrong
    says which character was expected — in the search, on a subject page and in a procedure."""
    client.cookies.set("lang", lang)
    code = REGISTERED[1]
    wrong = _wrong_check(code)
    expected = ("校验码应为 " if lang == "zh" else "check character should be ") + code[17]
    search = client.get("/public/search", params={"q": wrong})
    assert search.status_code == 200
    assert expected in search.text
    assert 'id="code-hint"' in search.text
    assert 'id="code-hint"' not in client.get("/public/search", params={"q": code}).text
    page = client.get(f"/public/subjects/{wrong}")
    assert page.status_code == 404
    assert expected in page.text
    api = client.get(f"/api/v1/public/subjects/{wrong}", headers={"Accept": "application/json"})
    assert api.status_code == 404
    assert "check character should be " + code[17] in api.json()["error"]["message"]


def test_a_red_list_adoption_names_the_expected_check_character(
    db: Session, world: World, clock: Clock
) -> None:
    code = UNREGISTERED[1]
    with pytest.raises(InvalidInput) as raised:
        lists.adopt_red_list_entry(db, actor=_office(db), at=clock.now(), data=RedListCreate(
            subject=_wrong_check(code), title="诚信示范", basis="《贵州省社会信用条例》第二十二条",
            reason="示范。"))  # fmt: skip
    db.rollback()
    assert raised.value.code == "unknown_subject"
    assert f"check character should be {code[17]}" in raised.value.message
