"""A bulk import killed part-way leaves only whole chunks; running it again completes it
without duplicates (COL-1). Runs ``xinyong import`` in a subprocess against a real database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench.import_rate import write_penalty_csv
from sqlalchemy import func, select

from tests.conftest import FROZEN
from tests.factories.accounts import make_org
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.records.models import BatchStatus, DeliveryBatch, Record

ROWS = 10_000
CHUNK = 1_000

#: ``xinyong import`` as the CLI registers it (until it is wired into ``cli/main.py``).
RUNNER = """
import typer
from xinyong import bootstrap
from xinyong.cli.imports import register
bootstrap.wire()
app = typer.Typer(pretty_exceptions_enable=False)
@app.callback()
def main() -> None: ...
register(app)
app()
"""


def _children(pid: int) -> set[int]:
    """The processes ``pid`` forked (Linux's ``/proc``; none elsewhere)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _gone(pids: set[int], *, within: float) -> bool:
    deadline = time.monotonic() + within
    while any(Path(f"/proc/{pid}").exists() for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _run(url: str, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "XINYONG_DATABASE_URL": url, "XINYONG_NOW": FROZEN.isoformat()}
    args = ["import", str(path), "--item", "admin_penalty", "--org", "GY-SJJ"]
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, *args, "--chunk-size", str(CHUNK)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_killed_import_resumes_without_duplicates(fresh_db_url: str, tmp_path: Path) -> None:
    load_all_models()
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as setup:
        load_shipped_catalogues(setup, actor=SYSTEM, at=FROZEN)
        setup.commit()
        make_org(setup, at=FROZEN, code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
        setup.commit()  # the setup's use case ends here
    # Polls while the import writes: a read-only session never holds SQLite's write lock.
    session = make_session_factory(engine, writes=False)()
    path = write_penalty_csv(tmp_path / "penalties.csv", ROWS)

    def count() -> int:
        session.rollback()  # a fresh snapshot
        return session.scalar(select(func.count()).select_from(Record)) or 0

    proc = _run(fresh_db_url, path)
    deadline = time.monotonic() + 60
    while count() < CHUNK and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    helpers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Its helper process ends with it: left running, it would hold the killed import's
    # database connection (and on PostgreSQL its transaction's locks) open.
    assert _gone(helpers, within=10)
    killed_at = count()
    assert killed_at >= CHUNK, proc.stderr.read() if proc.stderr else ""
    assert killed_at % CHUNK == 0  # only whole chunks were committed
    assert killed_at < ROWS, "the import finished before it could be killed"
    batch = session.scalars(select(DeliveryBatch)).one()
    assert batch.status is BatchStatus.RUNNING
    assert batch.accepted == killed_at
    assert batch.last_committed_line == killed_at + 1

    again = _run(fresh_db_url, path)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    assert count() == ROWS
    distinct = session.scalar(select(func.count(func.distinct(Record.source_key))))
    assert distinct == ROWS
    batches = session.scalars(select(DeliveryBatch)).all()
    assert len(batches) == 1  # the interrupted batch was resumed, not started over
    assert batches[0].status is BatchStatus.COMPLETE
    assert batches[0].accepted == ROWS
    assert str(ROWS) in out.decode()
    session.close()
    engine.dispose()
