"""Engines and sessions. Built by the application factory, never at import time."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import Pool

#: Seconds SQLite (``busy_timeout``) and the in-process writer queue wait for the write lock.
BUSY_TIMEOUT_S = 10.0
#: The writer queue of each SQLite engine (keyed by its pool, which the engine's
#: ``execution_options`` copies share).
_WRITER_LOCKS: weakref.WeakKeyDictionary[Pool, threading.Lock] = weakref.WeakKeyDictionary()
_WRITER_KEY = "xinyong_writer_lock"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, emit BEGIN: SAVEPOINTs then work (nested use cases,
    # tests rolled back at the end), and transactions start where the code says.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
    cursor.close()


#: Pages the WAL may grow by before a committing connection checkpoints it itself, before it
#: returns (SQLite's default: 1000). The checkpointer (:func:`start_checkpointer`) does that
#: work off the request path; this bounds the WAL (about 40 MB) where none runs or it lags.
WAL_AUTOCHECKPOINT_PAGES = 10_000
#: Seconds between the checkpointer's checkpoints.
CHECKPOINT_EVERY_S = 0.5


class _Checkpointer:
    """Copies the WAL of one SQLite database into the database file every
    :data:`CHECKPOINT_EVERY_S`, on a thread of its own (``PRAGMA wal_checkpoint(PASSIVE)``:
    never waits for a reader or a writer; what it cannot copy now it copies next time).

    Without it, the commit that takes the WAL past ``wal_autocheckpoint`` pages copies it
    before it returns: on the laptop benchmark 1 to 2 % of the inquiries paid about 4 ms
    for it, which was their p99. The thread holds the path, never the engine; it opens the
    file only if it exists (``mode=rw``), so a database deleted under it is not re-created."""

    def __init__(self, path: str) -> None:
        self._uri = f"file:{quote(str(Path(path).resolve()))}?mode=rw"
        self._halt = threading.Event()
        thread = threading.Thread(target=self._run, name="sqlite-checkpointer", daemon=True)
        thread.start()

    def stop(self) -> None:
        self._halt.set()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self._halt.wait(CHECKPOINT_EVERY_S):
                try:
                    if conn is None:
                        conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:  # gone, or not a database (yet): tried again next time
                    if conn is not None:
                        conn.close()
                    conn = None
        finally:
            if conn is not None:
                conn.close()


_CHECKPOINTERS: weakref.WeakKeyDictionary[Engine, _Checkpointer] = weakref.WeakKeyDictionary()


def start_checkpointer(engine: Engine) -> None:
    """Keep the WAL of ``engine``'s SQLite file short off the request path (a process that
    serves requests: the web server, the worker). Nothing for PostgreSQL or an in-memory
    database; once per engine. It stops when the engine is disposed or dropped."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return
    if engine in _CHECKPOINTERS:
        return
    checkpointer = _CHECKPOINTERS[engine] = _Checkpointer(path)
    event.listen(engine, "engine_disposed", lambda _engine: checkpointer.stop())
    weakref.finalize(engine, checkpointer.stop)


#: Execution option naming how a SQLite transaction begins (see :func:`make_session_factory`).
BEGIN_OPTION = "xinyong_sqlite_begin"


def _sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get(BEGIN_OPTION, "IMMEDIATE")
    if mode == "IMMEDIATE":
        # One writer at a time: queue this process's writers on a lock that wakes the next
        # one as soon as the last commits, instead of each polling SQLite's busy handler,
        # which sleeps up to 100 ms between tries (long tails and idle gaps under load).
        # Other processes still meet SQLite's own lock; a queue not had within the busy
        # timeout falls back to it (a stuck holder costs that wait, then "database busy").
        lock = _WRITER_LOCKS.get(conn.engine.pool)
        if (
            _WRITER_KEY not in conn.info
            and lock is not None
            and lock.acquire(timeout=BUSY_TIMEOUT_S)
        ):
            conn.info[_WRITER_KEY] = lock
    try:
        conn.exec_driver_sql(f"BEGIN {mode}")
    except BaseException:
        _sqlite_end(conn)
        raise


def _sqlite_end(conn: Any) -> None:
    _release(conn.info)


def _sqlite_checkin(_dbapi_connection: Any, record: Any) -> None:
    # A connection back in (or dropped from) the pool holds no transaction; its record's
    # ``info`` is the ``Connection.info`` that took the lock.
    _release(record.info)


def _sqlite_reset(_dbapi_connection: Any, record: Any, _state: Any) -> None:
    _release(record.info)


def _sqlite_invalidate(_dbapi_connection: Any, record: Any, _exception: Any) -> None:
    _release(record.info)


def _release(info: dict[Any, Any]) -> None:
    lock = info.pop(_WRITER_KEY, None)
    if lock is not None:
        lock.release()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL and foreign keys, its directory is created."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _WRITER_LOCKS[engine.pool] = threading.Lock()
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "commit", _sqlite_end)
        event.listen(engine, "rollback", _sqlite_end)
        event.listen(engine.pool, "checkin", _sqlite_checkin)
        event.listen(engine.pool, "reset", _sqlite_reset)
        event.listen(engine.pool, "invalidate", _sqlite_invalidate)
        event.listen(engine.pool, "soft_invalidate", _sqlite_invalidate)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # Pre-ping by default (a connection the server dropped is replaced, not handed out); a
    # caller may turn it off (the latency benchmark measures the statements, not the ping).
    return create_engine(url, **{"pool_pre_ping": True, **kwargs})


def make_session_factory(
    engine: Engine, *, writes: bool = True, snapshot: bool = True
) -> sessionmaker[Session]:
    """Sessions on ``engine``.

    SQLite in WAL mode lets a transaction that began by reading upgrade to a writer only if no
    other connection committed since its first read; otherwise the write fails at once with
    "database is locked" (the busy timeout does not apply). So on SQLite a session that may
    write begins ``IMMEDIATE`` — it waits for the write lock up front — and only sessions
    declared read-only (``writes=False``: hot public reads) begin ``DEFERRED`` and run beside
    the writer. PostgreSQL needs neither: both kinds are the same there.

    ``snapshot=False`` (read-only sessions only): each statement reads its own snapshot of
    committed data. On PostgreSQL the session then runs in autocommit, without the ``BEGIN``
    and ``ROLLBACK`` round trips (the public page by code: p50 4.5 → 2.9 ms at 10 M records);
    for reads whose statements need not agree with each other to the instant (a subject, then
    its records: both only ever grow or gain versions).
    """
    if writes and not snapshot:
        raise ValueError("a session that may write needs its transaction")
    bind = engine
    if engine.dialect.name == "sqlite":
        bind = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE" if writes else "DEFERRED"})
    elif not snapshot:
        bind = engine.execution_options(isolation_level="AUTOCOMMIT")
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)
