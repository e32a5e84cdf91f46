"""Batch checks (批量比对) over HTTP: an institution's batch answers only consented subjects and
rejects the rest by line; every answered row is in its subject's "who looked"; an organ's batch
carries lists, grade and measures; results as JSON and CSV; bad files are clear 422s; a large
batch is answered in the background with progress (issue 17 item 2)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD, make_org, make_user
from tests.factories.disclosure import uscc
from tests.factories.measures import World, make_world
from xinyong.audit.binding import verify_bindings
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import Clock
from xinyong.inquiry.models import Inquiry, InquiryChannel
from xinyong.measures import batches
from xinyong.subjects.service import ensure_subject

INSTITUTION_ORG = "GZ-CSI-B"


@pytest.fixture
def world(app: FastAPI, db: Session, clock: Clock) -> World:
    at = clock.now()
    made = make_world(db, at=at, seq=760)
    make_org(db, at=at, code=INSTITUTION_ORG, kind="institution", name="黔信批量示例")
    make_user(db, at=at, role=Role.INSTITUTION, username="csi_batch", org_code=INSTITUTION_ORG)
    for username, code in (("clean_agent", made.clean), ("pen_agent", made.penalised)):
        make_user(db, at=at, role=Role.SUBJECT, username=username, subject_code=code)
    db.commit()
    app.state.settings.check_batch_thread = False
    return made


def login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def upload(
    client: TestClient, headers: dict[str, str], content: bytes | str, matter: str = "licensing"
) -> tuple[int, dict]:  # type: ignore[type-arg]
    data = content.encode() if isinstance(content, str) else content
    r = client.post(
        "/api/v1/checks/batches", headers=headers, data={"matter": matter},
        files={"file": ("subjects.csv", data, "text/csv")},
    )  # fmt: skip
    return r.status_code, r.json()


def wrong_check(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def test_an_institution_is_answered_only_under_consent_and_each_row_is_seen_by_its_subject(
    client: TestClient, db: Session, clock: Clock, world: World
) -> None:
    subject = login(client, "clean_agent")
    expires = (clock.now() + timedelta(days=30)).isoformat()
    r = client.post("/api/v1/consents", headers=subject, json={
        "grantee": INSTITUTION_ORG, "items": ["admin_penalty"], "purpose": "financial_support",
        "expires_at": expires,
    })  # fmt: skip
    assert r.status_code == 201, r.text
    bad = wrong_check(world.defaulter)
    text = (
        "subject,name\n"
        f"{world.clean},贵州守信示例有限公司\n"  # line 2: consented → answered
        f"{world.penalised},\n"  # line 3: no consent → rejected
        f"{bad},\n"  # line 4: wrong check character
        "\n"
        f"{world.clean.lower()},\n"  # line 6: the same subject as line 2
        f"{uscc(799)},\n"  # line 7: a valid code nobody holds
    )
    status, body = upload(client, login(client, "csi_batch"), text, matter="financial_support")
    assert status == 201, body
    assert body["status"] == "done"
    assert body["total"] == 5
    assert body["progress"] == 1.0
    assert [(row["line"], row["subject"]) for row in body["rows"]] == [(2, world.clean)]
    assert body["rows"][0]["grade"] is None or body["rows"][0]["grade"] in "ABCD"
    rejected = {row["line"]: row for row in body["rejected"]}
    assert rejected[3]["code"] == "consent_required"
    assert rejected[4]["code"] == "invalid_identifier"
    assert f"should be {world.defaulter[17]}" in rejected[4]["reason"]
    assert rejected[6]["code"] == "duplicate_line"
    assert "line 2" in rejected[6]["reason"]
    assert rejected[7]["code"] == "subject_not_found"
    assert set(rejected) == {3, 4, 6, 7}

    seen = client.get("/api/v1/me/inquiries", headers=subject).json()["items"]
    assert [(i["organisation"], i["channel"], i["purpose"]) for i in seen] == [
        ("黔信批量示例", "batch", "financial_support")
    ]
    # The subject outside consent was refused: nothing disclosed, nothing in its list.
    assert client.get("/api/v1/me/inquiries", headers=login(client, "pen_agent")).json() == {
        "items": []
    }
    logged = db.scalars(select(Inquiry).where(Inquiry.channel == InquiryChannel.BATCH)).all()
    assert sorted(r.outcome.value for r in logged) == ["answered", "refused", "refused"]
    # Each logged row is bound to the audit log (its chunk's entry).
    assert verify_bindings(db).ok


def test_an_organ_batch_gives_lists_grade_measures_and_csv_and_rows_are_logged(
    client: TestClient, world: World
) -> None:
    organ = login(client, "finance_staff")
    text = f"subject\n{world.defaulter}\n{world.penalised}\n{world.clean}\n"
    status, body = upload(client, organ, text, matter="financial_support")
    assert status == 201, body
    by_line = {row["line"]: row for row in body["rows"]}
    assert set(by_line) == {2, 3, 4}
    assert body["rejected"] == []
    assert by_line[2]["grade"] == "D"
    assert {m["code"] for m in by_line[2]["measures"]} >= {"restrict_government_funding"}
    assert all(m["legal_basis"] for m in by_line[2]["measures"])
    assert by_line[4]["grade_reason"] == "unrated"
    assert all(row["check_id"] for row in body["rows"])
    # The check of a batch row is a check: the organ reports what it applied.
    applied = client.post(
        f"/api/v1/checks/{by_line[2]['check_id']}/applied",
        json={"measures": ["restrict_government_funding"]}, headers=organ,
    )  # fmt: skip
    assert applied.status_code == 201, applied.text

    again = client.get(f"/api/v1/checks/batches/{body['batch_id']}", headers=organ).json()
    assert again["rows"] == body["rows"]
    r = client.get(f"/api/v1/checks/batches/{body['batch_id']}/results.csv", headers=organ)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert next((x["line"], x["status"], x["grade"]) for x in lines) == ("2", "accepted", "D")
    assert "restrict_government_funding" in lines[0]["measures"]
    # Another account does not see the batch.
    other = client.get(
        f"/api/v1/checks/batches/{body['batch_id']}", headers=login(client, "organ_staff")
    )
    assert other.status_code == 404
    listed = client.get("/api/v1/checks/batches", headers=organ).json()["items"]
    assert [b["batch_id"] for b in listed] == [body["batch_id"]]
    seen = client.get("/api/v1/me/inquiries", headers=login(client, "clean_agent")).json()
    assert [i["channel"] for i in seen["items"]] == ["batch"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"12345\n67890\n", "missing_header"),
        (b"name\nfoo\n", "missing_header"),
        (b"subject\n", "no_rows"),
        (b"subject\n91520100\x00\n", "binary_file"),
        ("subject,name\n915201007000000001,贵州\n".encode("gbk"), "not_utf8"),
        (("subject\n" + "x\n" * 10_001).encode(), "too_many_rows"),
        (b'subject\n"abc\n', "unreadable_file"),
    ],
)
def test_bad_files_are_clear_422s(
    client: TestClient, world: World, content: bytes, code: str
) -> None:
    status, body = upload(client, login(client, "finance_staff"), content)
    assert status == 422, body
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_roles_and_matter(client: TestClient, world: World) -> None:
    text = f"subject\n{world.clean}\n"
    assert upload(client, {}, text)[0] == 401
    assert upload(client, login(client, "office_m"), text)[0] == 403
    status, body = upload(client, login(client, "finance_staff"), text, matter="nope")
    assert status == 422
    assert body["error"]["code"] == "unknown_matter"
    r = client.post("/api/v1/checks/batches", headers=login(client, "finance_staff"),
                    data={"matter": "licensing"})  # fmt: skip
    assert r.status_code == 422


def test_a_large_batch_runs_in_the_background_with_progress(
    client: TestClient,
    db: Session,
    clock: Clock,
    session_factory,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    at = clock.now()
    codes = [uscc(8000 + i) for i in range(batches.INLINE_ROWS + 5)]
    for i, code in enumerate(codes):
        ensure_subject(db, actor=SYSTEM, type="legal_person", id_value=code,
                       name=f"批量示例{i}有限公司", at=at)  # fmt: skip
    db.commit()
    organ = login(client, "finance_staff")
    status, body = upload(client, organ, "subject\n" + "\n".join(codes) + "\n")
    assert status == 202, body
    assert body["status"] == "queued"
    assert body["processed"] == 0
    assert body["total"] == len(codes)
    assert batches.run_pending_batches(session_factory, clock, max_chunks=1) == batches.CHUNK
    half = client.get(f"/api/v1/checks/batches/{body['batch_id']}", headers=organ).json()
    assert half["status"] == "running"
    assert half["processed"] == batches.CHUNK
    assert 0 < half["progress"] < 1
    batches.run_pending_batches(session_factory, clock)
    done = client.get(f"/api/v1/checks/batches/{body['batch_id']}", headers=organ).json()
    assert done["status"] == "done"
    assert done["accepted"] == len(codes)
    assert len(done["rows"]) == len(codes)


def test_a_wrong_name_and_the_daily_cap_reject_rows_by_line(
    client: TestClient, db: Session, clock: Clock, world: World
) -> None:
    extra = uscc(769)
    ensure_subject(
        db, actor=SYSTEM, type="legal_person", id_value=extra, name="贵州另一示例有限公司",
        at=clock.now(),
    )  # fmt: skip
    db.commit()
    office = login(client, "office_m")
    r = client.put("/api/v1/inquiry-caps/default", json={"per_day": 2}, headers=office)
    assert r.status_code == 200, r.text
    text = (
        "subject,name\n"
        f"{world.defaulter},贵州失信示例有限公司\n"  # the registered name (full-width ok)
        f"{world.penalised},别的公司\n"  # a name that is not the subject's
        f"{world.clean},\n"
        f"{extra},\n"  # a third answer: over the cap of 2
    )
    status, body = upload(client, login(client, "organ_staff"), text, matter="inspection")
    assert status == 201, body
    assert [row["line"] for row in body["rows"]] == [2, 4]
    codes = {row["line"]: row["code"] for row in body["rejected"]}
    assert codes[3] == "name_mismatch"
    assert codes[5] == "daily_cap_reached"
    # The cap holds for single inquiries after the batch too.
    one = client.post(
        "/api/v1/checks", json={"subject": world.clean, "matter": "inspection"},
        headers=login(client, "organ_staff"),
    )  # fmt: skip
    assert one.status_code == 429
    assert one.json()["error"]["code"] == "daily_cap_reached"
