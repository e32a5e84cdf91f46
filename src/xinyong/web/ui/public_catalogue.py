"""The catalogue pages on the public server (``xinyong serve --public``): the same pages as
the core's (``web.ui.catalogue``: the list, its CSV, one item), answered from the publication
store (CAT-1…4)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from xinyong.catalogue.schemas import ItemRead
from xinyong.publication import service
from xinyong.web.deps import ActorDep
from xinyong.web.public_store import PublicSessionDep
from xinyong.web.ui.catalogue import (
    CatalogueQuery,
    CatalogueQueryDep,
    detail_page,
    list_csv,
    list_page,
)
from xinyong.web.ui.components import TableQuery

router = APIRouter(include_in_schema=False)


def _items(session: Session, q: TableQuery[CatalogueQuery]) -> list[ItemRead]:
    f = q.filters
    return service.catalogue_items(session, tier=f.tier, sort=f.sort, descending=f.order == "desc")


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue_page(
    request: Request, session: PublicSessionDep, actor: ActorDep, q: CatalogueQueryDep
) -> HTMLResponse:
    return list_page(request, q, _items(session, q))


@router.get("/catalogue.csv")
def catalogue_csv(session: PublicSessionDep, q: CatalogueQueryDep) -> Response:
    return list_csv(_items(session, q))


@router.get("/catalogue/{code}", response_class=HTMLResponse)
def item_page(
    request: Request, code: str, session: PublicSessionDep, actor: ActorDep
) -> HTMLResponse:
    return detail_page(request, service.catalogue_item(session, code=code))
