"""ASGI middleware that hardens every answer (issue 12 items 4 and 6; PLT-2).

- :class:`SecurityHeaders`: a strict Content-Security-Policy (this origin only; no inline
  script or style anywhere in the templates), ``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
  same-origin``, and ``Strict-Transport-Security`` when the request came over https. A header
  a route set itself is kept, never doubled.
- :class:`HeadAsGet`: ``HEAD`` answered wherever ``GET`` is — FastAPI routes registered for
  GET do not answer HEAD — by running the GET and sending its status and headers without the
  body.
- :class:`BodyLimit`: a request body larger than ``XINYONG_MAX_UPLOAD_MB`` is refused with 413
  ``file_too_large`` before it is read whole: at once when ``Content-Length`` says so, else as
  soon as the bytes received pass the limit (chunked uploads).

Pure ASGI (:class:`~xinyong.web.asgi.HttpMiddleware`) so streamed answers stay streamed.
"""

from __future__ import annotations

from fastapi import HTTPException

from xinyong.web.asgi import ASGIApp, HttpMiddleware, Message, Receive, Scope, Send, header

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: FastAPI's interactive API documentation loads Swagger UI from its CDN with an inline start-up
#: script; only these two paths get a policy that lets it run (still never framed).
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/api/docs", "/docs/oauth2-redirect"})
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(path: str, *, https: bool) -> list[tuple[bytes, bytes]]:
    """The headers every answer to ``path`` carries."""
    headers = [
        (b"content-security-policy", (DOCS_CSP if path in DOCS_PATHS else CSP).encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
    ]
    if https:
        headers.append((b"strict-transport-security", HSTS.encode()))
    return headers


class SecurityHeaders(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        extra = security_headers(scope.get("path", ""), https=scope.get("scheme") == "https")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in extra if n not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the rest of a streamed body: dropped
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class FileTooLarge(HTTPException):
    """413 ``file_too_large`` (the web layer's error handler gives it the error shape or the
    error page). FastAPI's own class: its body parsing lets that one through untouched,
    where any other error reading a body becomes a 400."""

    code = "file_too_large"

    def __init__(self, limit_bytes: int) -> None:
        mb = limit_bytes // (1024 * 1024)
        super().__init__(
            413,
            f"上传内容超过 {mb} MB 上限 / the upload is larger than the {mb} MB limit "
            "(XINYONG_MAX_UPLOAD_MB)",
        )


def declared_length(scope: Scope) -> int | None:
    value = header(scope, b"content-length")
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


class BodyLimit(HttpMiddleware):
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_bytes
        declared = declared_length(scope)
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise FileTooLarge(limit)  # refused before a byte of the body is read
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise FileTooLarge(limit)
            return message

        await self.app(scope, bounded_receive, send)
