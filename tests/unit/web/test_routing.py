"""``web.routing``: the test of a path's start in front of each included router must find, for
every path, the route FastAPI itself would find — the same route, the same kind of match (a
path with another method is a partial match: 405), and no match where there is none."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Match

from xinyong.core.config import Settings
from xinyong.web.app import create_app

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Paths no route serves, or only partly: near misses of real routes.
STRAYS = (
    "/", "/nope", "/api", "/api/v1", "/api/v1/", "/api/v1/nope", "/api/v1/public",
    "/api/v1/public/subjects/91520100MA6DK1234X/extra", "/api/v1/inquiries/", "/public",
    "/public/subjects/", "/me/", "/static", "/healthz/", "/api/v1/records/1/nope",
)  # fmt: skip


@pytest.fixture(params=["core", "public"])
def app(request: pytest.FixtureRequest, settings: Settings) -> FastAPI:
    return create_app(settings, public_only=request.param == "public")


def _sample(path: str) -> str:
    """A path a route with this template serves: each parameter given a plain value."""
    return re.sub(r"\{[^}:]+:path\}", "a/b", re.sub(r"\{[^}:]+(:(int|str))?\}", "1", path))


def _paths(app: FastAPI) -> Iterator[str]:
    for route in app.router.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        templates = (
            [getattr(c, "path_format", "") for c in contexts()]
            if contexts
            else [getattr(route, "path_format", "")]
        )
        for template in templates:
            if template:
                yield _sample(template)
    yield from STRAYS


def _first(app: FastAPI, scope: dict[str, object], *, guarded: bool) -> tuple[Match, object]:
    """The first full match (else the first partial) among the app's routes, asked through the
    guard or straight through FastAPI's own method."""
    partial: tuple[Match, object] | None = None
    for route in app.router.routes:
        matches = route.matches if guarded else type(route).matches.__get__(route)
        match, _ = matches(scope)
        if match == Match.FULL:
            return match, route
        if match == Match.PARTIAL and partial is None:
            partial = (match, route)
    return partial or (Match.NONE, None)


def _scope(app: FastAPI, path: str, method: str) -> dict[str, object]:
    return {
        "type": "http", "path": path, "root_path": "", "method": method, "headers": [],
        "query_string": b"", "app": app,
    }  # fmt: skip


def test_every_path_finds_the_route_fastapi_would_find(app: FastAPI) -> None:
    guarded = [r for r in app.router.routes if isinstance(vars(r).get("matches"), type(_first))]
    assert len(guarded) >= 3, "the included routers are guarded"
    compared = 0
    for path in _paths(app):
        for method in METHODS:
            scope = _scope(app, path, method)
            found = _first(app, scope, guarded=True)
            expected = _first(app, scope, guarded=False)
            assert found == expected, (method, path)
            compared += found[0] != Match.NONE
    assert compared > 100


def _route_of(app: FastAPI, path: str) -> BaseRoute | None:
    return _first(app, _scope(app, path, "GET"), guarded=True)[1]  # type: ignore[return-value]


def test_answers_through_the_guarded_routers_are_unchanged(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        # A route of an included router, a path of one with another method, and a stray.
        assert client.get("/api/v1/identifiers/check", params={"value": "x"}).status_code == 200
        assert client.delete("/api/v1/identifiers/check").status_code == 405
        missing = client.get("/no-such-page", headers={"Accept": "text/html"})
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("text/html")
        assert client.get("/api/v1/no-such-thing").status_code == 404
    assert _route_of(app, "/api/v1/identifiers/check") is not None
