"""The subject's page to choose a period and domains and download a special credit report
(专项信用报告; RGT-1, Art. 31)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import XinyongError
from xinyong.reports import service
from xinyong.reports.special_rules import MAX_YEARS_BACK, years_back
from xinyong.web.api.reports import report_response
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import request_language
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import Problem, problem_of, render_form

router = APIRouter(include_in_schema=False)

SubjectPage = Annotated[Actor, Depends(PageGate(Role.SUBJECT))]


async def _choice(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {
        "from": str(form.get("from") or ""),
        "to": str(form.get("to") or ""),
        "domains": [v for v in form.getlist("domains") if isinstance(v, str)],
    }


ChoiceDep = Annotated[dict[str, Any], Depends(_choice)]


def _page(
    request: Request, today: date, choice: dict[str, Any], problem: Problem | None = None
) -> Response:
    lang = request_language(request).code
    ctx = {
        "domains": service.special_domains("en" if lang == "en" else "zh").items,
        "choice": choice,
        "earliest": years_back(today, MAX_YEARS_BACK).isoformat(),
        "today": today.isoformat(),
    }
    return render_form(request, "reports/special.html", ctx, problem)


@router.get("/me/special-report", response_class=HTMLResponse)
def special_page(request: Request, actor: SubjectPage, clock: ClockDep) -> Response:
    today = local_date(clock.now())
    choice = {"from": years_back(today, 3).isoformat(), "to": today.isoformat(), "domains": []}
    return _page(request, today, choice)


@router.post("/me/special-report")
def special_download(
    request: Request, session: SessionDep, _csrf: CsrfDep, choice: ChoiceDep, actor: SubjectPage,
    clock: ClockDep,
) -> Response:  # fmt: skip
    at = clock.now()
    try:
        report, pdf = service.issue_special_report(
            session, actor=actor, at=at, start=choice["from"], end=choice["to"],
            domains=choice["domains"], base_url=str(request.base_url),
        )  # fmt: skip
    except XinyongError as exc:
        return _page(request, local_date(at), choice, problem_of(exc))
    return report_response(report, pdf)
