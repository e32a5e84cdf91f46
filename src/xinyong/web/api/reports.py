"""Self-query and credit reports (RGT-1; Art. 31): ``/me/credit``, ``/me/report.pdf`` and the
public verification of a report number, ``/reports/{number}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from xinyong.reports import service
from xinyong.reports.models import CreditReport
from xinyong.reports.schemas import DomainList, ReportVerificationRead, SelfQueryRead
from xinyong.web.deps import ActorDep, ClockDep, SessionDep

router = APIRouter(tags=["reports"])


def report_response(report: CreditReport, pdf: bytes) -> Response:
    """The PDF as a download, its number in ``X-Report-Number`` (API.md)."""
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "X-Report-Number": report.number,
            "Content-Disposition": f'attachment; filename="{report.number}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/me/credit")
def my_credit(session: SessionDep, actor: ActorDep, clock: ClockDep) -> SelfQueryRead:
    return service.self_query(session, actor=actor, at=clock.now())


@router.get("/me/report.pdf", response_class=Response)
def my_report(request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    report, pdf = service.issue_report(
        session, actor=actor, at=clock.now(), base_url=str(request.base_url)
    )
    return report_response(report, pdf)


@router.get("/special-report/domains")
def special_domains() -> DomainList:
    return service.special_domains()


@router.get("/me/special-report.pdf", response_class=Response)
def my_special_report(
    request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep,
    from_: Annotated[str, Query(alias="from", max_length=32)] = "",
    to: Annotated[str, Query(max_length=32)] = "",
    domains: Annotated[str, Query(max_length=2000)] = "",
) -> Response:  # fmt: skip
    report, pdf = service.issue_special_report(
        session, actor=actor, at=clock.now(), start=from_, end=to, domains=domains,
        base_url=str(request.base_url),
    )  # fmt: skip
    return report_response(report, pdf)


@router.get("/reports/{number}", response_model_exclude_none=True)
def verify(number: str, session: SessionDep) -> ReportVerificationRead:
    return service.verify_report(session, number=number)
