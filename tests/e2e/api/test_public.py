"""Publicity over HTTP (DIS-1…5): search, subject pages, and a scan of every public endpoint
for full identity numbers and natural persons' full names (DIS-3)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.records.models  # noqa: F401
from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import deliver, penalty, penalty_fields, resident_id, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import Clock

PERSONS = {"欧阳明华": resident_id(21), "张建国": resident_id(22), "李秀英": resident_id(23)}
#: A person whose only record is past its window: not findable at all.
EXPIRED_PERSON = ("王卫东", resident_id(24))
COMPANIES = {
    "贵州黔南扫描测试有限公司": uscc(201),
    "贵阳花溪扫描测试商贸有限公司": uscc(202),
    "遵义扫描测试建筑工程有限公司": uscc(203),
}


@pytest.fixture
def api(app: FastAPI, db: Session, clock: Clock) -> FastAPI:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    provider = actor_of(
        make_user(db, at=clock.now(), role=Role.PROVIDER, username="sjj", org_code="GY-SJJ")
    )
    at = clock.now()
    n = 0
    for name, pid in PERSONS.items():
        for severity, decided in (("general", date(2026, 7, 1)), ("serious", date(2024, 1, 5))):
            n += 1
            penalty(db, provider, person=True, name=name, code=pid, decided_on=decided,
                    severity=severity, at=at, doc=f"黔市监罚〔2026〕{n}号")  # fmt: skip
    name, pid = EXPIRED_PERSON
    penalty(db, provider, person=True, name=name, code=pid, decided_on=date(2025, 1, 2),
            severity="general", at=at, doc="黔市监罚〔2025〕99号")  # fmt: skip
    people = list(PERSONS.items())
    for i, (company, code) in enumerate(COMPANIES.items()):
        # A company record that mentions an employee and the identity number in free text:
        # masking must not rely on the person's own fields being dropped.
        who, who_id = people[i]
        fields = penalty_fields(
            person=False, name=company, code=code, decided_on=date(2026, 8, 1),
            doc=f"黔市监罚〔2026〕{100 + i}号",
            CF_SY=f"经查，该公司员工{who}（身份证号{who_id}）未按规定操作。",
        )  # fmt: skip
        deliver(db, provider, item="admin_penalty", fields=fields, at=at, severity="general",
                source_id=f"C-{i}")  # fmt: skip
    return app


def test_search_by_name_fragment_and_code(api: FastAPI, client: TestClient) -> None:
    r = client.get("/api/v1/public/subjects", params={"q": "扫描测试"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert {i["name"] for i in body["items"]} == set(COMPANIES)
    assert all(i["type"] == "legal_person" for i in body["items"])
    code = COMPANIES["遵义扫描测试建筑工程有限公司"]
    r = client.get("/api/v1/public/subjects", params={"q": code.lower()})
    assert [i["code"] for i in r.json()["items"]] == [code]
    page = client.get("/api/v1/public/subjects", params={"q": "扫描测试", "limit": 2, "page": 2})
    assert len(page.json()["items"]) == 1
    assert page.json()["has_more"] is False


def test_search_refuses_short_fragments_and_bad_paging(api: FastAPI, client: TestClient) -> None:
    r = client.get("/api/v1/public/subjects", params={"q": "贵"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "query_too_short"
    assert client.get("/api/v1/public/subjects").status_code == 422
    r = client.get("/api/v1/public/subjects", params={"q": "扫描", "limit": 500})
    assert r.status_code == 422
    assert "error" in r.json()


def test_persons_are_found_only_by_full_identity_number(api: FastAPI, client: TestClient) -> None:
    for name, pid in PERSONS.items():
        assert client.get("/api/v1/public/subjects", params={"q": name}).json()["items"] == []
        items = client.get("/api/v1/public/subjects", params={"q": pid}).json()["items"]
        assert items == [
            {"code": pid[:6] + "*" * 11 + pid[-1], "name": name[:2] + "某"
             if name.startswith("欧阳") else name[0] + "某", "type": "natural_person"}
        ]  # fmt: skip
    name, pid = EXPIRED_PERSON
    assert client.get("/api/v1/public/subjects", params={"q": pid}).json()["items"] == []
    assert client.get(f"/api/v1/public/subjects/{pid}").status_code == 404


def test_subject_page(api: FastAPI, client: TestClient) -> None:
    pid = PERSONS["张建国"]
    r = client.get(f"/api/v1/public/subjects/{pid}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["subject"]["name"] == "张某"
    assert body["lists"] == []
    assert len(body["records"]) == 2
    for record in body["records"]:
        assert record["under_objection"] is False
        assert "XDR_ZJHM" not in record["fields"]
        assert record["fields"]["XDR_MC"] == "张某"
    r = client.get("/api/v1/public/subjects/915200000000000000")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "subject_not_found"


def test_every_public_endpoint_hides_identity_numbers_and_person_names(
    api: FastAPI, client: TestClient
) -> None:
    secrets = [*PERSONS, *PERSONS.values(), *EXPIRED_PERSON]
    queries = [
        *COMPANIES,
        *COMPANIES.values(),
        *PERSONS.values(),
        EXPIRED_PERSON[1],
        "扫描测试",
        "有限公司",
        "欧阳",
        "张建",
        "秀英",
    ]
    urls = [f"/api/v1/public/subjects?q={quote(q)}" for q in queries]
    urls += [f"/api/v1/public/subjects?q={quote(n)}" for n in PERSONS]  # full names, JSON
    codes = [*COMPANIES.values(), *PERSONS.values(), EXPIRED_PERSON[1]]
    urls += [f"/api/v1/public/subjects/{c}" for c in codes]
    urls += [f"/public/search?q={quote(q)}" for q in queries]
    urls += [f"/public/subjects/{c}" for c in codes]
    urls += ["/public/search", "/public/standard", "/public/search?q=x"]
    checked = 0
    for url in urls:
        for lang in ("zh", "en"):
            r = client.get(url, params={"lang": lang}, headers={"Accept": "text/html"})
            assert r.status_code in (200, 303, 404, 422), (url, r.status_code)
            text = r.text + " ".join(r.headers.values())
            leaked = [s for s in secrets if s in text]
            assert leaked == [], (url, leaked)
            checked += 1
    assert checked == 2 * len(urls)


def test_pages_show_tabs_and_masked_persons(api: FastAPI, client: TestClient) -> None:
    code = COMPANIES["贵州黔南扫描测试有限公司"]
    r = client.get("/public/search", params={"q": code}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/public/subjects/{code}"
    page = client.get(f"/public/subjects/{code}")
    assert page.status_code == 200
    for tab in ("registration", "licences", "penalties", "lists", "commitments", "honours"):
        assert f'id="tab-{tab}"' in page.text
    assert "欧阳某" in page.text
    assert "110105" not in page.text
    pid = PERSONS["欧阳明华"]
    inline = client.get("/public/search", params={"q": pid})
    assert inline.status_code == 200
    assert "欧阳某" in inline.text
    assert pid[:6] + "*" * 11 + pid[-1] in inline.text
    standard = client.get("/public/standard", params={"lang": "en"})
    assert "Query service standard" in standard.text
    assert "How to object" in standard.text
    assert "查询服务标准" in client.get("/public/standard").text
