"""``/dashboard``: the credit office's dashboard panels, and each panel's table as CSV
(DESIGN §6). ``from``/``to`` are platform-local dates, both included."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from xinyong.dashboard import service
from xinyong.dashboard.schemas import DashboardRead
from xinyong.web.deps import ActorDep, ClockDep, SessionDep

router = APIRouter(prefix="/dashboard", tags=["dashboard"])

From = Annotated[str | None, Query(alias="from", description="first day, YYYY-MM-DD")]
To = Annotated[str | None, Query(description="last day, YYYY-MM-DD (default: today)")]
Provider = Annotated[
    str | None, Query(max_length=64, description="a provider organisation's code (default: all)")
]
Region = Annotated[
    str | None,
    Query(max_length=16, description="a GB/T 2260 region code: its organisations (default: all)"),
]


@router.get("", response_model_by_alias=True)
def dashboard(
    session: SessionDep, actor: ActorDep, clock: ClockDep, start: From = None, to: To = None,
    provider: Provider = None, region: Region = None,
) -> DashboardRead:  # fmt: skip
    """Every panel for the range (default: the last 12 months up to today), optionally for one
    provider and/or the organisations of one region (422 ``unknown_provider``,
    ``invalid_region``)."""
    return service.dashboard(
        session, actor=actor, at=clock.now(), start=start, end=to, provider=provider,
        region=region,
    )  # fmt: skip


@router.get("/{panel}.csv")
def panel_csv(
    panel: str, session: SessionDep, actor: ActorDep, clock: ClockDep,
    start: From = None, to: To = None, provider: Provider = None, region: Region = None,
) -> StreamingResponse:  # fmt: skip
    """One panel's table (``deliveries``, ``deliveries_by_provider``, ``overdue_providers``,
    ``objections``, ``inquiries``, ``list_entries``); 404 ``panel_not_found`` otherwise."""
    service.check_panel(panel)
    lines = service.panel_csv(
        session, actor=actor, at=clock.now(), panel=panel, start=start, end=to,
        provider=provider, region=region,
    )  # fmt: skip
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="dashboard-{panel}.csv"'},
    )
