"""PostgreSQL as deployed (issue 15 item 5): a streaming hot standby of the test cluster
(``.ci/standby.sh`` starts it and sets ``XINYONG_TEST_STANDBY_URL``) holds a copy of the
publication store; ``xinyong serve --public --workers 2`` serves the public API from that copy
alone (no core database in its environment) and sees what ``xinyong publish`` brought to the
store on the primary."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from tests.conftest import FROZEN, create_database, drop_database
from tests.factories.accounts import make_org
from tests.integration.ops.conftest import serving
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.cli.main import app
from xinyong.core.actor import SYSTEM
from xinyong.db.migrate import upgrade
from xinyong.db.session import make_engine, make_session_factory

STANDBY = os.environ.get("XINYONG_TEST_STANDBY_URL", "")
DATA = Path(__file__).parents[2] / "data" / "admin_penalty_shuanggongshi.csv"
CODE = "91520000214434146R"  # a company of the test file

pytestmark = pytest.mark.skipif(not STANDBY, reason="XINYONG_TEST_STANDBY_URL is not set")


def on_standby(primary_url: str) -> str:
    """The same database, as the standby serves it."""
    name = make_url(primary_url).database
    return make_url(STANDBY).set(database=name).render_as_string(hide_password=False)


def wait_for(check: object, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "not replicated in time"
        time.sleep(0.2)


def _xinyong(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str) -> str:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    done = CliRunner().invoke(app, list(args))
    assert done.exit_code == 0, done.output
    return done.output


@pytest.mark.postgresql_only
def test_the_public_server_on_the_standby_serves_what_the_primary_published(
    backend: str, fresh_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "postgresql":
        pytest.skip("streaming replication is PostgreSQL's")
    upgrade(fresh_db_url)
    engine = make_engine(fresh_db_url)
    with make_session_factory(engine)() as s:
        load_shipped_catalogues(s, actor=SYSTEM, at=FROZEN)
        s.commit()
        make_org(s, at=FROZEN, code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
        s.commit()
    engine.dispose()
    store = create_database(backend, tmp_path)  # the publication store, on the primary
    try:
        core = {
            "XINYONG_DATABASE_URL": fresh_db_url,
            "XINYONG_PUBLIC_DATABASE_URL": store,
            "XINYONG_NOW": FROZEN.isoformat(),
            "XINYONG_VAR_DIR": str(tmp_path / "var"),
        }
        _xinyong(monkeypatch, core, "publish")  # the store's schema, empty of subjects
        wait_for(lambda: _replicated(on_standby(store)))
        public = {  # nothing of the core: the standby's copy of the store only
            "XINYONG_DATABASE_URL": "",
            "XINYONG_PUBLIC_DATABASE_URL": on_standby(store),
            "XINYONG_NOW": FROZEN.isoformat(),
            "XINYONG_VAR_DIR": str(tmp_path / "public-var"),
        }
        with serving(["--public", "--workers", "2"], public) as base:
            page = f"{base}/api/v1/public/subjects/{CODE}"
            assert httpx.get(page).status_code == 404  # not delivered yet

            _xinyong(
                monkeypatch, core, "import", str(DATA), "--item", "admin_penalty",
                "--org", "GY-SJJ", "--rejects", str(tmp_path / "rejects.csv"),
            )  # fmt: skip
            assert httpx.get(page).status_code == 404  # delivered, not yet published
            _xinyong(monkeypatch, core, "publish")

            wait_for(lambda: httpx.get(page).status_code == 200)
            body = httpx.get(page).json()
            assert body["subject"]["code"] == CODE
            assert [r["item"] for r in body["records"]] == ["admin_penalty"]
            # Both processes answer, and /metrics (loopback) sums what each counted.
            for _ in range(10):
                assert httpx.get(f"{base}/healthz").status_code == 200
            metrics = httpx.get(f"{base}/metrics").text
            count = re.search(
                r'xinyong_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)',
                metrics,
            )
            assert count, metrics
            assert float(count.group(1)) >= 10
    finally:
        drop_database(store)


def _replicated(url: str) -> bool:
    """The store's tables have reached the standby."""
    try:
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                return bool(conn.execute(text("SELECT to_regclass('pub_state')")).scalar())
        finally:
            engine.dispose()
    except OperationalError:
        return False
