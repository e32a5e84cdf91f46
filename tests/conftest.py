"""Fixtures shared by every tier.

Storage tests run on SQLite and, when ``XINYONG_TEST_DATABASE_URL`` names a PostgreSQL server,
on PostgreSQL too, through the same fixtures: ``engine`` is parametrised by backend, and each test
gets a ``db`` session inside a transaction that is rolled back at the end (services may commit:
their commits release savepoints).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from coverage import Coverage
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from xinyong import bootstrap
from xinyong.accounts import passwords
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine

# Property tests judge behaviour, not speed: a loaded CI machine must not fail them.
hypothesis_settings.register_profile(
    "xinyong", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("xinyong")

# Test passwords are hashed with Argon2id's cheapest parameters (one pass over 8 KiB): at the
# platform's cost (about 0.1 s a hash, held by tests/unit/accounts/test_passwords.py) hashing and
# checking the suite's test passwords took about 40 % of its time. Hashes stay Argon2id.
passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

# The test session is a composition root too: services called directly publish their events
# into the same handler table the app and the CLI wire.
bootstrap.wire()

PG_URL = os.environ.get("XINYONG_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])

#: The instant most tests run at: 2026-09-30 10:00 Asia/Shanghai (a Wednesday).
FROZEN = datetime(2026, 9, 30, 10, 0, tzinfo=PLATFORM_ZONE)


def _pg_admin_engine() -> Engine:
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT")


def create_database(backend: str, tmp: Path) -> str:
    """A new, empty database of ``backend``; returns its URL."""
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'xinyong-{uuid.uuid4().hex[:8]}.sqlite3'}"
    name = f"xinyong_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    name = make_url(url).database
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def _private_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keys and witness files that code writes with default settings go to a scratch
    directory, never to the checkout's ``var/`` (``make test`` exports XINYONG_VAR_DIR)."""
    saved = {k: os.environ.get(k) for k in ("XINYONG_VAR_DIR", "XINYONG_AUDIT_WITNESS_DIR")}
    scratch = tmp_path_factory.mktemp("var")
    os.environ["XINYONG_VAR_DIR"] = str(scratch)
    os.environ.pop("XINYONG_AUDIT_WITNESS_DIR", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One schema per backend for the whole run (built from the models)."""
    load_all_models()
    url = create_database(backend, tmp_path_factory.mktemp(backend))
    eng = make_engine(url)
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()
    drop_database(url)


@pytest.fixture(autouse=True)
def _fresh_item_cache() -> Iterator[None]:
    """Published catalogue versions are cached per process by id; the rolled-back
    transactions of the tests reuse ids (SQLite), which a real database never does."""
    from xinyong.disclosure import items

    items.clear()
    yield
    items.clear()


@pytest.fixture(autouse=True)
def _coverage_from_sqlite_runs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Under ``make test COVERAGE=1`` (CI) coverage is paused while the PostgreSQL run of a
    backend-parametrised test runs, unless the test is marked ``postgresql_only`` (its SQLite
    run skips). The SQLite run passes through the same code, and coverage slows what it traces
    by about half (``tests/integration/inquiry``: 22 s untraced, 41–45 s traced, 28–35 s with
    its PostgreSQL runs untraced). What only PostgreSQL runs is still measured: the
    ``postgresql_only`` tests, the tests that are not parametrised by backend, and each
    session's set-up of its database. A thread that outlives a pause (a session's live server)
    is not traced again; the test client traces its code."""
    callspec = getattr(request.node, "callspec", None)
    params = callspec.params.values() if callspec is not None else ()
    on_postgresql = any(isinstance(v, str) and v == "postgresql" for v in params)
    paused = on_postgresql and request.node.get_closest_marker("postgresql_only") is None
    cov = Coverage.current() if paused else None
    if cov is None:
        yield
        return
    cov.stop()
    try:
        yield
    finally:
        cov.start()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    conn = engine.connect()
    trans = conn.begin()
    yield conn
    if trans.is_active:
        trans.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture
def clock() -> Clock:
    return Clock(FROZEN)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        var_dir=tmp_path / "var",
        database_url="sqlite://",
        now=FROZEN,
        audit_key_path=tmp_path / "keys" / "audit.pem",
        secret_key="test-secret-key-not-for-production",
    )


@pytest.fixture
def app(settings: Settings, engine: Engine, session_factory: sessionmaker[Session]) -> FastAPI:
    from xinyong.web.app import create_app

    application = create_app(settings, engine=engine)
    application.state.session_factory = session_factory
    application.state.read_session_factory = session_factory
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def fresh_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the current backend, for tests that need real commits
    (subprocesses, migrations, concurrency). Dropped at the end."""
    url = create_database(backend, tmp_path)
    yield url
    drop_database(url)


#: Modules whose tests each take tens of seconds (browser crawls, fuzzing, subprocess servers,
#: benchmark smoke runs). Spread through the collection so that no xdist worker is left with a
#: run of them at the end while the others sit idle.
LONG_RUNNING = (
    "test_crawl.py",
    "test_fuzz.py",
    "test_province.py",
    "test_bench_smoke.py",
    "test_failover.py",
    "test_standby.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    long = [i for i in items if i.path.name in LONG_RUNNING]
    if not long:
        return
    rest = [i for i in items if i.path.name not in LONG_RUNNING]
    step = -(-len(rest) // len(long))  # ceiling: every long test gets a share of the rest
    spread: list[pytest.Item] = []
    for n, item in enumerate(long):
        spread.append(item)
        spread.extend(rest[n * step : (n + 1) * step])
    items[:] = spread
