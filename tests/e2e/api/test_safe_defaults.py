"""Safe defaults refuse to go unnoticed (issue 12 item 9; PLT-2): the published development
secret key is refused off loopback and announced on every page on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.conftest import FROZEN
from xinyong.cli.main import app as cli
from xinyong.cli.serve import is_loopback
from xinyong.core.config import DEV_SECRET_KEY, Settings
from xinyong.web.app import create_app

BANNER = "Development secret key in use"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.168.1.5", False),
     ("example.org", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    """``uvicorn.run`` replaced by a recorder: these tests are about whether serving starts."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.setenv("XINYONG_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.delenv("XINYONG_SECRET_KEY", raising=False)
    return calls


def test_serving_the_dev_key_beyond_loopback_refuses_to_start(served: list[Any]) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "XINYONG_SECRET_KEY" in result.output
    assert "development key" in result.output
    assert served == []


def test_the_dev_key_on_loopback_starts(served: list[Any]) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    assert served
    assert served[0]["host"] == "127.0.0.1"
    handlers = served[0]["log_config"]["handlers"].values()
    assert all("mask_identity_numbers" in h["filters"] for h in handlers)


def test_a_real_key_serves_anywhere(served: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XINYONG_SECRET_KEY", "a-long-random-production-secret-0123456789")
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert served[0]["host"] == "0.0.0.0"


def _settings(tmp_path: Path, secret: str) -> Settings:
    return Settings(
        var_dir=tmp_path / "var", database_url="sqlite://", now=FROZEN,
        audit_key_path=tmp_path / "keys" / "audit.pem", secret_key=secret,
    )  # fmt: skip


@pytest.mark.parametrize("path", ["/", "/login", "/catalogue", "/no-such-page"])
def test_every_page_warns_while_the_dev_key_is_in_use(
    tmp_path: Path, engine: Engine, path: str
) -> None:
    with TestClient(create_app(_settings(tmp_path, DEV_SECRET_KEY), engine=engine)) as dev:
        page = dev.get(path, headers={"Accept": "text/html"}, params={"lang": "en"})
    assert BANNER in page.text
    with TestClient(create_app(_settings(tmp_path, "another-secret-key-xyz"), engine=engine)) as c:
        page = c.get(path, headers={"Accept": "text/html"}, params={"lang": "en"})
    assert BANNER not in page.text
