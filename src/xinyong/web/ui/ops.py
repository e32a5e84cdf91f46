"""``/office/jobs``: the credit office's page of the periodic jobs (issue 15 item 4)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.ops import service
from xinyong.web.deps import SessionDep
from xinyong.web.pages import render
from xinyong.web.ui.components import PageGate

router = APIRouter(include_in_schema=False)
JobsPage = Annotated[Actor, Depends(PageGate(Role.CREDIT_OFFICE))]


@router.get("/office/jobs", response_class=HTMLResponse)
def jobs(request: Request, session: SessionDep, actor: JobsPage) -> Response:
    page = service.list_jobs(session, actor=actor, at=Clock().now())
    return render(request, "office/jobs.html", {"jobs": page.items})
