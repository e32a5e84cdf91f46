"""The subject's "my credit" page with the report download, and the public verification page
of report numbers (RGT-1; DESIGN §6)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.core.actor import Role
from xinyong.core.errors import NotFound
from xinyong.reports import service
from xinyong.reports.rules import SECTIONS
from xinyong.reports.schemas import SelfQueryRead
from xinyong.web.api.reports import report_response
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.pages import render, request_language
from xinyong.web.ui.support import gate

router = APIRouter(include_in_schema=False)

SUBJECTS = frozenset({Role.SUBJECT})


def _by_section(data: SelfQueryRead) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {s.code: [] for s in SECTIONS}
    for record in data.records:
        grouped.setdefault(record.section, []).append(record)
    return grouped


@router.get("/me/credit", response_class=HTMLResponse)
def my_credit(request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    if (denied := gate(request, actor, SUBJECTS)) is not None:
        return denied
    data = service.self_query(session, actor=actor, at=clock.now())
    ctx = {"data": data, "sections": SECTIONS, "by_section": _by_section(data)}
    return render(request, "reports/my_credit.html", ctx)


@router.post("/me/report")
def download_report(
    request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep, _csrf: CsrfDep
) -> Response:
    # A POST, not a link: issuing a report is a write (register row and audit entry).
    if (denied := gate(request, actor, SUBJECTS)) is not None:
        return denied
    report, pdf = service.issue_report(
        session,
        actor=actor,
        at=clock.now(),
        base_url=str(request.base_url),
        lang=request_language(request).code,
    )
    return report_response(report, pdf)


@router.get("/reports/verify", response_class=HTMLResponse)
def verify_page(
    request: Request, session: SessionDep, number: Annotated[str, Query(max_length=64)] = ""
) -> Response:
    ctx: dict[str, Any] = {"number": number.strip(), "result": None, "missing": False}
    if not ctx["number"]:
        return render(request, "reports/verify.html", ctx)
    try:
        ctx["result"] = service.verify_report(session, number=number)
    except NotFound:
        ctx["missing"] = True
        return render(request, "reports/verify.html", ctx, status_code=404)
    return render(request, "reports/verify.html", ctx)
