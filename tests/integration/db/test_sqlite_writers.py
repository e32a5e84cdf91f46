"""SQLite lets one writer at a time; a session that may write must wait for the lock up front,
or concurrent requests fail with "database is locked" (found by the HTTP benchmark)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from xinyong.db.session import _WRITER_LOCKS, make_engine, make_session_factory


@pytest.fixture
def sqlite_url(backend: str, fresh_db_url: str) -> str:
    if backend != "sqlite":
        pytest.skip("SQLite only: PostgreSQL locks rows, not the database")
    engine = make_engine(fresh_db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE tally (n INTEGER)"))
    engine.dispose()
    return fresh_db_url


def test_writers_wait_for_each_other_instead_of_failing(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    errors: list[BaseException] = []
    first = factory()
    assert first.execute(text("SELECT count(*) FROM tally")).scalar() == 0  # holds the lock

    def second_writer() -> None:
        try:
            with factory() as s:
                seen = s.execute(text("SELECT count(*) FROM tally")).scalar()
                s.execute(text("INSERT INTO tally VALUES (:n)"), {"n": (seen or 0) + 1})
                s.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.3)  # the second writer is now waiting for the lock
    first.execute(text("INSERT INTO tally VALUES (1)"))
    first.commit()
    first.close()
    thread.join(timeout=15)
    assert errors == []
    with factory() as s:
        # The second writer read after the first committed: it counted 1 and wrote 2.
        assert s.execute(text("SELECT n FROM tally ORDER BY n")).scalars().all() == [1, 2]
    engine.dispose()


def test_a_read_only_session_runs_beside_the_writer_but_cannot_write(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    reader = make_session_factory(engine, writes=False)()
    writer = make_session_factory(engine)()
    assert reader.execute(text("SELECT count(*) FROM tally")).scalar() == 0
    writer.execute(text("INSERT INTO tally VALUES (1)"))  # not blocked by the reader
    writer.commit()
    # The reader's snapshot predates that commit: it may not become a writer.
    with pytest.raises(OperationalError, match="locked"):
        reader.execute(text("INSERT INTO tally VALUES (2)"))
    reader.rollback()
    assert reader.execute(text("SELECT count(*) FROM tally")).scalar() == 1
    reader.close()
    writer.close()
    engine.dispose()


def _queue_held(engine: Engine) -> bool:
    return _WRITER_LOCKS[engine.pool].locked()


def test_the_writer_queue_is_held_only_inside_a_write_transaction(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    writes, reads = make_session_factory(engine), make_session_factory(engine, writes=False)
    with reads() as r:
        r.execute(text("SELECT count(*) FROM tally")).scalar()
        assert not _queue_held(engine)  # readers never queue
    for end in ("commit", "rollback", "close"):
        s = writes()
        s.execute(text("INSERT INTO tally VALUES (1)"))
        assert _queue_held(engine)
        getattr(s, end)()
        s.close()
        assert not _queue_held(engine), end
    with engine.connect() as conn:  # a connection dropped mid-transaction releases it too
        conn.begin()
        assert _queue_held(engine)
    assert not _queue_held(engine)
    engine.dispose()


def test_concurrent_writers_all_land(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(25):
                with factory() as s:
                    seen = s.execute(text("SELECT count(*) FROM tally")).scalar() or 0
                    s.execute(text("INSERT INTO tally VALUES (:n)"), {"n": seen + 1})
                    s.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with factory() as s:
        # Each writer read the count after the previous one committed: 1, 2, … 200, no gaps.
        assert s.execute(text("SELECT n FROM tally ORDER BY n")).scalars().all() == list(
            range(1, 201)
        )
    engine.dispose()
