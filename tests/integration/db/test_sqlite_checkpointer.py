"""SQLite's WAL is copied into the database file by a thread of its own, not by the commit
that happens to cross ``wal_autocheckpoint`` (that commit paid about 4 ms: the inquiries'
p99, issue 16). Seen from outside: the database file grows only when pages are copied into it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from xinyong.db import session as db_session
from xinyong.db.session import make_engine, start_checkpointer


@pytest.fixture
def engine(backend: str, fresh_db_url: str) -> Iterator[Engine]:
    if backend != "sqlite":
        pytest.skip("SQLite only: PostgreSQL checkpoints in its own processes")
    engine = make_engine(fresh_db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE blob (b BLOB)"))
    yield engine
    engine.dispose()


def _file(engine: Engine) -> Path:
    assert engine.url.database
    return Path(engine.url.database)


def _write_a_megabyte(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO blob VALUES (:b)"), [{"b": os.urandom(4096)}] * 256)


def _grows_within(path: Path, size: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.stat().st_size > size:
            return True
        time.sleep(0.05)
    return False


def test_commits_leave_the_wal_to_the_checkpointer(engine: Engine) -> None:
    before = _file(engine).stat().st_size
    _write_a_megabyte(engine)
    # The commit returned without copying its pages into the file (below the fallback)...
    assert _file(engine).stat().st_size == before
    start_checkpointer(engine)
    # ... the checkpointer copies them within a pass or two.
    assert _grows_within(_file(engine), before, 10 * db_session.CHECKPOINT_EVERY_S)


def test_the_checkpointer_stops_with_its_engine(engine: Engine) -> None:
    start_checkpointer(engine)
    start_checkpointer(engine)  # once per engine
    engine.dispose()
    time.sleep(2 * db_session.CHECKPOINT_EVERY_S)  # a pass may have been under way
    before = _file(engine).stat().st_size
    _write_a_megabyte(engine)
    assert not _grows_within(_file(engine), before, 4 * db_session.CHECKPOINT_EVERY_S)


def test_a_deleted_database_is_not_created_again(engine: Engine) -> None:
    start_checkpointer(engine)
    path = _file(engine)
    engine.dispose()
    engine.pool.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db_session._CHECKPOINTERS.pop(engine, None)
    start_checkpointer(engine)  # a checkpointer whose file is gone
    time.sleep(3 * db_session.CHECKPOINT_EVERY_S)
    assert not path.exists()
