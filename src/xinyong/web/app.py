"""Application factory: ``create_app(settings)`` builds engine, clock and routers."""

from __future__ import annotations

import gc
import importlib
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.orm import configure_mappers

from xinyong import __version__, bootstrap
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.core.context import new_request_id, reset_request_id, set_request_id
from xinyong.core.logging import configure_logging
from xinyong.db.session import make_engine, make_session_factory, start_checkpointer
from xinyong.inquiry.ratelimit import PublicLimiter
from xinyong.web.errors import install_error_handlers, unexpected_error
from xinyong.web.hardening import BodyLimit, HeadAsGet, SecurityHeaders
from xinyong.web.inputs import CleanInput
from xinyong.web.openapi import install_openapi
from xinyong.web.operations import install_operations
from xinyong.web.public_limit import limit_public
from xinyong.web.public_store import install_public_only, install_store
from xinyong.web.routing import guard_included_routers
from xinyong.web.transactions import CommitOnAnswer
from xinyong.web.ui import components as _components  # noqa: F401 (the header's menus)

log = logging.getLogger("xinyong.web")

#: JSON routers under /api/v1 (each module exposes ``router``).
API_MODULES = (
    "auth",
    "security",
    "identifiers",
    "calendar",
    "audit",
    "catalogue",
    "supervision",
    "dashboard",
    "feed",
    "records",
    "public",
    "open_data",
    "reports",
    "inquiries",
    "violations",
    "objections",
    "documents",
    "repairs",
    "lists",
    "check_batches",
    "checks",
    "institutions",
    "agreements",
    "purposes",
    "ops",
    "watches",
    "admin",
    "audit_desk",
)
#: Page routers (each module exposes ``router``).
UI_MODULES = (
    "pages",
    "auth",
    "security",
    "tools",
    "catalogue",
    "provider_entry",  # before "provider": /provider/records/new is not a record id
    "provider",
    "office",
    "dashboard",
    "office_desk",
    "supervision",
    "public",
    "open_data",
    "reports",
    "special",
    "inquiry",
    "objections",
    "repair",
    "lists",
    "batches",
    "checks",
    "institutions",
    "agreements",
    "purposes",
    "ops",
    "admin",
    "auditor",
    "watches",
)

#: What ``xinyong serve --public`` serves: the public pages and ``/api/v1/public/*``, from the
#: publication store alone (issue 15).
PUBLIC_API_MODULES = ("public", "open_data", "public_reports", "public_catalogue", "public_audit")
PUBLIC_UI_MODULES = ("pages", "public", "open_data", "public_reports", "public_catalogue")

STATIC_DIR = Path(__file__).parent / "static"

#: Seconds a thread may hold the interpreter lock while another waits for it (Python's
#: default: 0.005). A server process runs the event loop, the routes' worker threads and the
#: periodic jobs; on SQLite a request that writes holds the write lock from its first
#: statement to its commit, and each time it let go of the interpreter lock (every statement)
#: it waited up to the whole interval to take it back, while the requests queued behind it
#: waited too. Measured on the core server, 8 connections, same machine (issue 16): inquiries
#: 93 → 144 requests/s, ``/healthz`` 751 → 918, publicity by code 491 → 682.
SWITCH_INTERVAL_S = 0.0005


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    public_engine: Engine | None = None,
    public_only: bool = False,
) -> FastAPI:
    settings = settings or Settings()
    # Process-wide; here because every server process builds its app with this factory.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    bootstrap.wire()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Xinyong 信用 — social credit information sharing platform",
        version=__version__,
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.clock = Clock(settings.now)
    if public_only:
        install_public_only(app, settings, engine=public_engine)
    else:
        app.state.engine = engine or make_engine(
            settings.resolved_database_url(), **settings.engine_options()
        )
        start_checkpointer(app.state.engine)
        app.state.session_factory = make_session_factory(app.state.engine)
        app.state.read_session_factory = make_session_factory(
            app.state.engine, writes=False, snapshot=False
        )
        # The public routes read the publication store, kept current by this process.
        install_store(app, settings, engine=public_engine, publish_on_read=True)
    if app.state.clock.frozen:
        log.warning(
            "training environment: clock frozen",
            extra={"fields": {"frozen_at": app.state.clock.local_now().isoformat()}},
        )

    if settings.uses_dev_secret():
        log.warning(
            "development secret key in use: every page warns; set XINYONG_SECRET_KEY before "
            "serving anyone but this machine"
        )
    install_error_handlers(app)
    # Innermost: the request's unit of work commits or rolls back as its answer starts.
    app.add_middleware(CommitOnAnswer)
    # Inside the request-id middleware (added next, so outside this one): the routes read the
    # bounded body directly, and its 413 is raised where FastAPI expects an HTTP error.
    # Inside the body limit: refuses NUL, lone surrogates, integers beyond 64 bits (item 3).
    app.add_middleware(CleanInput)
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes())
    app.state.public_limiter = PublicLimiter(per_minute=settings.public_rate_per_minute)
    # Added before ``request_id``, so it runs inside it: a 429 carries the request id too.
    app.middleware("http")(limit_public)

    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        rid = request.headers.get("x-request-id") or new_request_id()
        rid = rid[:64]
        token = set_request_id(rid)
        try:
            response = await call_next(request)
        except Exception as exc:
            # Answered here, inside the request: the log line and the answer carry its id,
            # and the error is logged once (not again by the server).
            response = await unexpected_error(request, exc)
        finally:
            reset_request_id(token)
        response.headers["X-Request-ID"] = rid
        return response

    # Outside the request id and the rate limit: every answer is counted, a 429 too.
    install_operations(app, public_only=public_only)
    # Outermost last: the headers go on every answer, HEAD becomes GET before any route sees it.
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """Liveness for load balancers and monitoring: a constant document, no database."""
        return {"status": "ok", "version": __version__}

    for name in PUBLIC_API_MODULES if public_only else API_MODULES:
        module = importlib.import_module(f"xinyong.web.api.{name}")
        app.include_router(module.router, prefix="/api/v1")
    for name in PUBLIC_UI_MODULES if public_only else UI_MODULES:
        module = importlib.import_module(f"xinyong.web.ui.{name}")
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_openapi(app)
    # Last, when every router is in: each is tried only for paths it could match.
    guard_included_routers(app)
    return app


def create_public_app() -> FastAPI:
    """The public portal alone (``xinyong serve --public --workers N`` builds one per process
    from the environment): the publication store, no core database."""
    return create_app(public_only=True)


def settle_heap() -> None:
    """Once a server process has built its app: configure the ORM's mappers, collect, and move
    every object alive now out of the cyclic collector's reach (``gc.freeze``). They live as
    long as the process, and a full collection no longer walks them each time it runs: with
    the code, the mappers and the app's objects in the heap, a request that happened to start
    one waited for it (on the laptop benchmark's inquiries, p99 about 7 ms against about
    5.4 with the heap frozen, three runs each). Called by ``xinyong serve``, never by the app
    factory itself: tests build hundreds of apps in one process."""
    configure_mappers()
    gc.collect()
    gc.freeze()


def create_served_app() -> FastAPI:
    """:func:`create_app` for a server process of ``xinyong serve --workers N``."""
    app = create_app()
    settle_heap()
    return app


def create_served_public_app() -> FastAPI:
    """:func:`create_public_app` for a server process of ``xinyong serve --public --workers N``."""
    app = create_public_app()
    settle_heap()
    return app
