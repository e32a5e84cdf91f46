"""The provider's single-record form and file templates (DESIGN §6, issue 14 item 2).

``/provider/records/new?item=CODE``: a form generated from the item's fields (a date picker for
a date, a list for an enumeration, the required ones marked), delivered as ``POST /records``
would be. ``/provider/templates/{item}.csv`` and ``.xlsx``: an empty file whose header row is the
item's column names in Chinese (the importer reads them as it reads the field codes).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.catalogue import service as catalogue
from xinyong.catalogue.schemas import ItemRead
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotFound, XinyongError
from xinyong.core.tabular import xlsx_bytes
from xinyong.records import service as records
from xinyong.records.schemas import RecordCreate
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.ui import provider_views as views
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import PostedForm, Problem, csv_response, problem_of, render_form

router = APIRouter(include_in_schema=False)

ROLES = frozenset({Role.PROVIDER, Role.INSTITUTION})
EntryPage = Annotated[Actor, Depends(PageGate(ROLES))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _item(session: Session, code: str, clock: Clock) -> ItemRead:
    detail = catalogue.item_detail(session, code=code, at=clock.now())
    if detail.current is None:
        raise NotFound(
            f"信息项 {code} 未发布 / item {code} is not published", code="item_not_found"
        )
    return detail.current


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    clock: Clock,
    code: str,
    *,
    form: dict[str, str] | None = None,
    problem: Problem | None = None,
) -> Response:
    choices = views.deliverable_items(session, actor=actor, at=clock.now())
    item = _item(session, code, clock) if code in {c.code for c in choices} else None
    ctx = {"choices": choices, "item": item, "chosen": code, "form": form or {}}
    return render_form(request, "provider_entry/new.html", ctx, problem)


@router.get("/provider/records/new", response_class=HTMLResponse)
def new_record(
    request: Request, session: SessionDep, actor: EntryPage, clock: ClockDep, item: str = ""
) -> Response:
    return _page(request, session, actor, clock, item.strip()[:64])


def _record(item: ItemRead, form: dict[str, str]) -> RecordCreate:
    fields: dict[str, Any] = {}
    for f in item.fields:
        value = form.get(f"field_{f.code}", "").strip()
        if value:
            fields[f.code] = value
    decided = form.get("decided_on", "").strip()
    try:
        return RecordCreate.model_validate(
            {
                "item": item.code,
                "source_id": form.get("source_id", "").strip() or None,
                "fields": fields,
                "decided_on": date.fromisoformat(decided) if decided else None,
                "document_no": form.get("document_no", "").strip() or None,
                "severity": form.get("severity", "").strip() or None,
            }
        )
    except (ValidationError, ValueError) as exc:
        raise InvalidInput(
            "请检查填写的内容 / please check the values entered",
            code="record_invalid",
            details=[{"reason": str(exc).splitlines()[0]}],
        ) from None


@router.post("/provider/records/new")
def deliver_one(
    request: Request, form: PostedForm, session: SessionDep, actor: EntryPage, clock: ClockDep
) -> Response:
    code = form.get("item", "").strip()[:64]
    try:
        record, _created = records.deliver_record(
            session, actor=actor, data=_record(_item(session, code, clock), form), at=clock.now()
        )
    except XinyongError as exc:
        session.rollback()
        return _page(request, session, actor, clock, code, form=form, problem=problem_of(exc))
    return RedirectResponse(f"/provider/records/{record.id}", status_code=303)


def _header(item: ItemRead) -> list[str]:
    return [f.name_zh for f in item.fields]


@router.get("/provider/templates/{code}.csv")
def csv_template(code: str, session: SessionDep, actor: EntryPage, clock: ClockDep) -> Response:
    item = _item(session, code[:64], clock)
    return csv_response(f"{item.code}-template.csv", _header(item), [])


@router.get("/provider/templates/{code}.xlsx")
def xlsx_template(code: str, session: SessionDep, actor: EntryPage, clock: ClockDep) -> Response:
    item = _item(session, code[:64], clock)
    body = xlsx_bytes(item.code, [_header(item)])
    disposition = f'attachment; filename="{item.code}-template.xlsx"'
    return Response(body, media_type=XLSX, headers={"Content-Disposition": disposition})
