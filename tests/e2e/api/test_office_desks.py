"""The credit office's desks over HTTP, on both databases (DESIGN §6; issue 14 items 2 and 6):
the dashboard's filters and the agreement of its sentences, charts, tables and CSVs; grades
with their reasons; the working-day calendar's overrides with confirmation and audit; the
spot-check draw page (a GET, never 405)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import xinyong.feed.models
import xinyong.inquiry.models
import xinyong.lists.models
import xinyong.objections.models
import xinyong.records.models  # noqa: F401  (tables in the schema before it is created)
from tests.factories.accounts import make_org, make_user
from tests.integration.records.test_service import penalty_fields
from tests.support.web import csrf_of, log_in, login
from xinyong.audit.models import AuditEntry
from xinyong.calendar import service as calendar
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import PLATFORM_ZONE, Clock

HTML = {"Accept": "text/html"}
SEPT = Clock(datetime(2026, 9, 1, 10, 0, tzinfo=PLATFORM_ZONE)).now()
COMPANY = "91520000214434146R"
PANELS = ("deliveries", "deliveries_by_provider", "overdue_providers", "objections",
          "inquiries", "list_entries")  # fmt: skip


@pytest.fixture
def web(app: FastAPI, db: Session, client: TestClient) -> TestClient:
    load_shipped_catalogues(db, actor=SYSTEM, at=datetime(2025, 1, 1, tzinfo=PLATFORM_ZONE))
    db.commit()
    make_org(db, at=SEPT, code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局",
             region="520100")  # fmt: skip
    make_org(db, at=SEPT, code="ZY-SJJ", kind="provider", name="遵义市市场监督管理局",
             region="520300")  # fmt: skip
    make_user(db, at=SEPT, role=Role.PROVIDER, username="gy_p", org_code="GY-SJJ")
    make_user(db, at=SEPT, role=Role.PROVIDER, username="zy_p", org_code="ZY-SJJ")
    make_user(db, at=SEPT, role=Role.CREDIT_OFFICE, username="desk_office")
    db.commit()
    for user, source in (("gy_p", "G1"), ("gy_p", "G2"), ("zy_p", "Z1")):
        body = {
            "item": "admin_penalty", "source_id": source,
            "subject": {"type": "legal_person", "id": COMPANY, "name": "贵州示例商贸有限公司"},
            "fields": penalty_fields(CF_WSH=f"黔市监罚〔2026〕{source}号"),
        }  # fmt: skip
        r = client.post("/api/v1/records", json=body, headers=login(client, user))
        assert r.status_code == 201, r.text
    client.headers.update(HTML)
    log_in(client, "desk_office")
    return client


def _records_sentence(html: str) -> int:
    for pattern in (
        r"Records received from providers: (\d+)\.",
        r"收到信息提供单位报送的记录：(\d+)",
    ):
        match = re.search(pattern, html)
        if match:
            return int(match.group(1))
    raise AssertionError("no deliveries sentence on the page")


def _chart_values(html: str, chart: str) -> list[int]:
    """The values of one chart's bars or dots, read from their <title>s."""
    svg = html[html.index(f'id="{chart}-title"') :]
    svg = svg[: svg.index("</svg>")]
    return [int(v) for v in re.findall(r":\s*(\d+)</title>", svg)]


def _csv(web: TestClient, panel: str, **query: str) -> list[dict[str, str]]:
    r = web.get(f"/api/v1/dashboard/{panel}.csv", params=query)
    assert r.status_code == 200, r.text
    return list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))


def test_the_dashboard_answers_a_page_with_defaults_and_every_filter(web: TestClient) -> None:
    for query in ("", "?provider=", "?region=", "?provider=GY-SJJ", "?region=520300",
                  "?region=520000&provider=GY-SJJ&from=2026-01-01&to=2026-09-30"):  # fmt: skip
        for lang in ("zh", "en"):
            r = web.get(f"/office/dashboard{query}", params={"lang": lang})
            assert r.status_code == 200, (query, r.text[:500])
            assert r.headers["content-type"].startswith("text/html")
            for chart in ("chart-deliveries", "chart-lists"):
                assert f'id="{chart}-title"' in r.text or chart == "chart-lists"


def test_counts_agree_in_sentence_chart_table_and_csv(web: TestClient) -> None:
    for query, expected in (({}, 3), ({"provider": "GY-SJJ"}, 2), ({"region": "520300"}, 1),
                            ({"region": "520000"}, 3), ({"region": "520200"}, 0)):  # fmt: skip
        r = web.get("/office/dashboard", params={**query, "lang": "en"})
        assert r.status_code == 200
        assert _records_sentence(r.text) == expected, query
        rows = _csv(web, "deliveries", **query)
        assert sum(int(row["records"]) for row in rows) == expected
        if expected:
            assert sum(_chart_values(r.text, "chart-deliveries")) == expected
            table = r.text[r.text.index("<caption>Records received per month</caption>") :]
            table = table[: table.index("</table>")]
            assert sum(int(n) for n in re.findall(r"<td>(\d+)</td></tr>", table)) == expected
            # The page's CSV link carries the filters.
            link = re.search(r'href="(/api/v1/dashboard/deliveries\.csv\?[^"]+)"', r.text)
            assert link is not None
            for value in query.values():
                assert value in link.group(1)
    by_provider = _csv(web, "deliveries_by_provider", region="520100")
    assert {row["org_code"] for row in by_provider} == {"GY-SJJ"}


def test_every_panel_has_its_csv_with_filters(web: TestClient) -> None:
    for panel in PANELS:
        r = web.get(f"/api/v1/dashboard/{panel}.csv", params={"provider": "ZY-SJJ"})
        assert r.status_code == 200, (panel, r.text)
        assert r.headers["content-type"].startswith("text/csv")
    bad = web.get("/api/v1/dashboard/deliveries.csv", params={"region": "52x"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_region"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [({"region": "abc"}, "region", "Not a region code"),
     ({"provider": "NO-SUCH"}, "provider", "No provider has this code"),
     ({"from": "2026-13-01"}, "from", "Not a valid date")],
)  # fmt: skip
def test_a_bad_filter_shows_the_form_again_with_its_message(
    web: TestClient, query: dict[str, str], field: str, message: str
) -> None:
    r = web.get("/office/dashboard", params={**query, "lang": "en"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert f'id="f-{field}-error"' in r.text
    assert message in r.text
    assert _records_sentence(r.text) == 3  # the figures without the bad value


def test_the_api_filters_too(web: TestClient) -> None:
    r = web.get("/api/v1/dashboard", params={"provider": "GY-SJJ"}, headers={"Accept": "*/*"})
    assert r.status_code == 200
    assert r.json()["deliveries"]["total"] == 2
    assert r.json()["provider"] == "GY-SJJ"
    r = web.get("/api/v1/dashboard", params={"provider": "NOPE"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unknown_provider"


def test_grades_with_their_reasons(web: TestClient) -> None:
    r = web.get("/office/grades", params={"lang": "en"})
    assert r.status_code == 200, r.text
    row = re.search(rf'<tr data-grade="(\w+)">\s*<td><code>{COMPANY}</code>', r.text)
    assert row is not None
    grade = row.group(1)
    assert grade in {"B", "C"}  # negative records inside their window
    assert "negative record" in r.text  # the reason, in English
    assert f"/office/grades?grade={grade}" in r.text
    only = web.get("/office/grades", params={"grade": grade, "sort": "name", "order": "desc"})
    assert only.status_code == 200
    assert COMPANY in only.text
    other = "D" if grade != "D" else "A"
    assert COMPANY not in web.get("/office/grades", params={"grade": other}).text
    bad = web.get("/office/grades", params={"grade": "Z", "sort": "nonsense", "lang": "en"})
    assert bad.status_code == 200
    assert 'id="err-grade"' in bad.text
    assert COMPANY in bad.text
    exported = web.get("/office/grades.csv", params={"grade": grade})
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert [(r["code"], r["grade"]) for r in rows] == [(COMPANY, grade)]
    assert rows[0]["reasons"]


def test_only_the_office_opens_its_desks(web: TestClient) -> None:
    log_in(web, "gy_p", fresh=True)
    for path in ("/office/grades", "/office/calendar", "/office/spot-checks"):
        r = web.get(path, follow_redirects=False)
        assert r.status_code == 403, path
        assert r.headers["content-type"].startswith("text/html")
    web.cookies.clear()
    assert web.get("/office/calendar", follow_redirects=False).status_code == 303


def test_a_calendar_override_round_trip_with_confirmation_and_audit(
    web: TestClient, db: Session
) -> None:
    page = web.get("/office/calendar", params={"lang": "en"})
    assert page.status_code == 200
    form = {"day": "2027-02-13", "kind": "workday", "note": "国办发明电〔2026〕1号",
            "csrf_token": csrf_of(page.text)}  # fmt: skip
    confirm = web.post("/office/calendar", data=form)
    assert confirm.status_code == 200
    assert 'name="confirm" value="1"' in confirm.text
    assert not [o for o in calendar.list_overrides(db) if o.day.isoformat() == "2027-02-13"]
    done = web.post(
        "/office/calendar", data={**form, "confirm": "1", "csrf_token": csrf_of(confirm.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    db.expire_all()
    [row] = [o for o in calendar.list_overrides(db) if o.day.isoformat() == "2027-02-13"]
    assert row.is_workday
    assert row.note == "国办发明电〔2026〕1号"
    listed = web.get("/office/calendar")
    assert 'data-day="2027-02-13"' in listed.text

    # Removing asks for a reason on its confirmation page; without one, nothing changes.
    ask = web.post("/office/calendar/2027-02-13/remove", data={"csrf_token": csrf_of(listed.text)})
    assert ask.status_code == 200
    assert 'name="reason"' in ask.text
    empty = web.post(
        "/office/calendar/2027-02-13/remove",
        data={"confirm": "1", "reason": " ", "csrf_token": csrf_of(ask.text)},
    )
    assert empty.status_code == 200
    assert 'role="alert"' in empty.text
    gone = web.post(
        "/office/calendar/2027-02-13/remove",
        data={"confirm": "1", "reason": "通知撤回", "csrf_token": csrf_of(ask.text)},
        follow_redirects=False,
    )
    assert gone.status_code == 303
    db.expire_all()
    assert not [o for o in calendar.list_overrides(db) if o.day.isoformat() == "2027-02-13"]
    tags = db.scalars(
        select(AuditEntry.tag).where(AuditEntry.object_id == "2027-02-13").order_by(AuditEntry.seq)
    ).all()
    assert list(tags) == ["calendar:override:set", "calendar:override:clear"]


def test_a_bad_calendar_form_is_shown_again_with_its_message(web: TestClient) -> None:
    page = web.get("/office/calendar")
    r = web.post(
        "/office/calendar",
        data={"day": "not-a-day", "kind": "holiday", "note": "x", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert 'value="not-a-day"' in r.text or "YYYY-MM-DD" in r.text
    missing = web.post(
        "/office/calendar/2027-03-01/remove", data={"csrf_token": csrf_of(page.text)}
    )
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")


def test_the_spot_check_page_draws_and_shows_the_result(web: TestClient) -> None:
    page = web.get("/office/spot-checks", params={"lang": "en"})
    assert page.status_code == 200  # the navigation's link: never 405
    assert 'action="/office/spot-checks"' in page.text
    r = web.post(
        "/office/spot-checks",
        data={"subjects": COMPANY, "seed": "fixed-seed", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 200, r.text
    assert 'id="result"' in r.text
    assert "fixed-seed" in r.text
    again = web.get("/office/spot-checks")
    assert "fixed-seed" in again.text  # kept among the past draws
    bad = web.post(
        "/office/spot-checks",
        data={"subjects": "91520000000000000X", "csrf_token": csrf_of(again.text)},
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_desks_speak_one_language(web: TestClient, lang: str) -> None:
    """No raw code in either language, no English words in Chinese (issue 14 item 3)."""
    from tests.e2e.api.test_one_language import english_words, raw_codes, visible_text

    web.cookies.set("lang", lang)
    problems: dict[str, object] = {}
    for path in ("/office/dashboard", "/office/dashboard?region=520100&provider=GY-SJJ",
                 "/office/grades", "/office/calendar", "/office/spot-checks"):  # fmt: skip
        r = web.get(path)
        assert r.status_code == 200, path
        text = visible_text(r.text)
        if found := raw_codes(text):
            problems[f"{path} raw codes"] = sorted(found)
        # The test account's own name ("desk_office") is shown in the header.
        if lang == "zh" and (words := english_words(text) - {"desk", "office"}):
            problems[f"{path} English words"] = sorted(words)[:30]
    assert not problems, problems
