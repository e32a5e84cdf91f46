"""Public catalogue pages: the published items, one item's field schema and versions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from xinyong.catalogue import reference, service
from xinyong.catalogue.models import Tier
from xinyong.catalogue.schemas import ItemDetailRead
from xinyong.core.clock import Clock
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Order
from xinyong.web.ui.components import TableQuery, TableSpec
from xinyong.web.ui.support import csv_response

router = APIRouter(include_in_schema=False)

SortKey = Literal["code", "name", "tier", "category", "publicity", "polarity", "update_frequency"]
CSV_COLUMNS = (
    "code",
    "name",
    "tier",
    "region_code",
    "category",
    "publicity",
    "polarity",
    "update_frequency",
    "repairable",
    "version",
    "effective_on",
    "legal_basis",
)


class CatalogueQuery(BaseModel):
    """The public catalogue's filter and order ("all" tiers when ``tier`` is empty)."""

    tier: Tier | None = None
    sort: SortKey = "code"
    order: Order = "asc"


CatalogueQueryDep = Annotated[TableQuery[CatalogueQuery], Depends(TableSpec(CatalogueQuery))]


def _items(session: Session, clock: Clock, q: TableQuery[CatalogueQuery]) -> list[Any]:
    f = q.filters
    return list(
        service.list_items(
            session, at=clock.now(), tier=f.tier, sort=f.sort, descending=f.order == "desc"
        )
    )


def list_page(request: Request, q: TableQuery[CatalogueQuery], items: list[Any]) -> HTMLResponse:
    """The catalogue's list page (this server's and the public server's)."""
    ctx = {
        "items": items,
        "q": q,
        "table": q.table(request.url.path, pages=1, total=len(items)),
        "sort": q.sort,
        "order": q.order,
        "tier": q.values()["tier"],
        "categories": reference.categories(),
    }
    return render(request, "catalogue/list.html", ctx)


def list_csv(items: list[Any]) -> Response:
    """The list page's CSV twin: the same items, ``CSV_COLUMNS`` of each."""
    rows = (item.model_dump(mode="json") for item in items)
    return csv_response(
        "catalogue.csv", CSV_COLUMNS, ([row[c] for c in CSV_COLUMNS] for row in rows)
    )


def detail_page(request: Request, detail: ItemDetailRead) -> HTMLResponse:
    """One item: its current version (else the last one) and every version."""
    shown = detail.current or (detail.versions[-1] if detail.versions else None)
    ctx = {"detail": detail, "shown": shown, "categories": reference.categories()}
    return render(request, "catalogue/detail.html", ctx)


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue_page(
    request: Request, session: SessionDep, clock: ClockDep, actor: ActorDep, q: CatalogueQueryDep
) -> HTMLResponse:
    return list_page(request, q, _items(session, clock, q))


@router.get("/catalogue.csv")
def catalogue_csv(session: SessionDep, clock: ClockDep, q: CatalogueQueryDep) -> Response:
    return list_csv(_items(session, clock, q))


@router.get("/catalogue/{code}", response_class=HTMLResponse)
def item_page(
    request: Request, code: str, session: SessionDep, clock: ClockDep, actor: ActorDep
) -> HTMLResponse:
    return detail_page(request, service.item_detail(session, code=code, at=clock.now()))
