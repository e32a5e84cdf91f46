"""One table mapping the domain error tree to HTTP statuses, and the API error shape."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from xinyong.core import errors as e
from xinyong.core.context import current_request_id

log = logging.getLogger("xinyong.web")

STATUS_BY_ERROR: list[tuple[type[e.XinyongError], int]] = [
    (e.CalendarNotCovered, 422),
    (e.InvalidInput, 422),
    (e.NotAuthenticated, 401),
    (e.PermissionDenied, 403),
    (e.NotFound, 404),
    (e.MethodNotAllowed, 405),
    (e.Conflict, 409),
    (e.RuleViolation, 422),
    (e.RateLimited, 429),
]

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
}

#: Codes the web layer answers with itself, outside the domain tree (core.errors.ErrorCode).
EDGE_CODES: dict[str, int] = {
    **{code: status for status, code in HTTP_CODES.items()},
    "file_too_large": 413,
    "database_busy": 503,
    "metrics_forbidden": 403,
    "internal_error": 500,
}


def served_codes() -> dict[str, set[int]]:
    """Every code an answer can carry, with the statuses it comes with (docs/errors.md)."""
    served: dict[str, set[int]] = {}
    for code in e.ErrorCode:
        served[code.value] = {_status_of_kind(kind) for kind in code.kinds}
    for code_, status in EDGE_CODES.items():
        served.setdefault(code_, set()).add(status)
    return served


def _status_of_kind(kind: type[e.XinyongError]) -> int:
    for cls, status in STATUS_BY_ERROR:
        if issubclass(kind, cls):
            return status
    return 400


class Answered(Exception):
    """Raised by a dependency that already knows the whole answer (the page-actor check of
    ``web.ui.components``: the login redirect, the 403 page): the handler returns it as is."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


async def _answered(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Answered)
    return exc.response


def status_for(error: e.XinyongError) -> int:
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def wants_html(request: Request) -> bool:
    """A browser asking for a page (never under /api/): errors answer with the error page."""
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def is_page_route(request: Request) -> bool:
    """A route of the page layer (outside the API schema): it never answers a person with JSON,
    whatever the request's ``Accept`` says."""
    route = request.scope.get("route")
    return route is not None and getattr(route, "include_in_schema", True) is False


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, e.XinyongError)
    status = status_for(exc)
    headers = {}
    if isinstance(exc, e.RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, e.NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    if wants_html(request):
        from xinyong.web.pages import render_error_page

        return render_error_page(request, status, exc.code, exc.message, headers=headers)
    return JSONResponse(
        error_body(exc.code, exc.message, exc.details), status_code=status, headers=headers
    )


def _describe_validation(errors: list[Any]) -> list[dict[str, Any]]:
    details = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")]
        details.append({"field": ".".join(loc) or None, "reason": err.get("msg", "invalid")})
    return details


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = _describe_validation(list(exc.errors()))
    fields = ", ".join(d["field"] for d in details if d["field"]) or "request"
    # Chinese first, then English, like the services' messages: pages show one half
    # (core.labels.one_language), the API's clients get both.
    message = f"以下输入项无效：{fields} / Invalid input in {fields}: " + ", ".join(
        f"{d['field'] or 'request'}: {d['reason']}" for d in details
    )
    if wants_html(request) or is_page_route(request):
        from xinyong.web.pages import render_error_page

        return render_error_page(request, 422, "invalid_input", message)
    return JSONResponse(error_body("invalid_input", message, details), status_code=422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    # An HTTP exception of the platform's own (web.hardening.FileTooLarge) names its code.
    own = getattr(exc, "code", None)
    code = own if isinstance(own, str) else HTTP_CODES.get(exc.status_code, "error")
    message = str(exc.detail) if exc.detail else code
    if wants_html(request):
        from xinyong.web.pages import render_error_page

        return render_error_page(request, exc.status_code, code, message)
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """The answer to an error no handler expected: logged once, with the request id."""
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig):
        # SQLite: another writer held the lock past the busy timeout. Nothing was written.
        log.warning("database busy", extra={"fields": {"error": str(exc.orig)}})
        return JSONResponse(
            error_body("database_busy", "数据库繁忙，请稍后重试 / the database is busy; retry"),
            status_code=503,
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, DataError | OverflowError):
        # The last line of defence (issue 12 item 3): a value the database cannot hold got past
        # the edge's checks (web/inputs.py, web/params.py). Bad input, not a server fault; the
        # warning says which route let it through.
        log.warning(
            "unvalidated input reached the database",
            extra={"fields": {"path": request.url.path, "error": type(exc).__name__}},
        )
        return JSONResponse(
            error_body(
                "invalid_input",
                "输入值超出可存储范围 / a value is out of the range that can be stored",
                [{"request_id": current_request_id()}],
            ),
            status_code=422,
        )
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(
        error_body(
            "internal_error",
            "内部错误，已记录 / an internal error occurred; it has been logged",
            [{"request_id": current_request_id()}],
        ),
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Answered, _answered)
    app.add_exception_handler(e.XinyongError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, unexpected_error)
