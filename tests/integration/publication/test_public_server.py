"""``xinyong serve --public`` (issue 15 item 2) and open data (issue 17 item 5) over HTTP.

The public server is started as a real process with no core database URL in its environment;
it answers the public routes exactly as the one-process server does, from the store alone,
and knows no other route."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.factories.accounts import actor_of, make_user
from tests.factories.catalogue import OFFICE, item_create
from tests.integration.publication.conftest import COMPANY, ENDING, PERSON, TAXED
from xinyong.audit.service import make_checkpoint
from xinyong.catalogue.service import draft_item
from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.publication.publish import publish
from xinyong.reports.service import issue_report

SRC = Path(__file__).resolve().parents[3] / "src"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def _published(
    core: Session, public_factory: sessionmaker[Session], clock: Clock, settings: Settings
) -> None:
    factory = sessionmaker(bind=core.get_bind(), join_transaction_mode="create_savepoint")
    publish(factory, public_factory, clock, settings=settings)


PATHS = (
    f"/api/v1/public/subjects/{COMPANY[1]}",
    f"/api/v1/public/subjects/{ENDING[1]}",
    f"/api/v1/public/subjects/{TAXED[1]}",
    f"/api/v1/public/subjects/{PERSON[1]}",
    "/api/v1/public/subjects/91520100MA6DXXXXXX",
    "/api/v1/public/subjects?q=" + urllib.request.quote("公示库"),
    "/api/v1/public/subjects?q=" + urllib.request.quote("公示库") + "&limit=1&page=2",
    "/api/v1/public/subjects?q=x",
    f"/api/v1/public/subjects?q={PERSON[1]}",
    "/api/v1/public/open-data",
    "/api/v1/catalogue/items",
    "/api/v1/catalogue/items?tier=local&sort=name&order=desc",
    "/api/v1/catalogue/items/admin_penalty",
    "/api/v1/catalogue/items/no_such_item",
    "/api/v1/audit/checkpoint",
)


def test_the_public_server_answers_from_the_store_alone(
    core: Session,
    public_factory: sessionmaker[Session],
    store_engine: Engine,
    clock: Clock,
    app: FastAPI,
    client: TestClient,
    tmp_path: Path,
) -> None:
    holder = make_user(core, at=clock.now(), role=Role.SUBJECT, username="gsk_holder",
                       subject_code=COMPANY[1])  # fmt: skip
    report, _pdf = issue_report(core, actor=actor_of(holder), at=clock.now())
    settings: Settings = app.state.settings
    make_checkpoint(core, at=clock.now(), settings=settings)
    core.flush()
    _published(core, public_factory, clock, settings)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINYONG_")}
    env.update({
        "PYTHONPATH": str(SRC),
        "XINYONG_VAR_DIR": str(tmp_path / "public-var"),
        "XINYONG_PUBLIC_DATABASE_URL": store_engine.url.render_as_string(hide_password=False),
        "XINYONG_NOW": clock.now().isoformat(),
        "XINYONG_PUBLIC_RATE_PER_MINUTE": "10000",
    })  # fmt: skip
    assert "XINYONG_DATABASE_URL" not in env
    code = "from xinyong.cli.main import app; app()"
    server = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--public", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                if _get(base + "/healthz")[0] == 200:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("the public server did not start")
            time.sleep(0.1)
        # The one-process app (its own store, caught up on read) answers the same.
        for path in PATHS:
            status, body, _ = _get(base + path)
            ours = client.get(path)
            assert status == ours.status_code, path
            assert json.loads(body) == ours.json(), path
        # A report issued in the core is verified by its number on the public server.
        status, body, _ = _get(base + f"/api/v1/reports/{report.number}")
        assert status == 200, body
        assert json.loads(body) == client.get(f"/api/v1/reports/{report.number}").json()
        assert json.loads(body)["digest"] == report.digest
        status, body, _ = _get(base + "/api/v1/reports/XYBG-20260930-AAAAAAAA")
        assert (status, json.loads(body)["error"]["code"]) == (404, "report_not_found")
        page = _get(base + f"/reports/verify?number={report.number}")
        assert page[0] == 200
        assert report.digest in page[1].decode()
        page = _get(base + f"/public/subjects/{COMPANY[1]}")
        assert page[0] == 200
        assert COMPANY[0] in page[1].decode()
        assert _get(base + "/public/search?q=" + urllib.request.quote("公示库"))[0] == 200
        assert _get(base + "/catalogue")[0] == 200
        csv_answer = _get(base + "/catalogue.csv")
        assert csv_answer[1].decode() == client.get("/catalogue.csv").text
        # A catalogue change shows on the public server once published.
        assert "gz_test_item" not in _get(base + "/catalogue")[1].decode()
        draft_item(core, actor=OFFICE, data=item_create(), at=clock.now())
        core.flush()
        _published(core, public_factory, clock, settings)
        status, body, _ = _get(base + "/api/v1/catalogue/items/gz_test_item")
        assert status == 200, body
        assert json.loads(body) == client.get("/api/v1/catalogue/items/gz_test_item").json()
        assert "gz_test_item" in _get(base + "/catalogue/gz_test_item")[1].decode()
        # Nothing but the public channel: no accounts, no records, no core pages.
        for path in ("/api/v1/records/1", "/api/v1/me/credit", "/login", "/api/v1/auth/token"):
            assert _get(base + path)[0] == 404, path
        # Without a core database the server still stands: no core URL was ever read.
        assert not (tmp_path / "public-var" / "xinyong.sqlite3").exists()
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output, output


def test_open_data_files_list_their_records_and_digests(core: Session, client: TestClient) -> None:
    index = client.get("/api/v1/public/open-data")
    assert index.status_code == 200, index.text
    files = index.json()["items"]
    penalties = [f for f in files if f["item"] == "admin_penalty"]
    assert {f["format"] for f in penalties} == {"csv", "json"}
    assert all(f["item"] != "tax_arrears" for f in files)  # not a public item
    for f in penalties:
        got = client.get(f["url"])
        assert got.status_code == 200
        assert hashlib.sha256(got.content).hexdigest() == f["sha256"]
        assert got.headers["x-content-sha256"] == f["sha256"]
        if f["format"] == "csv":
            rows = list(csv.DictReader(io.StringIO(got.text)))
            assert len(rows) == f["records"]
            assert all(r["decided_on"] == f["date"] for r in rows)
            assert PERSON[1] not in got.text
            assert "XDR_ZJHM" not in got.text
        else:
            body = got.json()
            assert body["item"] == "admin_penalty"
            assert len(body["records"]) == f["records"]
    day = next(f for f in penalties if f["format"] == "csv")["date"]
    assert client.get(f"/api/v1/public/open-data/admin_penalty/{day}.xml").status_code == 404
    assert client.get("/api/v1/public/open-data/admin_penalty/2026-13-01.csv").status_code == 422
    assert client.get("/api/v1/public/open-data/tax_arrears/2026-09-01.csv").status_code == 404
    zh = client.get("/public/open-data?lang=zh")
    assert zh.status_code == 200
    assert "text/html" in zh.headers["content-type"]
    assert "开放数据" in zh.text
    assert "Open data" not in zh.text
    assert f"/api/v1/public/open-data/admin_penalty/{day}.csv" in zh.text
    en = client.get("/public/open-data?lang=en")
    assert "Open data" in en.text
    assert "开放数据" not in en.text
