"""The "verify a report" page on the public server (``xinyong serve --public``): the same
page as the core's (``web.ui.reports``), answered from the publication store (RGT-1)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.core.errors import NotFound
from xinyong.publication import service
from xinyong.reports.schemas import ReportVerificationRead
from xinyong.web.deps import ActorDep, read_only
from xinyong.web.pages import render
from xinyong.web.public_store import PublicSessionDep

router = APIRouter(include_in_schema=False)


@router.get("/reports/verify", response_class=HTMLResponse)
@read_only
def verify_page(
    request: Request,
    session: PublicSessionDep,
    actor: ActorDep,
    number: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    ctx: dict[str, Any] = {"number": number.strip(), "result": None, "missing": False}
    if not ctx["number"]:
        return render(request, "reports/verify.html", ctx)
    try:
        body = service.report_verification_json(session, number=number)
    except NotFound:
        ctx["missing"] = True
        return render(request, "reports/verify.html", ctx, status_code=404)
    ctx["result"] = ReportVerificationRead.model_validate_json(body)
    return render(request, "reports/verify.html", ctx)
