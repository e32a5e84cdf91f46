"""``xinyong audit verify`` against a real, committed database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import FROZEN
from xinyong.audit import service as audit
from xinyong.cli.main import app
from xinyong.core.actor import Actor, Role
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory

ACTOR = Actor(role=Role.CREDIT_OFFICE, user_id=1, display_name="信用办")


@pytest.fixture
def env(fresh_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    key = tmp_path / "keys" / "audit.pem"
    monkeypatch.setenv("XINYONG_DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("XINYONG_AUDIT_KEY_PATH", str(key))
    monkeypatch.setenv("XINYONG_VAR_DIR", str(tmp_path / "var"))
    load_all_models()
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as s:
        for i in range(30):
            audit.record_event(s, actor=ACTOR, tag="catalogue:item:publish", at=FROZEN, object_id=i)
        audit.make_checkpoint(s, at=FROZEN, settings=Settings())
        s.commit()
    engine.dispose()
    return fresh_db_url


def _sql(url: str, sql: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_verify_passes_on_an_intact_log(env: str) -> None:
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "entries: 30" in result.output
    assert "checkpoints verified: 1" in result.output


def test_verify_fails_naming_the_edited_entry(env: str) -> None:
    _sql(env, "UPDATE audit_entry SET object_id = '999' WHERE seq = 17")
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "first bad entry: 17" in result.output
    assert "entry 17 was edited" in result.output


def test_verify_fails_naming_the_deleted_entry(env: str) -> None:
    _sql(env, "DELETE FROM audit_entry WHERE seq = 3")
    result = CliRunner().invoke(app, ["audit", "verify", "--thorough"])
    assert result.exit_code == 1
    assert "entry 3 is missing" in result.output


def test_checkpoint_command_prints_a_signed_head(env: str) -> None:
    result = CliRunner().invoke(app, ["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("xinyong\n30\n")
    assert "signature: " in result.output


def test_integrate_command_folds_what_waits(env: str) -> None:
    engine = make_engine(env)
    with make_session_factory(engine)() as s:
        # The tree will reach 1,000 entries: a checkpoint falls due.
        events = [audit.AuditEvent("catalogue:item:publish", object_id=i) for i in range(1005)]
        audit.record_events(s, actor=ACTOR, at=FROZEN, events=events)
        s.commit()
    engine.dispose()
    result = CliRunner().invoke(app, ["audit", "integrate"])
    assert result.exit_code == 0, result.output
    assert "integrated 1005 entries; tree size 1035" in result.output
    assert "checkpoints signed at 1000" in result.output
    again = CliRunner().invoke(app, ["audit", "integrate"])
    assert "integrated 0 entries; tree size 1035" in again.output
    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0
