"""The web side of the publication store: its sessions, and keeping it current when the core
app serves the public routes itself (``make run``, one process).

In the one-process server each public read first checks, with small reads, whether the core
has changed since the last publication (or the day has turned) and if so publishes before
answering: the public pages show a change as soon as it is committed. With nothing to do the
check is one statement built once (the core's audit head; the store's state row only when the
copy last read of it does not decide), run on the driver in the request's own thread
(:class:`StoreWatch`): no session, no hand-off to a worker thread (issue 16 item 1 — as two
sessions in a worker thread it had cost the core server two thirds of its public reads). A
request received before a check that found the store current began takes that check's answer
instead of its own (:meth:`StoreWatch.current_for`): under load one check serves the requests
that arrived together, which on PostgreSQL saves a round trip a read.
``xinyong serve --public`` has no core, and no check: it serves what ``xinyong publish`` (or
the worker) last put in the store.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State

from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.db.driver import DriverReads
from xinyong.publication import source, store
from xinyong.publication.publish import behind, is_behind, publish
from xinyong.publication.reads import SubjectReader
from xinyong.web.asgi import received_at

log = logging.getLogger("xinyong.publication")
_LOCK = threading.Lock()


def install_store(
    app: FastAPI, settings: Settings, *, engine: Engine | None = None, publish_on_read: bool
) -> None:
    """Open the store named by ``XINYONG_PUBLIC_DATABASE_URL`` (created if missing)."""
    public_engine = engine or store.store_engine(settings)
    store.ensure_schema(public_engine)
    app.state.public_engine = public_engine
    app.state.public_session_factory = store.write_factory(public_engine)
    app.state.public_read_factory = store.read_factory(public_engine)
    app.state.subject_reader = SubjectReader(public_engine)
    app.state.publish_on_read = publish_on_read
    app.state.store_watch = StoreWatch(public_engine)


class StoreWatch:
    """:func:`~xinyong.publication.publish.is_behind` on the driver: the core's audit head and
    the store's state row, each one prepared statement.

    The state row is read again only when the copy this watch last read says the store is
    behind (the core moved past it, the day turned, a rebuild was under way), and that verdict
    is never acted on before the row is read afresh. A publication only moves the row forward
    (a later sequence number, a later day), so an old copy never misses a change committed to
    the core or a new day: either moves past the copy too. The one thing an old copy may not
    show is a rebuild that another process started with no change in the core (``xinyong
    publish --rebuild``); the store then already holds every change, and that process does
    the rebuild. In the steady state a check is one statement, not two (on PostgreSQL one
    round trip instead of two).

    The core is read through whatever the app's read sessions are bound to, looked up on each
    check: an engine (the server; its driver is made once per engine) or a connection (a test
    holding its data in a transaction of its own)."""

    def __init__(self, store_engine: Engine) -> None:
        self._store = DriverReads(store_engine)
        self._core: tuple[Engine, DriverReads] | None = None
        #: The store's state row as last read (``None``: not read yet, or no row).
        self._marks: Sequence[Any] | None = None
        #: When (``time.perf_counter``) the latest check that found the store current began.
        self._current_since = -math.inf

    def current_for(self, received: float | None) -> bool:
        """Whether a check that began after a request was ``received`` found the store current.
        Then it is the request's answer too: whatever was committed before the request was
        sent had been committed when that check read the store's state and the core's head,
        and the day it compared was no earlier. ``None`` (no receipt time): never."""
        return received is not None and self._current_since >= received

    def behind(self, app: FastAPI) -> bool:
        began = time.perf_counter()
        state = app.state
        at = state.clock.now()
        heads: list[int] = []

        def head() -> int:  # the core's audit head, read at most once a check
            if not heads:
                heads.append(self._head(state))
            return heads[0]

        late = self._marks is None or behind(self._marks, head, at)
        if late:
            # Behind by the copy: decided by the row as it is now (another process may have
            # published since), with the head already read if it was.
            rows = self._store.rows(store.PUBLISHED, {})
            self._marks = rows[0] if rows else None
            late = behind(self._marks, head, at)
        # Threads may race here: the later write may carry the earlier start, which only
        # makes fewer requests take a shared answer.
        if not late and began > self._current_since:
            self._current_since = began
        return late

    def _head(self, state: State) -> int:
        factory: sessionmaker[Session] = state.read_session_factory
        bind = factory.kw.get("bind")
        if isinstance(bind, Connection):
            return source.head_of(bind.execute(source.AUDIT_HEAD).scalar())
        if not isinstance(bind, Engine):
            raise TypeError(f"the read sessions are bound to {bind!r}, not a database")
        if self._core is None or self._core[0] is not bind:
            self._core = (bind, DriverReads(bind))
        return source.head_of(self._core[1].rows(source.AUDIT_HEAD, {})[0][0])


def catch_up(app: FastAPI) -> None:
    """Publish now if the core has changed since the last publication (one-process mode)."""
    state = app.state
    clock: Clock = state.clock
    at = clock.now()
    core, pub = state.read_session_factory(), state.public_read_factory()
    try:
        behind = is_behind(core, pub, at)
    finally:
        core.close()
        pub.close()
    if not behind:
        return
    with _LOCK:  # one publisher per process; others in other processes wait on the state row
        summary = publish(
            state.read_session_factory,
            state.public_session_factory,
            clock,
            settings=state.settings,
        )
    log.info("published", extra={"fields": summary.as_dict()})


async def _caught_up(request: Request) -> None:
    """The one-process server's catch-up before a read of the store: the check here (or the
    answer of one that began after the request was received), and only if the store is
    behind the publication, which runs in a worker thread. Nothing to do for ``xinyong serve
    --public``."""
    app = request.app
    if not getattr(app.state, "publish_on_read", False):
        return
    watch: StoreWatch = app.state.store_watch
    if not watch.current_for(received_at(request.scope)) and watch.behind(app):
        await run_in_threadpool(catch_up, app)


async def get_public_session(request: Request) -> AsyncIterator[Session]:
    """A read session on the store. ``async``: a public read is one primary-key lookup, cheaper
    than the hand-offs to a worker thread a plain dependency costs (issue 16 item 1)."""
    await _caught_up(request)
    session: Session = request.app.state.public_read_factory()
    try:
        yield session
    finally:
        session.close()


PublicSessionDep = Annotated[Session, Depends(get_public_session)]


async def get_subject_reader(request: Request) -> SubjectReader:
    """The store's read by code without a session (``publication.reads.SubjectReader``), the
    one-process server's catch-up first, as for a session."""
    await _caught_up(request)
    reader: SubjectReader = request.app.state.subject_reader
    return reader


SubjectReaderDep = Annotated[SubjectReader, Depends(get_subject_reader)]


def install_public_only(app: FastAPI, settings: Settings, *, engine: Engine | None = None) -> None:
    """``xinyong serve --public``: the store, and nothing that could reach the core — every
    visitor is the public (``get_actor`` answers the public at once: no accounts here), and the
    request session is bound to no database, so a route that tried to read the core would fail
    at its first statement.

    Flags on the app's state rather than ``dependency_overrides``: with any override present,
    FastAPI analyses every dependency of every request afresh."""
    install_store(app, settings, engine=engine, publish_on_read=False)
    app.state.public_only = True
    unbound = sessionmaker()
    app.state.session_factory = app.state.read_session_factory = unbound
