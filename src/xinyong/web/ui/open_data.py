"""The open-data page (issue 17 item 5): every day's public records per item, as files."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from xinyong.publication import service
from xinyong.web.deps import ActorDep, read_only
from xinyong.web.pages import render
from xinyong.web.public_store import PublicSessionDep

router = APIRouter(include_in_schema=False)


@router.get("/public/open-data", response_class=HTMLResponse)
@read_only
def open_data_page(request: Request, session: PublicSessionDep, actor: ActorDep) -> HTMLResponse:
    index = service.open_data_index(session)
    return render(request, "public/open_data.html", {"files": index.items})
