"""Checkpoints witnessed outside the database (PLT-2): an attacker who can write the database
rewrites the log and deletes the stored checkpoints, and ``xinyong audit verify`` still fails
against the witness directory or a checkpoint kept by anyone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import FROZEN
from xinyong.audit import service as audit
from xinyong.audit import witness
from xinyong.cli.main import app
from xinyong.core.actor import Actor, Role
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory

ACTOR = Actor(role=Role.CREDIT_OFFICE, user_id=1, display_name="信用办")


def _append(url: str, n: int, *, tag: str = "catalogue:item:publish", sign: bool) -> None:
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        for i in range(n):
            audit.record_event(s, actor=ACTOR, tag=tag, at=FROZEN, object_id=i)
        if sign:
            audit.make_checkpoint(s, at=FROZEN, settings=Settings())
        s.commit()
    engine.dispose()


def _sql(url: str, *statements: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))
    engine.dispose()


@pytest.fixture
def env(fresh_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed log of 30 entries with one checkpoint; returns the witness directory."""
    monkeypatch.setenv("XINYONG_DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("XINYONG_AUDIT_KEY_PATH", str(tmp_path / "keys" / "audit.pem"))
    monkeypatch.setenv("XINYONG_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XINYONG_AUDIT_WITNESS_DIR", str(tmp_path / "witness"))
    load_all_models()
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    _append(fresh_db_url, 30, sign=True)
    return tmp_path / "witness"


def _rewrite_history(url: str) -> None:
    """What an attacker with the database alone can do: throw the log away, write another
    history of the same length with every hash recomputed, and delete the checkpoints."""
    _sql(
        url,
        "DELETE FROM audit_entry",
        "DELETE FROM audit_node",
        "DELETE FROM audit_root",
        "DELETE FROM audit_head",
        "DELETE FROM audit_sequence",
        "DELETE FROM audit_checkpoint",
    )
    _append(url, 30, tag="catalogue:item:draft", sign=False)


def verify(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", "verify", *args])
    return result.exit_code, result.output


def test_a_committed_checkpoint_is_witnessed_on_disk(env: Path) -> None:
    lines = (env / witness.FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["size"] == 30
    assert set(doc) >= {"size", "root", "signature", "at"}
    code, out = verify()
    assert code == 0, out
    assert "witnessed checkpoints verified: 1" in out


def test_a_rolled_back_checkpoint_is_not_witnessed(env: Path, fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with make_session_factory(engine)() as s:
        audit.record_event(s, actor=ACTOR, tag="catalogue:item:publish", at=FROZEN, object_id=99)
        audit.make_checkpoint(s, at=FROZEN, settings=Settings())
        s.rollback()
    engine.dispose()
    assert len((env / witness.FILE).read_text(encoding="utf-8").splitlines()) == 1
    assert verify()[0] == 0


def test_a_rewritten_history_fails_against_the_witness_directory(
    env: Path, fresh_db_url: str, tmp_path: Path
) -> None:
    _rewrite_history(fresh_db_url)
    # Against itself the rewritten log is consistent: only the witness can tell.
    code, out = verify()
    assert code == 1
    assert "witness_mismatch" in out
    assert witness.FILE in out
    # Without the witness directory, it is at best an unwitnessed log — never a pass.
    empty = tmp_path / "nowhere"
    empty.mkdir()
    with pytest.MonkeyPatch.context() as m:
        m.setenv("XINYONG_AUDIT_WITNESS_DIR", str(empty))
        code, out = verify()
    assert code == 2
    assert "WARNING" in out


def test_a_checkpoint_kept_by_anyone_catches_a_truncated_log(
    env: Path, fresh_db_url: str, tmp_path: Path
) -> None:
    _append(fresh_db_url, 5, sign=True)  # 35 entries, checkpoint at 35
    kept = tmp_path / "kept.json"
    kept.write_text((env / witness.FILE).read_text(encoding="utf-8").splitlines()[-1])
    (env / witness.FILE).unlink()  # even without the witness directory…
    _sql(
        fresh_db_url,
        "DELETE FROM audit_entry WHERE seq >= 32",
        "DELETE FROM audit_checkpoint WHERE size > 30",
        "UPDATE audit_head SET size = 32",
    )
    code, out = verify("--checkpoint", str(kept))
    assert code == 1
    assert "witness_truncated" in out
    assert "kept.json" in out


def test_an_unreadable_checkpoint_file_is_a_clear_error(env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"size": "many"}', encoding="utf-8")
    code, out = verify("--checkpoint", str(bad))
    assert code == 1
    assert "bad.json" in out
    missing = tmp_path / "missing.json"
    code, out = verify("--checkpoint", str(missing))
    assert code == 1
    assert "missing.json" in out
