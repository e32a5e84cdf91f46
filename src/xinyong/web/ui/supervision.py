"""Supervision pages (COL-3): the credit office's table of providers, a provider's own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from xinyong.supervision import service
from xinyong.supervision.schemas import Order, SortKey
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import MAX_PAGE

router = APIRouter(include_in_schema=False)

Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]


@router.get("/office/supervision", response_class=HTMLResponse)
def office_page(
    request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep,
    sort: SortKey = "days_overdue", order: Order = "desc", page: Page = 1,
) -> HTMLResponse:  # fmt: skip
    result = service.list_providers(
        session, actor=actor, at=clock.now(), sort=sort, order=order, page=page
    )
    ctx = {"result": result, "base": "/office/supervision", "mine": False,
           "csv": "/api/v1/supervision/providers.csv"}  # fmt: skip
    return render(request, "supervision/providers.html", ctx)


@router.get("/provider/timeliness", response_class=HTMLResponse)
def provider_page(
    request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep,
    sort: SortKey = "item_code", order: Order = "asc", page: Page = 1,
) -> HTMLResponse:  # fmt: skip
    result = service.list_mine(
        session, actor=actor, at=clock.now(), sort=sort, order=order, page=page
    )
    ctx = {"result": result, "base": "/provider/timeliness", "mine": True,
           "csv": "/api/v1/supervision/mine.csv"}  # fmt: skip
    return render(request, "supervision/providers.html", ctx)
