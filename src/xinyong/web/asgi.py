"""The web layer's own ASGI middleware: its types and the one shape they share.

Pure ASGI (not ``BaseHTTPMiddleware``) so streamed answers stay streamed. Each middleware
(:mod:`~xinyong.web.hardening`, :mod:`~xinyong.web.inputs`, :mod:`~xinyong.web.transactions`,
:mod:`~xinyong.web.operations`) is an :class:`HttpMiddleware`: what is not an HTTP request
(the lifespan) passes through untouched, and ``handle`` sees every HTTP request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class HttpMiddleware:
    """A middleware of HTTP requests around ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request (through ``self.app`` or instead of it)."""
        raise NotImplementedError


#: The scope key of the request's receipt time (``time.perf_counter``), set by the outermost
#: layer that times requests (``operations.MeasureRequests``) before anything else awaits.
RECEIVED = "xinyong.received"


def received_at(scope: Scope) -> float | None:
    """When the request was received (``time.perf_counter``), or ``None`` if nothing stamped it."""
    value = scope.get(RECEIVED)
    return value if isinstance(value, float) else None


def header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of the request header ``name`` (lower case), or None."""
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None
