"""Pages of the register of credit service institutions (Art. 37, 38; CSI-1).

The public page lists the filed institutions and their status. The credit office's pages file
an institution, change a filing's status — an act of supervision that may end the filing for
good, so it asks for a reason and goes through a confirmation page (``confirm=1`` performs
it) — and record supervision. The services authorise; the pages show their refusals.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput
from xinyong.institutions import service
from xinyong.institutions.rules import TRANSITIONS, FilingStatus, ServiceKind, SupervisionKind
from xinyong.institutions.schemas import FilingCreate, StatusChangeCreate, SupervisionCreate
from xinyong.web.deps import ActorDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Page
from xinyong.web.ui.components import (
    FormPage,
    PageGate,
    Posted,
    form_route,
    invalid_input,
    render_form,
)
from xinyong.web.ui.support import Problem, Table

router = APIRouter(include_in_schema=False)
#: What a form the schemas refused says (each field's reason beside it).
INVALID = "输入有误 / invalid input"

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
    status: str = "",
    page: int = 1,
    problem: Problem | None = None,
    **shown: Any,
) -> Response:
    """The office's register with the form to file one; ``shown``: ``done``, or the ``form``."""
    ctx = _register(session, request, status, page) | {"form": {}, "done": "", **shown}
    ctx["unfiled"] = service.unfiled_institutions(session, actor=actor)
    ctx["services"] = list(ServiceKind)
    return render_form(request, "institutions/office.html", ctx, problem)


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
        raise invalid_input(exc, INVALID, whole="form") from None


def file_institution(p: Posted) -> str:
    data = _filing_form(p.form, p.values("services"))
    filing = service.file_institution(p.session, actor=p.actor, data=data, at=p.clock.now())
    return f"/office/institutions/{filing.id}?done=filed"


form_route(
    router,
    "/office/institutions",
    OfficePage,
    act=file_institution,
    again=lambda p, problem: _office_page(
        p.request, p.session, p.actor, problem=problem, form=p.form
    ),
)


def _detail_page(p: Posted, problem: Problem | None = None, **shown: Any) -> Response:
    """A filing with its forms; ``shown``: ``done``, or the refused ``form``."""
    filing = service.get_filing(p.session, actor=p.actor, filing_id=p.key)
    records = service.list_supervision(p.session, actor=p.actor, filing_id=p.key)
    ctx = {
        "filing": filing,
        "records": records.items,
        "form": {},
        "done": "",
        "targets": sorted(TRANSITIONS[FilingStatus(filing.status)]),
        "kinds": list(SupervisionKind),
        "today": p.clock.today(),
    }
    return render_form(p.request, "institutions/detail.html", ctx | shown, problem)


def _filing(filing_id: FilingId) -> int:
    return filing_id


#: A filing's page and its forms, ``POST /office/institutions/{filing_id}/<path>``.
FILING = FormPage(
    router, "/office/institutions/{filing_id}", OfficePage, _filing, show=_detail_page
)
FILING.page("office_detail")


def change_status(p: Posted) -> Response | str:
    data = _status_form(p.form)
    if p.form.get("confirm") != "1":
        filing = service.get_filing(p.session, actor=p.actor, filing_id=p.key)
        return render(p.request, "institutions/confirm.html", {"filing": filing, "data": data})
    service.change_status(p.session, actor=p.actor, filing_id=p.key, data=data, at=p.clock.now())
    return f"/office/institutions/{p.key}?done=status"


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
        raise invalid_input(exc, INVALID, whole="form") from None


def record_supervision(p: Posted) -> str:
    keys = ("supervised_on", "kind", "findings", "measures", "conducted_by")
    try:
        data = SupervisionCreate.model_validate({k: p.form.get(k, "") for k in keys})
    except ValidationError as exc:
        raise invalid_input(exc, INVALID, whole="form") from None
    service.record_supervision(
        p.session, actor=p.actor, filing_id=p.key, data=data, at=p.clock.now()
    )
    return f"/office/institutions/{p.key}?done=supervision#supervision"


FILING.form("status", change_status)
FILING.form("supervision", record_supervision)
