"""Public pages: home (with the latest double-publicity decisions), and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from xinyong.core.errors import NotFound
from xinyong.publication import service as publication
from xinyong.web import i18n
from xinyong.web.deps import ActorDep, read_only
from xinyong.web.pages import render, safe_next
from xinyong.web.public_store import PublicSessionDep

router = APIRouter()

#: The chosen language is remembered for a year; it is a preference, not a secret.
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
#: How many of the newest licensing and penalty decisions the home page shows, of each.
LATEST_DECISIONS = 10


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@read_only
def home(request: Request, actor: ActorDep, session: PublicSessionDep) -> HTMLResponse:
    """The search box, and the newest 双公示 decisions as the publication store serves them."""
    latest = publication.latest_decisions(session, limit=LATEST_DECISIONS)
    return render(request, "home.html", {"latest": latest})


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(
    code: str, next_: Annotated[str, Query(alias="next")] = "/"
) -> RedirectResponse:
    language = i18n.parse_language(code)
    if language is None:
        raise NotFound(f"不支持的语言 / Unsupported language: {code}", code="unknown_language")
    response = RedirectResponse(safe_next(next_), status_code=303)
    response.set_cookie(
        i18n.LANG_COOKIE, language.code, max_age=LANG_COOKIE_MAX_AGE, samesite="lax"
    )
    return response
