"""The OpenAPI document lists the error answers each operation really gives (issue 12 item 10).

FastAPI documents only the success answer and its own validation error. The platform answers
every error in one shape, ``{"error": {"code", "message", "details"}}``; this adds that shape
as the ``Error`` component and, per operation, the statuses it can answer:

- 422 where the operation takes input (parameters or a body) — replacing FastAPI's
  ``HTTPValidationError``, which the platform never sends;
- 401 on every ``/api/v1`` operation (a bearer token that is expired, revoked or forged is
  refused wherever one is sent), 403 except on the anonymous ones;
- 404 where the path names an object; 409 where the operation writes; 413 where it takes a
  body (``XINYONG_MAX_UPLOAD_MB``); 429 where a rate limit applies (login, inquiries, checks).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "array", "items": {}},
            },
        }
    },
}
DESCRIPTIONS = {
    401: "Not authenticated (missing, expired or revoked token)",
    403: "Forbidden for this account",
    404: "Not found",
    409: "Conflict with the current state",
    413: "Request body too large",
    422: "Invalid input",
    429: "Rate limited",
}
#: Operations anyone may call: no account can be refused them.
ANONYMOUS_PREFIXES = (
    "/api/v1/public/",
    "/api/v1/auth/token",
    "/api/v1/identifiers/",
    "/api/v1/calendar/deadline",
    "/api/v1/audit/proofs/",
)
RATE_LIMITED = (
    "/api/v1/auth/token",
    "/api/v1/inquiries",
    "/api/v1/authorized-inquiries",
    "/api/v1/window-inquiries",
    "/api/v1/checks",
)
WRITES = {"post", "put", "patch", "delete"}


def error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses ``method path`` can answer."""
    if not path.startswith("/api/v1/"):
        return [422] if operation.get("parameters") else []
    statuses = [401]
    if not path.startswith(ANONYMOUS_PREFIXES):
        statuses.append(403)
    if "{" in path:
        statuses.append(404)
    if method in WRITES:
        statuses.append(409)
    if "requestBody" in operation:
        statuses.append(413)
    if operation.get("parameters") or "requestBody" in operation:
        statuses.append(422)
    if method == "post" and path.startswith(RATE_LIMITED):
        statuses.append(429)
    return statuses


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            for status in error_statuses(path, method, operation):
                responses.setdefault(str(status), {"description": DESCRIPTIONS[status]})
            for status, answer in responses.items():
                if status.startswith("4"):  # a route's own error answers have the shape too
                    answer["content"] = {"application/json": {"schema": ref}}
    return schema


def install_openapi(app: FastAPI) -> None:
    """``app.openapi()`` builds the document once, with the error answers documented."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    openapi_version=app.openapi_version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
