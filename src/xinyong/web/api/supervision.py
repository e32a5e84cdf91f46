"""``/supervision``: how timely, accurate and complete providers deliver (COL-3; Art. 13)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from xinyong.supervision import service
from xinyong.supervision.schemas import Order, SortKey, SupervisionPage
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.params import MAX_PAGE

router = APIRouter(prefix="/supervision", tags=["supervision"])

Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PerPage = Annotated[int, Query(ge=1, le=service.MAX_PER_PAGE)]


def _csv(lines: Iterator[str], filename: str) -> StreamingResponse:
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/providers")
def providers(
    session: SessionDep, actor: ActorDep, clock: ClockDep,
    sort: SortKey = "days_overdue", order: Order = "desc", page: Page = 1, per_page: PerPage = 50,
) -> SupervisionPage:  # fmt: skip
    """Every provider × item (credit office): last delivery, overdue, rejection, completeness."""
    return service.list_providers(
        session, actor=actor, at=clock.now(), sort=sort, order=order, page=page, per_page=per_page
    )


@router.get("/providers.csv")
def providers_csv(
    session: SessionDep, actor: ActorDep, clock: ClockDep,
    sort: SortKey = "days_overdue", order: Order = "desc",
) -> StreamingResponse:  # fmt: skip
    lines = service.providers_csv(session, actor=actor, at=clock.now(), sort=sort, order=order)
    return _csv(lines, "supervision.csv")


@router.get("/mine")
def mine(
    session: SessionDep, actor: ActorDep, clock: ClockDep,
    sort: SortKey = "item_code", order: Order = "asc", page: Page = 1, per_page: PerPage = 50,
) -> SupervisionPage:  # fmt: skip
    """The acting provider's own rows only."""
    return service.list_mine(
        session, actor=actor, at=clock.now(), sort=sort, order=order, page=page, per_page=per_page
    )


@router.get("/mine.csv")
def mine_csv(
    session: SessionDep, actor: ActorDep, clock: ClockDep,
    sort: SortKey = "item_code", order: Order = "asc",
) -> StreamingResponse:  # fmt: skip
    lines = service.providers_csv(
        session, actor=actor, at=clock.now(), sort=sort, order=order, mine=True
    )
    return _csv(lines, "my-timeliness.csv")
