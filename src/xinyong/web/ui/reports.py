"""The subject's "my credit" page with the report download, and the public verification page
of report numbers (RGT-1; DESIGN §6)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import NotFound
from xinyong.repair.notices import repairable_dates
from xinyong.reports import service
from xinyong.reports.rules import SECTIONS
from xinyong.reports.schemas import SelfQueryRead
from xinyong.web.api.reports import report_response
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render, request_language
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.subject_desk import record_procedures

router = APIRouter(include_in_schema=False)

SUBJECTS = frozenset({Role.SUBJECT})
SubjectsPage = Annotated[Actor, Depends(PageGate(SUBJECTS))]


def _by_section(data: SelfQueryRead) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {s.code: [] for s in SECTIONS}
    for record in data.records:
        grouped.setdefault(record.section, []).append(record)
    return grouped


@router.get("/me/credit", response_class=HTMLResponse)
def my_credit(
    request: Request, session: SessionDep, actor: SubjectsPage, clock: ClockDep
) -> Response:
    data = service.self_query(session, actor=actor, at=clock.now())
    ctx = {
        "data": data, "sections": SECTIONS, "by_section": _by_section(data),
        "repairable": repairable_dates(session, subject_id=data.subject.id) if data.subject else {},
        "today": local_date(clock.now()),
    }  # fmt: skip
    ctx.update(record_procedures(session, actor, clock.now()) if data.subject else {})
    return render(request, "reports/my_credit.html", ctx)


@router.post("/me/report")
def download_report(
    request: Request, session: SessionDep, actor: SubjectsPage, clock: ClockDep, _csrf: CsrfDep
) -> Response:
    # A POST, not a link: issuing a report is a write (register row and audit entry).
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
