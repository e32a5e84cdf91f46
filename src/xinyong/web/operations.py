"""``GET /metrics``, ``GET /readyz`` and the per-request metrics middleware (issue 15 item 6).

``/metrics`` answers loopback clients, and others only with ``Authorization: Bearer
$XINYONG_METRICS_TOKEN`` (when that is set): the figures tell an outsider how busy and how far
behind the platform is. ``/readyz`` answers anyone — the load balancer asks it — and says only
which check failed, never a connection string.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.ops.health import Readiness, readiness
from xinyong.ops.metrics import RequestMetrics, StateCollector, render
from xinyong.publication.health import StoreCollector, store_readiness
from xinyong.web.asgi import RECEIVED, ASGIApp, HttpMiddleware, Message, Receive, Scope, Send

UNMATCHED = "unmatched"


def route_template(scope: Scope) -> str:
    """The template of the route that answered (``/api/v1/records/{record_id}``).

    The route FastAPI leaves in the scope may be the router's own, without the prefix it was
    included under; the prefix is then the part of the path before where its pattern matches.
    """
    route = scope.get("route")
    template: str | None = getattr(route, "path", None)
    regex = getattr(route, "path_regex", None)
    if not template or regex is None:
        return UNMATCHED
    path: str = scope.get("path", "")
    if regex.match(path):
        return str(template)
    for i, ch in enumerate(path):
        if ch == "/" and i and regex.match(path[i:]):
            return path[:i] + str(template)
    return str(template)


class MeasureRequests(HttpMiddleware):
    """Count and time every HTTP request by its route template (``/records/{record_id}``, not
    the path: ids would make a series per record). Its start is the request's receipt time
    (``asgi.RECEIVED``): the layers outside it await nothing before it runs."""

    def __init__(self, app: ASGIApp, *, metrics: RequestMetrics, engine: Any) -> None:
        super().__init__(app)
        self.metrics, self.engine = metrics, engine

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = scope[RECEIVED] = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            template = route_template(scope)
            self.metrics.observe(
                scope.get("method", "GET"), template, status, time.perf_counter() - started
            )
            pool = self.engine.pool
            if isinstance(pool, QueuePool):
                self.metrics.pool_use(pool.checkedout(), pool.size())


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_scrape(request: Request, settings: Settings) -> bool:
    if is_loopback(request.client.host if request.client else None):
        return True
    token = settings.metrics_token
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return (
        bool(token)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(value.strip().encode(), token.encode())
    )


def install_operations(app: FastAPI, *, public_only: bool = False) -> None:
    """``/metrics`` and ``/readyz``. The public server (``public_only``) reads and reports the
    publication store only: it has no core database to ask."""
    settings: Settings = app.state.settings
    metrics = RequestMetrics()
    app.state.request_metrics = metrics
    running = Clock()  # the running clock: ages are real ages even on a training platform
    platform: Clock = app.state.clock

    def reads() -> Session:
        factory = app.state.public_read_factory if public_only else app.state.read_session_factory
        session: Session = factory()
        return session

    state: Collector
    ready: Callable[[], Readiness]
    if public_only:
        state = StoreCollector(reads, platform.now)
        ready = lambda: store_readiness(reads, settings, platform.now())  # noqa: E731
    else:
        state = StateCollector(reads, settings, running.now)
        ready = lambda: readiness(reads, settings, running.now())  # noqa: E731
    engine = app.state.public_engine if public_only else app.state.engine
    app.add_middleware(MeasureRequests, metrics=metrics, engine=engine)

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    def prometheus(request: Request) -> Response:
        """Prometheus text format (loopback, or the bearer token ``XINYONG_METRICS_TOKEN``)."""
        if not may_scrape(request, settings):
            body = {
                "error": {
                    "code": "metrics_forbidden",
                    "message": "指标仅对本机或持有令牌的采集方开放 / metrics are open to loopback "
                    "clients and to scrapers holding XINYONG_METRICS_TOKEN",
                    "details": [],
                }
            }
            return JSONResponse(body, status_code=403)
        return Response(render(metrics, state), media_type=CONTENT_TYPE_LATEST)

    # Outside the API document: a 503 is its honest answer while the database is away.
    @app.get("/readyz", tags=["operations"], include_in_schema=False)
    def readyz() -> JSONResponse:
        """Readiness: database reachable, migrations at head, publication lag under its bound
        (``XINYONG_READY_MAX_PUBLICATION_LAG_S``). 200 when ready, else 503."""
        r = ready()
        body = {"status": "ready" if r.ready else "not_ready", "checks": r.checks}
        return JSONResponse(body, status_code=200 if r.ready else 503)
