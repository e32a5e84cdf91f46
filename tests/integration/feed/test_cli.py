"""``xinyong webhooks deliver`` and ``xinyong export`` against a real, committed database."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import FROZEN
from tests.factories.accounts import actor_of, make_org, make_user
from tests.integration.feed.helpers import deliver
from tests.integration.feed.receiver import receiver
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.cli import webhooks
from xinyong.core.actor import SYSTEM, Role
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.feed.schemas import WebhookCreate
from xinyong.feed.service import create_subscription

SECRET = "cli-test-secret-0123456789"


def cli() -> typer.Typer:
    app = typer.Typer()
    webhooks.register(app)  # until it is registered in xinyong.cli.main
    return app


@pytest.fixture
def env(fresh_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("XINYONG_DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("XINYONG_AUDIT_KEY_PATH", str(tmp_path / "keys" / "audit.pem"))
    monkeypatch.setenv("XINYONG_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XINYONG_NOW", FROZEN.isoformat())
    load_all_models()
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as s:
        load_shipped_catalogues(s, actor=SYSTEM, at=FROZEN)
        s.commit()
        make_org(s, at=FROZEN, code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
        provider = actor_of(
            make_user(s, at=FROZEN, role=Role.PROVIDER, username="sjj", org_code="GY-SJJ")
        )
        s.commit()
        deliver(s, provider, "701", FROZEN)
    engine.dispose()
    return fresh_db_url


def _subscribe(url: str, endpoint_url: str) -> None:
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        from xinyong.accounts.repository import user_by_username
        from xinyong.accounts.service import actor_for

        user = user_by_username(s, "sjj")
        assert user is not None
        create_subscription(
            s,
            actor=actor_for(user),
            data=WebhookCreate(url=endpoint_url, secret=SECRET),
            at=FROZEN,
        )
        deliver(s, actor_for(user), "702", FROZEN)
    engine.dispose()


def test_deliver_once_sends_due_deliveries(env: str) -> None:
    with receiver(SECRET) as endpoint:
        _subscribe(env, endpoint.url)
        result = CliRunner().invoke(cli(), ["webhooks", "deliver"])
        assert result.exit_code == 0, result.output
        assert "delivered 1" in result.output
        assert len(endpoint.received) == 1
        assert endpoint.received[0]["valid"]


def test_export_writes_the_csv(env: str, tmp_path: Path) -> None:
    out = tmp_path / "penalties.csv"
    result = CliRunner().invoke(
        cli(), ["export", "--item", "admin_penalty", "--org", "GY-SJJ", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "exported 1" in result.output
    lines = out.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()
    assert lines[0].startswith("source_id,XDR_MC")
    assert lines[1].startswith("701,")


def test_export_of_an_unknown_item_is_a_clear_error(env: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli(), ["export", "--item", "nope", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "unknown_catalogue_item" in result.output
    assert "Traceback" not in result.output
