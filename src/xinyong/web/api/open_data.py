"""Open data of public records (issue 17 item 5): per item and day, CSV and JSON files made by
``xinyong publish`` in the publication store, listed with record counts and SHA-256."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from xinyong.publication import service
from xinyong.publication.schemas import OpenDataIndex
from xinyong.web.public_store import PublicSessionDep

router = APIRouter(prefix="/public/open-data", tags=["public"])
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
Day = Annotated[str, Path(max_length=10)]


@router.get("")
def open_data(session: PublicSessionDep) -> OpenDataIndex:
    return service.open_data_index(session)


@router.get("/{item}/{day}.csv", response_class=Response)
def open_data_csv(item: str, day: Day, session: PublicSessionDep) -> Response:
    return _file(session, item, day, "csv")


@router.get("/{item}/{day}.json", response_class=Response)
def open_data_json(item: str, day: Day, session: PublicSessionDep) -> Response:
    return _file(session, item, day, "json")


def _file(session: PublicSessionDep, item: str, day: str, fmt: str) -> Response:
    content, sha = service.open_data_file(session, item=item, day=day, fmt=fmt)
    name = f"{item}-{day}.{fmt}"
    headers = {"X-Content-SHA256": sha, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content.encode(), media_type=MEDIA[fmt], headers=headers)
