"""Real processes (issue 15 items 3 and 4): ``serve --workers`` refuses SQLite for the core
server; two ``xinyong worker`` processes on one PostgreSQL database never run a job twice, and
SIGTERM lets a worker finish and exit."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.conftest import FROZEN
from tests.integration.ops.conftest import XINYONG
from xinyong.cli.main import app
from xinyong.db.migrate import upgrade
from xinyong.db.session import make_engine, make_session_factory
from xinyong.ops.models import JobState


def test_serve_with_workers_on_sqlite_is_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XINYONG_DATABASE_URL", f"sqlite:///{tmp_path / 'core.sqlite3'}")
    result = CliRunner().invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "Refusing --workers 2 on SQLite" in result.output
    assert "PostgreSQL" in result.output
    assert "--public" in result.output


@pytest.mark.postgresql_only
def test_two_workers_never_run_a_job_twice_and_stop_on_sigterm(
    backend: str, fresh_db_url: str, tmp_path: Path
) -> None:
    if backend != "postgresql":
        pytest.skip("several worker processes are a PostgreSQL deployment")
    upgrade(fresh_db_url)
    env = {
        **os.environ,
        "XINYONG_DATABASE_URL": fresh_db_url,
        "XINYONG_NOW": FROZEN.isoformat(),
        "XINYONG_VAR_DIR": str(tmp_path / "var"),
        "XINYONG_AUDIT_WITNESS_DIR": str(tmp_path / "witness"),
    }
    workers = [
        subprocess.Popen(
            [*XINYONG, "worker", "--poll", "0.2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    engine = make_engine(fresh_db_url)
    sessions = make_session_factory(engine)
    try:
        # Both poll five times a second; every job is due once in the first seconds, the
        # shortest interval (webhooks) is 30 s, so in ~6 s each job must have run exactly once.
        deadline = time.monotonic() + 40
        while True:
            with sessions() as s:
                rows = list(s.scalars(select(JobState)))
            if rows and all(r.runs >= 1 for r in rows):
                break
            assert time.monotonic() < deadline, [(r.name, r.runs) for r in rows]
            time.sleep(0.2)
        time.sleep(3)  # both keep polling: nothing more may run
        with sessions() as s:
            rows = list(s.scalars(select(JobState)))
        assert {r.name: r.runs for r in rows} == {r.name: 1 for r in rows}
        assert all(r.last_status == "ok" for r in rows), [(r.name, r.last_error) for r in rows]
        assert len(rows) >= 5
        owners = {r.last_owner for r in rows}
        assert owners  # whichever took each job; both may have
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        outputs = []
        for w in workers:
            out, _ = w.communicate(timeout=30)
            outputs.append((w.returncode, out.decode()))
        engine.dispose()
    for code, out in outputs:
        assert code == 0, out
        assert "worker stopped" in out
