"""The credit office's delivery-agreement pages (Art. 14, 16; COL-2): every agreement with its
organisation, items, validity and basis (sortable, CSV), and a form to add one. Recording an
agreement opens a channel of deliveries, so the form goes through a confirmation page
(``confirm=1`` performs it); the service refuses public items (``item_not_agreeable``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.catalogue import service as catalogue
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput
from xinyong.records import agreements
from xinyong.records.schemas import AgreementCreate, AgreementRead
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Order, Page
from xinyong.web.ui.components import PageGate, Posted, form_route, render_form
from xinyong.web.ui.support import Problem, Table, csv_response, paged, sorted_by

router = APIRouter(include_in_schema=False)

OfficePage = Annotated[Actor, Depends(PageGate(Role.CREDIT_OFFICE))]
PER_PAGE = 50
SortKey = Literal["org", "org_name", "basis", "valid_from", "valid_until", "in_force"]
CSV_COLUMNS = ("id", "org", "org_name", "items", "valid_from", "valid_until", "basis",
               "in_force", "created_at", "created_by")  # fmt: skip


@dataclass(frozen=True, slots=True)
class AgreementsQuery:
    """The agreements table's sort and order: one parse for the page and its CSV."""

    sort: SortKey
    order: Order

    def rows(self, session: Session, actor: Actor, clock: Clock) -> list[AgreementRead]:
        rows = agreements.list_agreements(session, actor=actor, at=clock.now()).items
        return sorted_by(rows, lambda r: getattr(r, self.sort), self.order == "desc")


def _agreements_query(
    sort: Annotated[SortKey, Query()] = "valid_from", order: Annotated[Order, Query()] = "desc"
) -> AgreementsQuery:
    return AgreementsQuery(sort, order)


AgreementsQueryDep = Annotated[AgreementsQuery, Depends(_agreements_query)]


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    clock: Clock,
    q: AgreementsQuery = AgreementsQuery("valid_from", "desc"),
    page: int = 1,
    problem: Problem | None = None,
    **shown: Any,
) -> Response:
    """The agreements with the form to add one; ``shown``: ``done``, or the refused ``form``."""
    rows = q.rows(session, actor, clock)
    shown_rows, page, pages = paged(rows, page, PER_PAGE)
    table = Table(request.url.path, q.sort, q.order, page, pages, len(rows), {})
    items = [i for i in catalogue.list_items(session, at=clock.now()) if i.publicity != "public"]
    ctx = {"rows": shown_rows, "table": table, "done": "", "form": {}, "agreeable_items": items}
    return render_form(request, "office/agreements.html", ctx | shown, problem)


@router.get("/office/agreements", response_class=HTMLResponse)
def agreements_page(
    request: Request,
    session: SessionDep,
    actor: OfficePage,
    clock: ClockDep,
    q: AgreementsQueryDep,
    page: Page = 1,
    done: str = "",
) -> Response:
    return _page(request, session, actor, clock, q, page, done=done)


@router.get("/office/agreements.csv")
def agreements_csv(
    session: SessionDep, actor: OfficePage, clock: ClockDep, q: AgreementsQueryDep
) -> Response:
    values = ([" ".join(r.items) if c == "items" else getattr(r, c) for c in CSV_COLUMNS]
              for r in q.rows(session, actor, clock))  # fmt: skip
    return csv_response("agreements.csv", CSV_COLUMNS, values)


def add_agreement(p: Posted) -> Response | str:
    data = _agreement(p.form)
    if p.form.get("confirm") != "1":
        agreements.check_agreement(p.session, actor=p.actor, data=data, at=p.clock.now())
        return render(p.request, "office/agreement_confirm.html", {"data": data})
    agreements.add_agreement(p.session, actor=p.actor, data=data, at=p.clock.now())
    return "/office/agreements?done=added"


form_route(
    router,
    "/office/agreements",
    OfficePage,
    act=add_agreement,
    again=lambda p, problem: _page(
        p.request, p.session, p.actor, p.clock, problem=problem, form=p.form
    ),
)


def _date(value: str, field: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
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
