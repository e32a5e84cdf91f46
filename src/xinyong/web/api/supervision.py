"""``/supervision``: how timely, accurate and complete providers deliver (COL-3; Art. 13)."""

from __future__ import annotations

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


def _table(
    name: str, filename: str, summary: str, *, mine: bool, sort: SortKey, order: Order
) -> None:
    """Add ``GET /supervision/<name>`` (a page of the table, as JSON) and its CSV twin: the
    credit office's table of every provider, or (``mine``) the acting provider's own rows, each
    in its own default order."""
    default_sort, default_order = sort, order

    def table(
        session: SessionDep, actor: ActorDep, clock: ClockDep,
        sort: SortKey = default_sort, order: Order = default_order,
        page: Page = 1, per_page: PerPage = 50,
    ) -> SupervisionPage:  # fmt: skip
        return service.list_providers(
            session, actor=actor, at=clock.now(), sort=sort, order=order, page=page,
            per_page=per_page, mine=mine,
        )  # fmt: skip

    def table_csv(
        session: SessionDep, actor: ActorDep, clock: ClockDep,
        sort: SortKey = default_sort, order: Order = default_order,
    ) -> StreamingResponse:  # fmt: skip
        lines = service.providers_csv(
            session, actor=actor, at=clock.now(), sort=sort, order=order, mine=mine
        )
        return StreamingResponse(
            lines,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    table.__doc__ = summary
    router.add_api_route(f"/{name}", table, methods=["GET"], name=name)
    router.add_api_route(f"/{name}.csv", table_csv, methods=["GET"], name=f"{name}_csv")


_table(
    "providers",
    "supervision.csv",
    "Every provider × item (credit office): last delivery, overdue, rejection, completeness.",
    mine=False,
    sort="days_overdue",
    order="desc",
)
_table(
    "mine",
    "my-timeliness.csv",
    "The acting provider's own rows only.",
    mine=True,
    sort="item_code",
    order="asc",
)
