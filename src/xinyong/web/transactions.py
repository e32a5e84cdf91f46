"""Each request's unit of work ends when its answer starts (docs/architecture.md,
"Transactions").

``get_session`` (``web/deps.py``) opens the request's :class:`~xinyong.db.uow.UnitOfWork` and
hands it here; :class:`CommitOnAnswer` sees the status of the answer before a byte of it
leaves: below 400 the use case commits, else it rolls back — so a page that catches a refused
use case and answers 4xx keeps nothing it half-wrote, and an answer never reaches the client
before its commit did. An error raised through the route rolls back in ``get_session`` itself.

Pure ASGI (not ``BaseHTTPMiddleware``) so streamed answers stay streamed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from xinyong.db.uow import UnitOfWork

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The scope key under which the request's open units of work wait for the answer.
SCOPE_KEY = "xinyong.units_of_work"


class RequestWork:
    """The units of work a request opened (one: the request session). A read-only session
    commits too: on SQLite that ends its read, and a look it logged is kept (Art. 31)."""

    def __init__(self) -> None:
        self.open: list[UnitOfWork] = []

    def add(self, uow: UnitOfWork) -> None:
        self.open.append(uow)

    def finish(self, status: int) -> None:
        work, self.open = self.open, []
        for uow in work:
            if not uow.is_open:  # an error raised through the route rolled it back already
                continue
            uow.end(succeeded=status < 400)


def request_work(scope: Scope) -> RequestWork | None:
    work = scope.get(SCOPE_KEY)
    return work if isinstance(work, RequestWork) else None


class CommitOnAnswer:
    """Commit (status < 400) or roll back the request's unit of work as its answer starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        work = RequestWork()
        scope[SCOPE_KEY] = work

        async def send_after_commit(message: Message) -> None:
            if message["type"] == "http.response.start" and work.open:
                await run_in_threadpool(work.finish, int(message["status"]))
            await send(message)

        await self.app(scope, receive, send_after_commit)
