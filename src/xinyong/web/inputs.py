"""Input no field can hold, refused at the edge with 422 (issue 12 item 3).

:class:`CleanInput` (pure ASGI, inside :class:`~xinyong.web.hardening.BodyLimit`, so the body
it reads is bounded) answers 422 ``invalid_input`` in the error shape — or the error page, for
a browser — before any route runs, when:

- the path or the query string carries a NUL byte (``%00``): PostgreSQL text cannot hold it;
- a form (URL-encoded) body carries a NUL byte; a page shows the error page with the reason;
- a JSON body holds, anywhere (keys included), text with NUL or a lone surrogate, an integer
  beyond 64 bits, or a number that is not finite (``NaN``, ``Infinity``, ``1e999``).

A body that is not JSON at all is left to FastAPI, which answers its own 422. Typed limits of
each parameter (ids and pages bounded to 64 bits) are declared on the routes themselves
(:mod:`xinyong.web.params`); this is the one check that no schema can forget.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException
from starlette.requests import Request

from xinyong.core.bounds import json_problems
from xinyong.web.asgi import HttpMiddleware, Message, Receive, Scope, Send, header

_NUL = (b"%00", b"\x00")


def _has_nul(raw: bytes) -> bool:
    lowered = raw.lower()
    return any(marker in lowered for marker in _NUL)


def _body_kind(scope: Scope) -> str | None:
    """``json`` or ``form`` (URL-encoded; multipart uploads may hold any byte), else None."""
    content_type = (header(scope, b"content-type") or b"").lower()
    if b"json" in content_type:
        return "json"
    if b"application/x-www-form-urlencoded" in content_type:
        return "form"
    return None


class CleanInput(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "replace")
        if _has_nul(raw_path) or _has_nul(scope.get("query_string", b"")):
            await self._refuse(scope, send, [{"field": None, "reason": "NUL in the URL"}])
            return
        kind = _body_kind(scope)
        if scope.get("method") not in ("POST", "PUT", "PATCH", "DELETE") or kind is None:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        try:
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except HTTPException as exc:  # the body limit's 413, answered as its handler would
            await self._answer(
                scope, send, exc.status_code, getattr(exc, "code", "error"), str(exc.detail), []
            )
            return
        body = b"".join(chunks)
        problems = _problems(body) if kind == "json" else _form_problems(body)
        if problems:
            await self._refuse(scope, send, problems)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send, details: list[Any]) -> None:
        fields = ", ".join(str(d["field"]) for d in details if d.get("field")) or "request"
        message = f"无法接受的输入 / invalid input in {fields}: " + "; ".join(
            str(d["reason"]) for d in details
        )
        await self._answer(scope, send, 422, "invalid_input", message, details)

    async def _answer(
        self, scope: Scope, send: Send, status: int, code: str, message: str, details: list[Any]
    ) -> None:
        from xinyong.web.errors import error_body, wants_html

        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        request = Request(scope, no_body)
        if wants_html(request):
            from xinyong.web.pages import render_error_page

            response: Any = render_error_page(request, status, code, message)
        else:
            from fastapi.responses import JSONResponse

            response = JSONResponse(error_body(code, message, details), status_code=status)
        await response(scope, no_body, send)


def _form_problems(body: bytes) -> list[dict[str, str | None]]:
    if _has_nul(body):
        return [{"field": None, "reason": "NUL characters are not allowed / 不允许 NUL 字符"}]
    return []


def _problems(body: bytes) -> list[dict[str, str | None]]:
    if not body:
        return []
    try:
        text = body.decode("utf-8")
        document = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return []  # not JSON: FastAPI answers its own 422
    try:
        return json_problems(document)[:20]
    except RecursionError:
        return [{"field": None, "reason": "nested too deeply / 嵌套过深"}]
