"""PostgreSQL as deployed (issue 15 item 5): a streaming hot standby of the test cluster
(``.ci/standby.sh`` starts it and sets ``XINYONG_TEST_STANDBY_URL``) serves the public API with
two server processes, and sees a change made on the primary."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.conftest import FROZEN
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


def test_the_public_api_on_the_standby_sees_what_the_primary_got(
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
    env = {
        "XINYONG_DATABASE_URL": on_standby(fresh_db_url),
        "XINYONG_NOW": FROZEN.isoformat(),
        "XINYONG_VAR_DIR": str(tmp_path / "var"),
    }
    # TODO(i15-pub merge): serve ``--public`` with XINYONG_PUBLIC_DATABASE_URL on the standby's
    # copy of the publication store, once `xinyong publish` has run on the primary.
    with serving(["--workers", "2", "--no-jobs"], env) as base:
        page = f"{base}/api/v1/public/subjects/{CODE}"
        wait_for(lambda: httpx.get(f"{base}/readyz").status_code == 200)
        assert httpx.get(page).status_code == 404  # not delivered yet

        monkeypatch.setenv("XINYONG_DATABASE_URL", fresh_db_url)  # the primary
        monkeypatch.setenv("XINYONG_NOW", FROZEN.isoformat())
        monkeypatch.setenv("XINYONG_VAR_DIR", str(tmp_path / "var"))
        done = CliRunner().invoke(
            app, ["import", str(DATA), "--item", "admin_penalty", "--org", "GY-SJJ",
                  "--rejects", str(tmp_path / "rejects.csv")],
        )  # fmt: skip
        assert done.exit_code == 0, done.output

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
