"""Engines and sessions. Built by the application factory, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, emit BEGIN: SAVEPOINTs then work (nested use cases,
    # tests rolled back at the end), and transactions start where the code says.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


#: Execution option naming how a SQLite transaction begins (see :func:`make_session_factory`).
BEGIN_OPTION = "xinyong_sqlite_begin"


def _sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get(BEGIN_OPTION, "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL and foreign keys, its directory is created."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_session_factory(engine: Engine, *, writes: bool = True) -> sessionmaker[Session]:
    """Sessions on ``engine``.

    SQLite in WAL mode lets a transaction that began by reading upgrade to a writer only if no
    other connection committed since its first read; otherwise the write fails at once with
    "database is locked" (the busy timeout does not apply). So on SQLite a session that may
    write begins ``IMMEDIATE`` — it waits for the write lock up front — and only sessions
    declared read-only (``writes=False``: hot public reads) begin ``DEFERRED`` and run beside
    the writer. PostgreSQL needs neither: both kinds are the same there.
    """
    bind = engine
    if engine.dialect.name == "sqlite":
        bind = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE" if writes else "DEFERRED"})
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)
