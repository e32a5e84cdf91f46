"""Typed dependency aliases: routers only establish who acts, with what session and clock.

``ActingDep`` bundles the three for a JSON route that calls one use case:
``return acting(service.decide, check_id=check_id, data=body)`` calls
``service.decide(session, actor=actor, at=now, check_id=check_id, data=body)``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from xinyong.accounts import service as accounts
from xinyong.core.actor import ANONYMOUS, Actor
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.db.uow import UnitOfWork
from xinyong.web.transactions import request_work


# ``async``: FastAPI runs a plain ``def`` dependency in a worker thread, a hand-off that costs
# more than reading the app's state does (issue 16 item 1).
async def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


async def get_clock(request: Request) -> Clock:
    clock = request.app.state.clock
    assert isinstance(clock, Clock)
    return clock


_F = TypeVar("_F", bound=Callable[..., Any])
_READ_ONLY = "_xinyong_read_only"


def read_only(endpoint: _F) -> _F:
    """Mark a GET endpoint that never writes (hot public reads): its session may run beside
    the writer on SQLite and, on PostgreSQL, runs in autocommit (each statement its own
    snapshot; ``db.session.make_session_factory``). Unmarked endpoints get a session that may
    write — the safe default, since many reads are themselves logged."""
    setattr(endpoint, _READ_ONLY, True)
    return endpoint


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work (``db/uow.py``): services only flush; it commits once when
    the answer starts with a status below 400 (``web/transactions.py``) and rolls back on any
    error raised through the route or any 4xx/5xx answer.

    ``async`` so that opening it costs no hand-off to a worker thread: opening a session does
    no I/O (its connection is taken at its first statement, in the route's thread), and the
    commit is made by ``CommitOnAnswer`` in a worker thread; only the closing rollback of a
    session the commit did not end runs here, in the event loop."""
    endpoint = request.scope.get("endpoint")
    reads = request.method in ("GET", "HEAD") and getattr(endpoint, _READ_ONLY, False)
    factory = request.app.state.read_session_factory if reads else request.app.state.session_factory
    with UnitOfWork(factory) as uow:
        work = request_work(request.scope)
        if work is not None:
            work.add(uow)
        try:
            yield uow.session
        except BaseException:
            uow.rollback()
            raise


SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SessionDep = Annotated[Session, Depends(get_session)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


async def get_actor(request: Request, clock: ClockDep, settings: SettingsDep) -> Actor:
    """The acting account: a bearer token, else a web session cookie, else the public (always
    the public on ``xinyong serve --public``, which has no accounts).

    ``async``: a visitor with no credentials is the public without a database read, and
    without the hand-off to a worker thread that a plain dependency costs; credentials are
    checked against the database in a worker thread, in a read session of their own
    (:func:`_resolve_actor`)."""
    bearer = _bearer(request)
    cookie = request.cookies.get(accounts.SESSION_COOKIE)
    if getattr(request.app.state, "public_only", False) or not (bearer or cookie):
        actor = ANONYMOUS
    else:
        actor = await run_in_threadpool(
            _resolve_actor,
            request.app.state.read_session_factory,
            bearer=bearer,
            session_cookie=cookie,
            at=clock.now(),
            settings=settings,
        )
    request.state.actor = actor
    return actor


def _resolve_actor(
    factory: sessionmaker[Session],
    *,
    bearer: str | None,
    session_cookie: str | None,
    at: datetime,
    settings: Settings,
) -> Actor:
    """``accounts.resolve_actor`` in a read session ended before the route's unit of work
    begins (issue 16 item 2). In the request's own session on SQLite, the token lookup began
    the writer's ``IMMEDIATE`` transaction, and the write lock was then held across every
    hand-off between the check and the commit: each request that may write queued behind the
    whole of the one before, its authentication and answer included. The account, its token
    or web session only ever change by their own committed use cases; a web session's touch
    commits itself as before (where SQLite cannot make this read a writer, the next request
    touches)."""
    with factory() as session:
        return accounts.resolve_actor(
            session, bearer=bearer, session_cookie=session_cookie, at=at, settings=settings
        )


ActorDep = Annotated[Actor, Depends(get_actor)]


_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Acting:
    """Who acts, in which unit of work, and the clock: what a use case is called with."""

    session: Session
    actor: Actor
    clock: Clock

    @property
    def at(self) -> datetime:
        return self.clock.now()

    def __call__(self, use_case: Callable[..., _T], /, **arguments: Any) -> _T:
        """``use_case(session, actor=actor, at=now, **arguments)``."""
        return use_case(self.session, actor=self.actor, at=self.clock.now(), **arguments)


async def get_acting(session: SessionDep, actor: ActorDep, clock: ClockDep) -> Acting:
    """``async``: no I/O, cheaper than the hand-off to a worker thread a plain dependency
    costs."""
    return Acting(session, actor, clock)


ActingDep = Annotated[Acting, Depends(get_acting)]
