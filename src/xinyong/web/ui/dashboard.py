"""The credit office's dashboard page (DESIGN §6): deliveries over time, overdue providers,
objections due and overdue, inquiries by purpose, list entries — each a server-drawn SVG
chart beside a sortable table with its CSV export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput
from xinyong.dashboard import service
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.ui import dashboard_views as views
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import problem_of

router = APIRouter(include_in_schema=False)

ROLES = frozenset({Role.CREDIT_OFFICE})
RolesPage = Annotated[Actor, Depends(PageGate(ROLES))]
From = Annotated[str | None, Query(alias="from")]


@router.get("/office/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request, session: SessionDep, actor: RolesPage, clock: ClockDep,
    start: From = None, to: str | None = None,
) -> Response:  # fmt: skip
    problem = None
    try:
        read = service.dashboard(session, actor=actor, at=clock.now(), start=start, end=to)
    except InvalidInput as exc:
        # Show what was wrong with the range, over the default range's figures.
        problem = problem_of(exc)
        read = service.dashboard(session, actor=actor, at=clock.now())
    ctx = views.page_context(read, dict(request.query_params))
    ctx.update({"problem": problem, "form": {"from": start or "", "to": to or ""}})
    return render(
        request, "dashboard/page.html", ctx, status_code=problem.status if problem else 200
    )
