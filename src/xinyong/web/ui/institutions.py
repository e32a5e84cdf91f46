"""Pages of the register of credit service institutions (Art. 37, 38; CSI-1).

The public page lists the filed institutions and their status. The credit office's pages file
an institution, change a filing's status — an act of supervision that may end the filing for
good, so it asks for a reason and goes through a confirmation page (``confirm=1`` performs
it) — and record supervision. The services authorise; the pages show their refusals.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.institutions import service
from xinyong.institutions.rules import (
    TRANSITIONS,
    FilingStatus,
    ServiceKind,
    SupervisionKind,
)
from xinyong.institutions.schemas import FilingCreate, StatusChangeCreate, SupervisionCreate
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id, Page
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import FormFields, Problem, Table, problem_of

router = APIRouter(include_in_schema=False)

OFFICE = frozenset({Role.CREDIT_OFFICE})
OfficePage = Annotated[Actor, Depends(PageGate(OFFICE))]
PER_PAGE = 50
FilingId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PageNo = Page


def _status_filter(status: str) -> str:
    return status if status in {s.value for s in FilingStatus} else ""


def _register(session: Session, request: Request, status: str, page: int) -> dict[str, Any]:
    status = _status_filter(status)
    first = service.list_filings(session, status=status or None, page=1, per_page=PER_PAGE)
    page = min(page, first.pages)
    result = (
        first
        if page == 1
        else service.list_filings(session, status=status or None, page=page, per_page=PER_PAGE)
    )
    table = Table(
        request.url.path,
        "filing_number",
        "asc",
        page,
        result.pages,
        result.total,
        {"status": status},
    )
    return {"result": result, "table": table, "status": status, "statuses": list(FilingStatus)}


@router.get("/institutions", response_class=HTMLResponse)
def public_register(
    request: Request, session: SessionDep, actor: ActorDep, status: str = "", page: PageNo = 1
) -> Response:
    return render(request, "institutions/register.html", _register(session, request, status, page))


def _office_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    status: str = "",
    page: int = 1,
    problem: Problem | None = None,
    form: dict[str, str] | None = None,
    done: str = "",
) -> Response:
    ctx = _register(session, request, status, page)
    ctx.update(
        {
            "problem": problem,
            "form": form or {},
            "done": done,
            "unfiled": service.unfiled_institutions(session, actor=actor),
            "services": list(ServiceKind),
        }
    )
    return render(
        request, "institutions/office.html", ctx, status_code=problem.status if problem else 200
    )


@router.get("/office/institutions", response_class=HTMLResponse)
def office_register(
    request: Request,
    session: SessionDep,
    actor: OfficePage,
    status: str = "",
    page: PageNo = 1,
    done: str = "",
) -> Response:
    return _office_page(request, session, actor, status=status, page=page, done=done)


def _problem_of_validation(exc: ValidationError) -> InvalidInput:
    details = [
        {"field": ".".join(str(p) for p in e["loc"]) or "form", "reason": e["msg"]}
        for e in exc.errors()
    ]
    return InvalidInput("输入有误 / invalid input", details=details)


def _filing_form(form: dict[str, str], services: list[str]) -> FilingCreate:
    data: dict[str, Any] = {
        k: form.get(k, "")
        for k in (
            "org",
            "uscc",
            "name",
            "legal_representative",
            "registered_address",
            "business_scope",
            "contact",
        )
    }
    data["services"] = services
    data["filed_on"] = form.get("filed_on") or None
    try:
        return FilingCreate.model_validate(data)
    except ValidationError as exc:
        raise _problem_of_validation(exc) from None


async def _checked_services(request: Request) -> list[str]:
    """Every ticked ``services`` box (a multi-valued field, which ``FormFields`` keeps one of)."""
    return [v for v in (await request.form()).getlist("services") if isinstance(v, str)]


CheckedServices = Annotated[list[str], Depends(_checked_services)]


@router.post("/office/institutions")
def file_institution(
    request: Request,
    _csrf: CsrfDep,
    form: FormFields,
    services: CheckedServices,
    session: SessionDep,
    actor: OfficePage,
    clock: ClockDep,
) -> Response:
    try:
        filing = service.file_institution(
            session, actor=actor, data=_filing_form(form, services), at=clock.now()
        )
    except XinyongError as exc:
        return _office_page(request, session, actor, problem=problem_of(exc), form=form)
    return RedirectResponse(f"/office/institutions/{filing.id}?done=filed", status_code=303)


def _detail_page(
    request: Request,
    session: Session,
    actor: Actor,
    filing_id: Id,
    *,
    problem: Problem | None = None,
    form: dict[str, str] | None = None,
    done: str = "",
    today: date | None = None,
) -> Response:
    filing = service.get_filing(session, actor=actor, filing_id=filing_id)
    records = service.list_supervision(session, actor=actor, filing_id=filing_id)
    ctx = {
        "filing": filing,
        "records": records.items,
        "problem": problem,
        "form": form or {},
        "done": done,
        "targets": sorted(TRANSITIONS[FilingStatus(filing.status)]),
        "kinds": list(SupervisionKind),
        "today": today,
    }
    return render(
        request, "institutions/detail.html", ctx, status_code=problem.status if problem else 200
    )


@router.get("/office/institutions/{filing_id}", response_class=HTMLResponse)
def office_detail(
    request: Request,
    filing_id: FilingId,
    session: SessionDep,
    actor: OfficePage,
    clock: ClockDep,
    done: str = "",
) -> Response:
    return _detail_page(request, session, actor, filing_id, done=done, today=clock.today())


@router.post("/office/institutions/{filing_id}/status")
def change_status(
    request: Request,
    filing_id: FilingId,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: OfficePage,
    clock: ClockDep,
) -> Response:
    try:
        data = _status_form(form)
        if form.get("confirm") != "1":
            filing = service.get_filing(session, actor=actor, filing_id=filing_id)
            return render(request, "institutions/confirm.html", {"filing": filing, "data": data})
        service.change_status(session, actor=actor, filing_id=filing_id, data=data, at=clock.now())
    except XinyongError as exc:
        return _detail_page(
            request,
            session,
            actor,
            filing_id,
            problem=problem_of(exc),
            form=form,
            today=clock.today(),
        )
    return RedirectResponse(f"/office/institutions/{filing_id}?done=status", status_code=303)


def _status_form(form: dict[str, str]) -> StatusChangeCreate:
    if not form.get("reason", "").strip():
        raise InvalidInput(
            "请填写理由 / give a reason",
            code="reason_missing",
            details=[{"field": "reason", "reason": "required"}],
        )
    try:
        return StatusChangeCreate.model_validate(
            {"status": form.get("status", ""), "reason": form.get("reason", "")}
        )
    except ValidationError as exc:
        raise _problem_of_validation(exc) from None


@router.post("/office/institutions/{filing_id}/supervision")
def record_supervision(
    request: Request,
    filing_id: FilingId,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: OfficePage,
    clock: ClockDep,
) -> Response:
    keys = ("supervised_on", "kind", "findings", "measures", "conducted_by")
    try:
        try:
            data = SupervisionCreate.model_validate({k: form.get(k, "") for k in keys})
        except ValidationError as exc:
            raise _problem_of_validation(exc) from None
        service.record_supervision(
            session, actor=actor, filing_id=filing_id, data=data, at=clock.now()
        )
    except XinyongError as exc:
        return _detail_page(
            request,
            session,
            actor,
            filing_id,
            problem=problem_of(exc),
            form=form,
            today=clock.today(),
        )
    return RedirectResponse(
        f"/office/institutions/{filing_id}?done=supervision#supervision", status_code=303
    )
