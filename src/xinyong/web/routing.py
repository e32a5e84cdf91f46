"""Finding a request's route without asking every router (issue 16).

FastAPI keeps each ``include_router`` as one nested route of the application. To find a
request's route the application asks each included router in turn whether it matches, and
each one tries every route of its own. The pages are included after the thirty-odd API
routers, so a page paid 0.6–0.9 ms on the development machine before its route ran, and a
public read by code 0.13 ms, against 0.01 ms for ``/healthz``, which the application declares
first.

:func:`guard_included_routers` puts a test in front of each included router of the
application: whether the path begins with the literal start (the part before the first ``{``)
of one of its routes. If not, no route of that router can match the path, fully or partially
(a partial match is the path with another method), and the router answers "no match" after one
``str.startswith`` instead of trying its routes. The routes, their order and every answer are
unchanged. A request under a ``root_path`` (an application mounted below a prefix) goes
through untested.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.routing import Match
from starlette.types import Scope

Matches = Callable[[Scope], tuple[Match, Scope]]


def guard_included_routers(app: FastAPI) -> int:
    """Test the path's start before each included router of ``app`` is tried; the number of
    routers guarded. A router with a route whose path is not known is left as it is."""
    guarded = 0
    for route in app.router.routes:
        # FastAPI's included router (a private class): known by what it offers.
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is None:
            continue
        starts = {_literal_start(context) for context in contexts()}
        if not starts or None in starts:
            continue
        literal = tuple(sorted(s for s in starts if s is not None))
        # An attribute of this router object only: mypy refuses assignment to a method.
        setattr(route, "matches", _guarded(route.matches, literal))  # noqa: B010
        guarded += 1
    return guarded


def _literal_start(context: Any) -> str | None:
    """The part of a route's path before its first parameter (``None``: no path known)."""
    path = getattr(context, "path_format", None) or getattr(
        getattr(context, "starlette_route", None), "path_format", None
    )
    if not isinstance(path, str) or not path:
        return None
    return path.split("{", 1)[0]


def _guarded(matches: Matches, starts: tuple[str, ...]) -> Matches:
    def guarded(scope: Scope) -> tuple[Match, Scope]:
        if scope.get("root_path") or scope["path"].startswith(starts):
            return matches(scope)
        return Match.NONE, {}

    return guarded
