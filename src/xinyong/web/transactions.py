"""Each request's unit of work ends when its answer starts (docs/architecture.md,
"Transactions").

``get_session`` (``web/deps.py``) opens the request's :class:`~xinyong.db.uow.UnitOfWork` and
hands it here; :class:`CommitOnAnswer` sees the status of the answer before a byte of it
leaves: below 400 the use case commits, else it rolls back — so a page that catches a refused
use case and answers 4xx keeps nothing it half-wrote, and an answer never reaches the client
before its commit did. An error raised through the route rolls back in ``get_session`` itself.

Pure ASGI (:class:`~xinyong.web.asgi.HttpMiddleware`) so streamed answers stay streamed.
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from xinyong.db.uow import UnitOfWork
from xinyong.web.asgi import HttpMiddleware, Message, Receive, Scope, Send

#: The scope key under which the request's open units of work wait for the answer.
SCOPE_KEY = "xinyong.units_of_work"


class RequestWork:
    """The units of work a request opened (one: the request session). A read-only session
    commits too: on SQLite that ends its read, and a look it logged is kept (Art. 31)."""

    def __init__(self) -> None:
        self.open: list[UnitOfWork] = []

    def add(self, uow: UnitOfWork) -> None:
        self.open.append(uow)

    @property
    def untouched(self) -> bool:
        """No open unit of work was used: finishing them does no I/O."""
        return all(uow.untouched for uow in self.open)

    def finish(self, status: int) -> None:
        work, self.open = self.open, []
        for uow in work:
            if not uow.is_open:  # an error raised through the route rolled it back already
                continue
            uow.end(succeeded=status < 400)


def request_work(scope: Scope) -> RequestWork | None:
    work = scope.get(SCOPE_KEY)
    return work if isinstance(work, RequestWork) else None


def answer_committed(request: Request, answer: BaseModel) -> Response:
    """``answer`` as a 200 JSON answer, the request's unit of work committed first — in the
    route's own worker thread, as :class:`CommitOnAnswer` would at the answer's start, but
    without the hand-offs between (the answer serialised, the event loop, a worker thread for
    the commit). On SQLite a request that may write holds the write lock from its first
    statement to its commit, so every other such request waits out those hand-offs too: for
    the hottest write (an inquiry, issue 16 item 2) the route answers this way. The answer is
    serialised before the commit, as FastAPI would (by alias), so nothing can fail between
    the commit and the answer but the connection itself."""
    body = answer.model_dump_json(by_alias=True)
    work = request_work(request.scope)
    if work is not None:
        work.finish(200)
    return Response(body, media_type="application/json")


class CommitOnAnswer(HttpMiddleware):
    """Commit (status < 400) or roll back the request's unit of work as its answer starts."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        work = RequestWork()
        scope[SCOPE_KEY] = work

        async def send_after_commit(message: Message) -> None:
            if message["type"] == "http.response.start" and work.open:
                if work.untouched:  # nothing to commit: no I/O, no hand-off to a thread
                    work.finish(int(message["status"]))
                else:
                    await run_in_threadpool(work.finish, int(message["status"]))
            await send(message)

        await self.app(scope, receive, send_after_commit)
