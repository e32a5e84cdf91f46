"""The per-address rate limit of the public channel (Art. 18; ``XINYONG_PUBLIC_RATE_PER_MINUTE``).

Which requests are the public channel: reads (GET, HEAD) of the public API
(``/api/v1/public/*``, report verification, identifier check, working-day calculator, catalogue,
purposes, the audit checkpoint, special-report domains, the red list) and of the public pages.
Over the limit: 429 with ``Retry-After`` — the API's JSON error shape, or a page.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from xinyong.core.actor import ANONYMOUS
from xinyong.core.errors import RateLimited
from xinyong.inquiry.ratelimit import PublicLimiter

log = logging.getLogger("xinyong.web")

API = "/api/v1"
EXACT = frozenset(
    {
        "/", "/purposes", "/catalogue", "/catalogue.csv", "/reports/verify", "/red-list",
        "/institutions",
        f"{API}/identifiers/check", f"{API}/calendar/deadline", f"{API}/purposes",
        f"{API}/catalogue/items", f"{API}/audit/checkpoint", f"{API}/special-report/domains",
        f"{API}/red-list",
    }
)  # fmt: skip
PREFIXES = (
    "/public/", "/tools/", "/catalogue/", "/lang/",
    f"{API}/public/", f"{API}/reports/", f"{API}/catalogue/items/",
)  # fmt: skip


def is_public(method: str, path: str) -> bool:
    """Is this request a read of the public channel?"""
    if method not in ("GET", "HEAD"):
        return False
    return path in EXACT or path.startswith(PREFIXES)


def _refusal(request: Request, exc: RateLimited) -> Response:
    headers = {"Retry-After": str(exc.retry_after)}
    if request.url.path.startswith("/api/"):
        body = {"error": {"code": exc.code, "message": exc.message, "details": []}}
        return JSONResponse(body, status_code=429, headers=headers)
    from xinyong.web.pages import render_error_page

    # No session lookup for a refused request: the page is rendered for the public.
    request.state.actor = ANONYMOUS
    return render_error_page(request, 429, exc.code, exc.message, headers=headers)


async def limit_public(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Middleware: charge the client address for a public read; 429 over the limit."""
    if is_public(request.method, request.url.path):
        limiter = request.app.state.public_limiter
        assert isinstance(limiter, PublicLimiter)
        address = request.client.host if request.client else None
        try:
            limiter.take(address)
        except RateLimited as exc:
            log.warning(
                "public rate limit",
                extra={"fields": {"address": address, "path": request.url.path}},
            )
            return _refusal(request, exc)
    return await call_next(request)
