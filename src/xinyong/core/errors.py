"""The error tree. Each error has a stable ``code``; the web layer maps classes to statuses."""

from __future__ import annotations

from typing import Any


class XinyongError(Exception):
    """Base of every expected failure. ``code`` is stable; ``message`` is a human sentence."""

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details or []


class InvalidInput(XinyongError):
    """Malformed or invalid input (400/422)."""

    code = "invalid_input"


class NotAuthenticated(XinyongError):
    """No valid credentials (401)."""

    code = "not_authenticated"


class PermissionDenied(XinyongError):
    """Authenticated but not allowed (403)."""

    code = "forbidden"


class NotFound(XinyongError):
    """The object does not exist or is not visible to the actor (404)."""

    code = "not_found"


class MethodNotAllowed(XinyongError):
    """The operation is never allowed, e.g. deleting a record (405)."""

    code = "method_not_allowed"


class Conflict(XinyongError):
    """The request conflicts with the current state (409)."""

    code = "conflict"


class RuleViolation(XinyongError):
    """A rule of the regulation refuses the request (422)."""

    code = "rule_violation"


class CalendarNotCovered(RuleViolation):
    """A working-day computation reaches a year neither the statutory calendar nor the
    credit office's overrides cover (RGT-6)."""

    code = "calendar_not_covered"


class RateLimited(XinyongError):
    """Too many requests (429)."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
