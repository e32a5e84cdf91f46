"""``/catalogue/items`` on the public server (``xinyong serve --public``): the published
catalogue, from the publication store (CAT-1…4). The core serves the same paths from its own
tables (``web.api.catalogue``), with the credit office's write routes beside them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response

from xinyong.catalogue.models import Tier, VersionStatus
from xinyong.publication import service
from xinyong.web.public_store import PublicSessionDep

router = APIRouter(prefix="/catalogue", tags=["catalogue"])


@router.get("/items")
def list_items(
    session: PublicSessionDep,
    status: Annotated[VersionStatus | None, Query()] = None,
    tier: Annotated[Tier | None, Query()] = None,
    sort: Annotated[str, Query()] = "code",
    order: Annotated[Literal["asc", "desc"], Query()] = "asc",
) -> dict[str, Any]:
    """Items in force (default), or each item's latest version with ``status``."""
    items = service.catalogue_items(
        session, status=status, tier=tier, sort=sort, descending=order == "desc"
    )
    return {"items": [i.model_dump(mode="json") for i in items]}


@router.get("/items/{code}", response_class=Response)
def get_item(code: Annotated[str, Path(max_length=64)], session: PublicSessionDep) -> Response:
    return Response(service.catalogue_item_json(session, code=code), media_type="application/json")
