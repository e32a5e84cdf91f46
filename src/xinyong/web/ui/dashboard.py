"""The credit office's dashboard page (DESIGN §6): deliveries over time, overdue providers,
objections due and overdue, inquiries by purpose, list entries — each a server-drawn SVG
chart beside a sortable table with its CSV export; filtered by range, provider and region."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput
from xinyong.dashboard import rules, service
from xinyong.dashboard.schemas import DashboardRead
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.ui import dashboard_views as views
from xinyong.web.ui.components import PageGate, render_form
from xinyong.web.ui.support import problem_of

router = APIRouter(include_in_schema=False)

ROLES = frozenset({Role.CREDIT_OFFICE})
RolesPage = Annotated[Actor, Depends(PageGate(ROLES))]
From = Annotated[str | None, Query(alias="from")]


#: The page's filter fields, as the form and the query string name them.
FIELDS = ("from", "to", "provider", "region")


def _read(session: Session, actor: Actor, clock: Clock, asked: dict[str, str]) -> DashboardRead:
    return service.dashboard(
        session, actor=actor, at=clock.now(), start=asked.get("from"), end=asked.get("to"),
        provider=asked.get("provider"), region=asked.get("region"),
    )  # fmt: skip


@router.get("/office/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request, session: SessionDep, actor: RolesPage, clock: ClockDep,
    start: From = None, to: str | None = None, provider: str | None = None,
    region: str | None = None,
) -> Response:  # fmt: skip
    """Every panel, filtered by the GET form (range, provider, region; empty: everything). A
    bad value shows the form again with its message, over the figures of the other values."""
    given = (start, to, provider, region)
    asked = {k: (v or "").strip()[:64] for k, v in zip(FIELDS, given, strict=True)}
    problem, errors = None, set()
    try:
        read = _read(session, actor, clock, asked)
    except InvalidInput as exc:
        problem = problem_of(exc)
        errors = {str(d.get("field")) for d in exc.details}
        try:
            read = _read(session, actor, clock, {k: v for k, v in asked.items() if k not in errors})
        except InvalidInput:
            read = _read(session, actor, clock, {})
    kept = {k: v for k, v in request.query_params.items() if k not in FIELDS}
    ctx = views.page_context(read, {**kept, **views.filters_of(read)})
    ctx.update({
        "errors": errors, "form": asked,
        "providers": service.providers(session, actor=actor), "regions": rules.REGIONS,
    })  # fmt: skip
    return render_form(request, "dashboard/page.html", ctx, problem)
