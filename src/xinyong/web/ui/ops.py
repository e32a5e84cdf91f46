"""``/office/jobs``: the credit office's page of the periodic jobs (issue 15 item 4)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.ops import service
from xinyong.web.deps import ActorDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.ui.support import gate

router = APIRouter(include_in_schema=False)


@router.get("/office/jobs", response_class=HTMLResponse)
def jobs(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if (denied := gate(request, actor, frozenset({Role.CREDIT_OFFICE}))) is not None:
        return denied
    page = service.list_jobs(session, actor=actor, at=Clock().now())
    return render(request, "office/jobs.html", {"jobs": page.items})
