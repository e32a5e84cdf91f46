"""The catalogue pages on the public server (``xinyong serve --public``): the same pages as
the core's (``web.ui.catalogue``: the list, its CSV, one item), answered from the publication
store (CAT-1…4)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from xinyong.catalogue import reference
from xinyong.catalogue.schemas import ItemRead
from xinyong.publication import service
from xinyong.web.deps import ActorDep
from xinyong.web.pages import render
from xinyong.web.public_store import PublicSessionDep
from xinyong.web.ui.catalogue import CSV_COLUMNS, CatalogueQuery, CatalogueQueryDep
from xinyong.web.ui.components import TableQuery
from xinyong.web.ui.support import csv_response

router = APIRouter(include_in_schema=False)


def _items(session: Session, q: TableQuery[CatalogueQuery]) -> list[ItemRead]:
    f = q.filters
    return service.catalogue_items(session, tier=f.tier, sort=f.sort, descending=f.order == "desc")


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue_page(
    request: Request, session: PublicSessionDep, actor: ActorDep, q: CatalogueQueryDep
) -> HTMLResponse:
    items = _items(session, q)
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


@router.get("/catalogue.csv")
def catalogue_csv(session: PublicSessionDep, q: CatalogueQueryDep) -> Response:
    rows = (item.model_dump(mode="json") for item in _items(session, q))
    return csv_response(
        "catalogue.csv", CSV_COLUMNS, ([row[c] for c in CSV_COLUMNS] for row in rows)
    )


@router.get("/catalogue/{code}", response_class=HTMLResponse)
def item_page(
    request: Request, code: str, session: PublicSessionDep, actor: ActorDep
) -> HTMLResponse:
    detail = service.catalogue_item(session, code=code)
    shown = detail.current or (detail.versions[-1] if detail.versions else None)
    ctx = {"detail": detail, "shown": shown, "categories": reference.categories()}
    return render(request, "catalogue/detail.html", ctx)
