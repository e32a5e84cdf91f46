"""Browser tests: a real server on a free port, driven by Chromium through Playwright.

Mark every test ``@pytest.mark.browser`` (``pytest -m "not browser"`` skips them).

``live_server`` runs on SQLite only, on purpose: most of these tests check what the browser
shows and does; storage behaviour that differs between SQLite and PostgreSQL is covered by the
integration and API tests, which run on both. Running every browser test twice would double the
slowest tier for nothing.

``live_server_each`` is the same server parametrised by backend (SQLite, and PostgreSQL when
``XINYONG_TEST_DATABASE_URL`` is set), for the few journeys whose acceptance asks for browser
tests on both databases (issue 17). It is another server, on another port and database, than
``live_server``: tests using it go to absolute URLs (``live_server_each.url + "/…"``), since the
browser's ``base_url`` is ``live_server``'s.

Both are session-scoped (starting uvicorn and Chromium per test would be slow), so tests share
one database per server: seed with names of your own (unique usernames, codes) and do not
assume an empty table.

A fixture that seeds one of these servers is session-scoped too, never module-scoped: the long
tests are spread through the collection (``tests/conftest.py``), so a module's tests need not
run one after another on a worker, and a module fixture would seed the same rows again.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.conftest import BACKENDS, FROZEN, create_database, drop_database
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.db.uow import use_case
from xinyong.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
STARTUP_TIMEOUT = 20.0


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """The system Chromium, without the sandbox (containers) or any background traffic."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@dataclass
class LiveServer:
    """A running platform: ``url`` to browse, ``database_url`` to seed it."""

    url: str
    database_url: str
    settings: Settings
    engine: Engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session on the server's database: one unit of work, committed when the block
        ends (services only flush), so the server sees the data."""
        with use_case(make_session_factory(self.engine)) as uow:
            yield uow.session


def _free_socket() -> socket.socket:
    # Hand uvicorn an already bound socket: picking a port number and binding it later races
    # with other processes on the machine.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _wait_until_up(url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the test server stopped while starting")
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if with an error page
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the test server did not answer at {url} within {STARTUP_TIMEOUT} s")


@contextmanager
def _serve(tmp: Path, database_url: str) -> Iterator[LiveServer]:
    """The platform on an empty database at ``database_url``, in a thread, until the block
    ends; its var directory (keys, publication store) under ``tmp``."""
    engine = make_engine(database_url)
    # The lead will switch this to the migrations once they cover every context.
    load_all_models()
    Base.metadata.create_all(engine)
    settings = Settings(
        database_url=database_url,
        var_dir=tmp / "var",
        now=FROZEN,
        audit_key_path=tmp / "keys" / "audit.pem",
        secret_key="browser-test-secret-key-not-for-production",
        # One server for the whole browser session, every page from 127.0.0.1: the public
        # channel's per-address limit (Art. 18) is tested in tests/e2e/api/test_public_limits.py.
        public_rate_per_minute=1_000_000,
    )
    app = create_app(settings)
    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, thread)
        yield LiveServer(url=url, database_url=database_url, settings=settings, engine=engine)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.engine.dispose()
        engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp: Path = tmp_path_factory.mktemp("live")
    with _serve(tmp, f"sqlite:///{tmp / 'xinyong.sqlite3'}") as server:
        yield server


@pytest.fixture(scope="session", params=BACKENDS)
def live_server_each(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A server per backend: the tests using it run once on each database."""
    backend = str(request.param)
    tmp: Path = tmp_path_factory.mktemp(f"live-{backend}")
    database_url = create_database(backend, tmp)
    try:
        with _serve(tmp, database_url) as server:
            yield server
    finally:
        drop_database(database_url)


@pytest.fixture(scope="session")
def browser_context_args(
    browser_context_args: dict[str, Any], live_server: LiveServer
) -> dict[str, Any]:
    """Relative ``page.goto("/")`` goes to the live server; a phone-sized window would be set
    per test with ``page.set_viewport_size``."""
    return {**browser_context_args, "base_url": live_server.url}
