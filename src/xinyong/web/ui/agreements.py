"""The credit office's delivery-agreement pages (Art. 14, 16; COL-2): every agreement with its
organisation, items, validity and basis (sortable, CSV), and a form to add one. Recording an
agreement opens a channel of deliveries, so the form goes through a confirmation page
(``confirm=1`` performs it); the service refuses public items (``item_not_agreeable``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.catalogue import service as catalogue
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.records import agreements
from xinyong.records.schemas import AgreementCreate, AgreementRead
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Page
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import (
    FormFields,
    Problem,
    Table,
    csv_response,
    paged,
    problem_of,
    sorted_by,
)

router = APIRouter(include_in_schema=False)

ROLES = frozenset({Role.CREDIT_OFFICE})
RolesPage = Annotated[Actor, Depends(PageGate(ROLES))]
PER_PAGE = 50
SortKey = Literal["org", "org_name", "basis", "valid_from", "valid_until", "in_force"]
Order = Literal["asc", "desc"]
CSV_COLUMNS = ("id", "org", "org_name", "items", "valid_from", "valid_until", "basis",
               "in_force", "created_at", "created_by")  # fmt: skip


def _rows(
    session: Session, actor: Actor, clock: Clock, sort: str, order: str
) -> list[AgreementRead]:
    rows = agreements.list_agreements(session, actor=actor, at=clock.now()).items
    return sorted_by(rows, lambda r: getattr(r, sort), order == "desc")


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    clock: Clock,
    *,
    sort: str = "valid_from",
    order: str = "desc",
    page: int = 1,
    done: str = "",
    problem: Problem | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    rows = _rows(session, actor, clock, sort, order)
    shown, page, pages = paged(rows, page, PER_PAGE)
    table = Table(request.url.path, sort, order, page, pages, len(rows), {})
    items = [i for i in catalogue.list_items(session, at=clock.now()) if i.publicity != "public"]
    ctx = {"rows": shown, "table": table, "done": done, "problem": problem,
           "form": form or {}, "agreeable_items": items}  # fmt: skip
    status = problem.status if problem else 200
    return render(request, "office/agreements.html", ctx, status_code=status)


@router.get("/office/agreements", response_class=HTMLResponse)
def agreements_page(
    request: Request,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
    sort: Annotated[SortKey, Query()] = "valid_from",
    order: Annotated[Order, Query()] = "desc",
    page: Page = 1,
    done: str = "",
) -> Response:
    return _page(request, session, actor, clock, sort=sort, order=order, page=page, done=done)


@router.get("/office/agreements.csv")
def agreements_csv(
    request: Request,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
    sort: Annotated[SortKey, Query()] = "valid_from",
    order: Annotated[Order, Query()] = "desc",
) -> Response:
    rows = _rows(session, actor, clock, sort, order)
    values = ([" ".join(r.items) if c == "items" else getattr(r, c) for c in CSV_COLUMNS]
              for r in rows)  # fmt: skip
    return csv_response("agreements.csv", CSV_COLUMNS, values)


@router.post("/office/agreements")
def add_agreement(
    request: Request,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
) -> Response:
    try:
        data = _agreement(form)
        if form.get("confirm") != "1":
            agreements.check_agreement(session, actor=actor, data=data, at=clock.now())
            return render(request, "office/agreement_confirm.html", {"data": data})
        agreements.add_agreement(session, actor=actor, data=data, at=clock.now())
    except XinyongError as exc:
        return _page(request, session, actor, clock, problem=problem_of(exc), form=form)
    return RedirectResponse("/office/agreements?done=added", status_code=303)


def _date(value: str, field: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"日期格式应为 YYYY-MM-DD / a date is written YYYY-MM-DD ({field})",
            code="date_invalid",
            details=[{"field": field, "reason": "YYYY-MM-DD"}],
        ) from None


def _agreement(form: dict[str, str]) -> AgreementCreate:
    items = [i for i in form.get("items", "").replace(",", " ").split() if i]
    try:
        return AgreementCreate.model_validate(
            {
                "org": form.get("org", ""),
                "items": items,
                "valid_from": _date(form.get("valid_from", ""), "valid_from"),
                "valid_until": _date(form.get("valid_until", ""), "valid_until"),
                "basis": form.get("basis", ""),
            }
        )
    except ValidationError as exc:
        fields = sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")})
        raise InvalidInput(
            "请填写机构代码、信息项、起始日期和协议依据 / give the organisation code, the items, "
            "the start date and the basis of the agreement",
            code="agreement_incomplete",
            details=[{"field": f, "reason": "required or invalid"} for f in fields],
        ) from None
