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


def _table_page(path: str, name: str, *, mine: bool, sort: SortKey, order: Order) -> None:
    """Add the page at ``path``: the table of every provider (the credit office's), or
    (``mine``) the acting provider's own rows, with its CSV twin of the JSON API."""
    csv = "/api/v1/supervision/mine.csv" if mine else "/api/v1/supervision/providers.csv"
    default_sort, default_order = sort, order

    def table_page(
        request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep,
        sort: SortKey = default_sort, order: Order = default_order, page: Page = 1,
    ) -> HTMLResponse:  # fmt: skip
        result = service.list_providers(
            session, actor=actor, at=clock.now(), sort=sort, order=order, page=page, mine=mine
        )
        ctx = {"result": result, "base": path, "mine": mine, "csv": csv}
        return render(request, "supervision/providers.html", ctx)

    router.add_api_route(path, table_page, methods=["GET"], response_class=HTMLResponse, name=name)


_table_page("/office/supervision", "office_page", mine=False, sort="days_overdue", order="desc")
_table_page("/provider/timeliness", "provider_page", mine=True, sort="item_code", order="asc")
