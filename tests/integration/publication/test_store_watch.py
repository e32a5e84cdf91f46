"""The one-process server's check before a public read (issue 16 item 1): two statements on
the driver, no session. A change committed by another connection (a CLI import, the worker)
shows on the next public read; a read with nothing new publishes nothing; a new day publishes
the day's expiring windows; reads received before a check began share its answer, and a read
received after a commit is checked anew. Real commits on a core and a store of their own, on
both backends."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import FROZEN, create_database, drop_database
from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import penalty, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.publication import store
from xinyong.publication.publish import is_behind
from xinyong.web.app import create_app
from xinyong.web.public_store import catch_up

COMPANY = "贵阳公示检查测试商贸有限公司"
CODE = uscc(741)


@pytest.fixture
def core_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    url = create_database(backend, tmp_path / "core")
    load_all_models()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()
    drop_database(url)


@pytest.fixture
def sessions(core_engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(core_engine)


@pytest.fixture
def provider(sessions: sessionmaker[Session]) -> Actor:
    with sessions() as s:
        load_shipped_catalogues(s, actor=SYSTEM, at=FROZEN)
        s.commit()
        make_org(s, at=FROZEN, code="GY-JC", kind="provider", name="贵阳市市场监督管理局")
        user = make_user(s, at=FROZEN, role=Role.PROVIDER, username="jc_provider",
                         org_code="GY-JC")  # fmt: skip
        s.commit()
        return actor_of(user)


def _deliver(sessions: sessionmaker[Session], provider: Actor, doc: str) -> None:
    """A penalty committed on a connection of its own, as another process would."""
    with sessions() as s:
        penalty(s, provider, person=False, name=COMPANY, code=CODE, decided_on=date(2026, 8, 1),
                severity="general", at=FROZEN, doc=doc)  # fmt: skip
        s.commit()


@pytest.fixture
def app(
    settings: Settings,
    core_engine: Engine,
    store_engine: Engine,
    sessions: sessionmaker[Session],
    provider: Actor,
) -> FastAPI:
    """The one-process server on its core and store, one penalty delivered (not yet published)."""
    _deliver(sessions, provider, "黔检罚〔2026〕1号")
    return create_app(settings, engine=core_engine, public_engine=store_engine)


def _agrees(app: FastAPI, sessions: sessionmaker[Session], store_engine: Engine) -> bool:
    """The watch's verdict, checked against the session reading it stands for."""
    verdict: bool = app.state.store_watch.behind(app)
    pub = store.read_factory(store_engine)()
    with sessions() as core, pub:
        assert verdict == is_behind(core, pub, app.state.clock.now())
    return verdict


def test_a_change_committed_elsewhere_shows_on_the_next_public_read(
    app: FastAPI, store_engine: Engine, sessions: sessionmaker[Session], provider: Actor
) -> None:
    with TestClient(app) as client:
        assert _agrees(app, sessions, store_engine)  # nothing published yet
        first = client.get(f"/api/v1/public/subjects/{CODE}")
        assert first.status_code == 200, first.text
        assert "黔检罚〔2026〕1号" in first.text
        assert not _agrees(app, sessions, store_engine)

        _deliver(sessions, provider, "黔检罚〔2026〕2号")
        assert _agrees(app, sessions, store_engine)
        after = client.get(f"/api/v1/public/subjects/{CODE}")
        assert "黔检罚〔2026〕2号" in after.text
        assert "黔检罚〔2026〕1号" in after.text
        assert not _agrees(app, sessions, store_engine)

        # The day turns: the store is behind until the day's publication.
        app.state.clock = Clock(FROZEN + timedelta(days=1))
        assert _agrees(app, sessions, store_engine)
        assert client.get(f"/api/v1/public/subjects/{CODE}").status_code == 200
        assert not _agrees(app, sessions, store_engine)


def test_a_check_answers_for_the_requests_received_before_it_began(
    app: FastAPI, sessions: sessionmaker[Session], provider: Actor
) -> None:
    with TestClient(app) as client:
        assert client.get(f"/api/v1/public/subjects/{CODE}").status_code == 200
        watch = app.state.store_watch
        received = time.perf_counter()
        assert not watch.behind(app)
        # Begun after the request arrived: everything committed before it was sent is seen.
        assert watch.current_for(received)
        assert not watch.current_for(None)
        _deliver(sessions, provider, "黔检罚〔2026〕2号")
        # A request received after that check is checked anew, and finds the store behind.
        assert not watch.current_for(time.perf_counter())
        assert watch.behind(app)
        after = client.get(f"/api/v1/public/subjects/{CODE}")
        assert "黔检罚〔2026〕2号" in after.text


def test_public_reads_arriving_together_share_a_check_and_still_see_every_change(
    app: FastAPI,
    sessions: sessionmaker[Session],
    provider: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watch = app.state.store_watch
    checks: list[bool] = []
    check = watch.behind

    def counted(app: FastAPI) -> bool:
        checks.append(check(app))
        return checks[-1]

    monkeypatch.setattr(watch, "behind", counted)

    async def gathered(n: int) -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            path = f"/api/v1/public/subjects/{CODE}"
            return list(await asyncio.gather(*(client.get(path) for _ in range(n))))

    def together(n: int) -> list[httpx.Response]:
        """``n`` reads at once, on an event loop of their own in a thread of their own (this
        thread may already run one: the browser tests' driver)."""
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, gathered(n)).result()

    with TestClient(app) as client:
        assert client.get(f"/api/v1/public/subjects/{CODE}").status_code == 200  # published
        checks.clear()
        answers = together(20)
        assert [a.status_code for a in answers] == [200] * 20
        assert all("黔检罚〔2026〕1号" in a.text for a in answers)
        # The store is current: reads that arrived before a check began took its answer.
        assert 1 <= len(checks) < 20, checks
        assert not any(checks)

        _deliver(sessions, provider, "黔检罚〔2026〕2号")
        checks.clear()
        answers = together(20)
        assert checks[0] is True  # checked anew, found behind, published
        assert all("黔检罚〔2026〕2号" in a.text for a in answers)


def test_the_stores_state_is_read_again_only_when_the_copy_last_read_says_behind(
    app: FastAPI,
    store_engine: Engine,
    sessions: sessionmaker[Session],
    provider: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watch = app.state.store_watch
    reads: list[object] = []
    read = watch._store.rows

    def counted(statement: object, params: dict[str, object]) -> list[object]:
        reads.append(statement)
        return read(statement, params)  # type: ignore[no-any-return]

    monkeypatch.setattr(watch._store, "rows", counted)
    with TestClient(app) as client:
        assert client.get(f"/api/v1/public/subjects/{CODE}").status_code == 200  # published
        reads.clear()
        assert not _agrees(app, sessions, store_engine)
        assert len(reads) == 1  # the copy predates that publication: the row is read again
        reads.clear()
        assert not _agrees(app, sessions, store_engine)
        assert reads == []  # the copy and the core's head decided: one statement, on the core

        # Another publisher (the worker, `xinyong publish`) brings the store past the copy.
        _deliver(sessions, provider, "黔检罚〔2026〕2号")
        catch_up(app)
        assert not _agrees(app, sessions, store_engine)  # the row as it is now decides
        assert len(reads) == 1

        # A change committed after it: found behind at once, whatever the copy says.
        _deliver(sessions, provider, "黔检罚〔2026〕3号")
        assert _agrees(app, sessions, store_engine)
        assert "黔检罚〔2026〕3号" in client.get(f"/api/v1/public/subjects/{CODE}").text

        # The day turns with nothing new in the core: the copy's day is behind, and the row's.
        app.state.clock = Clock(FROZEN + timedelta(days=1))
        reads.clear()
        assert _agrees(app, sessions, store_engine)
        assert len(reads) == 1
