"""Public catalogue pages: the published items, one item's field schema and versions."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.catalogue import reference, service
from xinyong.catalogue.models import Tier
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.ui.support import csv_response

router = APIRouter(include_in_schema=False)

SortKey = Literal["code", "name", "tier", "category", "publicity", "polarity", "update_frequency"]
Order = Literal["asc", "desc"]
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


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue_page(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    actor: ActorDep,
    sort: Annotated[SortKey, Query()] = "code",
    order: Annotated[Order, Query()] = "asc",
    tier: Annotated[Tier | None, Query()] = None,
) -> HTMLResponse:
    items = service.list_items(
        session, at=clock.now(), tier=tier, sort=sort, descending=order == "desc"
    )
    ctx = {
        "items": items,
        "sort": sort,
        "order": order,
        "tier": tier.value if tier else "",
        "categories": reference.categories(),
    }
    return render(request, "catalogue/list.html", ctx)


@router.get("/catalogue.csv")
def catalogue_csv(
    session: SessionDep,
    clock: ClockDep,
    sort: Annotated[SortKey, Query()] = "code",
    order: Annotated[Order, Query()] = "asc",
    tier: Annotated[Tier | None, Query()] = None,
) -> Response:
    items = service.list_items(
        session, at=clock.now(), tier=tier, sort=sort, descending=order == "desc"
    )
    rows = (item.model_dump(mode="json") for item in items)
    return csv_response(
        "catalogue.csv", CSV_COLUMNS, ([row[c] for c in CSV_COLUMNS] for row in rows)
    )


@router.get("/catalogue/{code}", response_class=HTMLResponse)
def item_page(
    request: Request, code: str, session: SessionDep, clock: ClockDep, actor: ActorDep
) -> HTMLResponse:
    detail = service.item_detail(session, code=code, at=clock.now())
    shown = detail.current or (detail.versions[-1] if detail.versions else None)
    ctx = {"detail": detail, "shown": shown, "categories": reference.categories()}
    return render(request, "catalogue/detail.html", ctx)
