"""The provider's pages (DESIGN §6): dashboard, file delivery with its rejected rows, own records,
and a record's versions with amendment and withdrawal (Art. 33, 34; COL-1, COL-5).

Authorisation is the services' (a provider reaches only its own organisation's records; another
unit's record answers 404). Amendment and withdrawal are irreversible, so each goes through a
confirmation page: the first POST shows what will change, the second (``confirm=1``) does it.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.records import listing
from xinyong.records import service as records
from xinyong.records.importing.bulk import import_file
from xinyong.records.listing import RecordFilter
from xinyong.records.models import RecordStatus
from xinyong.records.schemas import AmendmentCreate, WithdrawalCreate
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id, Page
from xinyong.web.ui import provider_views as views
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

ROLES = frozenset({Role.PROVIDER, Role.INSTITUTION})
RolesPage = Annotated[Actor, Depends(PageGate(ROLES))]
PER_PAGE = 50
Order = Literal["asc", "desc"]
RECORD_CSV = tuple(f.name for f in fields(listing.RecordRow))


@router.get("/provider", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, actor: RolesPage) -> Response:
    ctx = {
        "counts": listing.count_by_status(session, actor=actor),
        "batches": listing.recent_batches(session, actor=actor),
    }
    return render(request, "provider/dashboard.html", ctx)


# --- file delivery --------------------------------------------------------------------------


def _deliver_page(
    request: Request,
    session: Session,
    actor: Actor,
    clock: Clock,
    item: str,
    problem: Problem | None = None,
) -> Response:
    items = views.deliverable_items(session, actor=actor, at=clock.now())
    ctx = {"items": items, "chosen": item, "problem": problem}
    return render(
        request, "provider/deliver.html", ctx, status_code=problem.status if problem else 200
    )


@router.get("/provider/deliver", response_class=HTMLResponse)
def deliver_form(
    request: Request, session: SessionDep, actor: RolesPage, clock: ClockDep, item: str = ""
) -> Response:
    return _deliver_page(request, session, actor, clock, item)


@router.post("/provider/deliver")
def deliver_file(
    request: Request,
    _csrf: CsrfDep,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
    item: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    try:
        batch = _import(session, actor, clock, item, file)
    except XinyongError as exc:
        return _deliver_page(request, session, actor, clock, item, problem_of(exc))
    return RedirectResponse(f"/provider/batches/{batch}", status_code=303)


def _import(
    session: Session, actor: Actor, clock: Clock, item: str, upload: UploadFile | None
) -> int:
    if not item.strip():
        raise InvalidInput("请选择信息项 / choose a catalogue item", code="item_missing")
    if upload is None or not upload.filename:
        raise InvalidInput("请选择要上传的文件 / choose a file to upload", code="file_missing")
    result = import_file(
        session,
        actor=actor,
        item_code=item.strip(),
        stream=upload.file,
        filename=upload.filename,
        at=clock.now(),
    )
    return result.batch_id


REJECTION_SORT = {
    "line": lambda r: r.line,
    "field": lambda r: r.field,
    "reason": lambda r: r.reason,
}


@router.get("/provider/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(
    request: Request,
    batch_id: Id,
    session: SessionDep,
    actor: RolesPage,
    sort: Annotated[Literal["line", "field", "reason"], Query()] = "line",
    order: Annotated[Order, Query()] = "asc",
    page: Page = 1,
) -> Response:
    detail = listing.get_batch(session, actor=actor, batch_id=batch_id)
    rows = sorted_by(detail.result.rejected, REJECTION_SORT[sort], order == "desc")
    shown, page, pages = paged(rows, page, PER_PAGE)
    table = Table(request.url.path, sort, order, page, pages, len(rows), {})
    ctx = {"batch": detail.summary, "result": detail.result, "rejected": shown, "table": table}
    return render(request, "provider/batch.html", ctx)


@router.get("/provider/batches/{batch_id}/rejected.csv")
def rejected_csv(request: Request, batch_id: Id, session: SessionDep, actor: RolesPage) -> Response:
    detail = listing.get_batch(session, actor=actor, batch_id=batch_id)
    rows = ((r.line, r.field, r.reason) for r in detail.result.rejected)
    return csv_response(f"batch-{batch_id}-rejected.csv", ("line", "field", "reason"), rows)


# --- own records ----------------------------------------------------------------------------


def _filter(item: str, status: str, subject: str) -> RecordFilter:
    known = {s.value for s in RecordStatus}
    return RecordFilter(
        item=item or None,
        status=RecordStatus(status) if status in known else None,
        subject_code=subject or None,
    )


SortKey = listing.SortKey


@router.get("/provider/records", response_class=HTMLResponse)
def records_page(
    request: Request,
    session: SessionDep,
    actor: RolesPage,
    item: str = "",
    status: str = "",
    subject: str = "",
    sort: Annotated[SortKey, Query()] = "received_at",
    order: Annotated[Order, Query()] = "desc",
    page: Page = 1,
) -> Response:
    result = listing.list_records(
        session,
        actor=actor,
        flt=_filter(item, status, subject),
        sort=sort,
        descending=order == "desc",
        page=page,
        per_page=PER_PAGE,
    )
    filters = {"item": item, "status": status, "subject": subject}
    table = Table(request.url.path, sort, order, result.page, result.pages, result.total, filters)
    ctx = {"result": result, "table": table, "filters": filters, "statuses": list(RecordStatus)}
    return render(request, "provider/records.html", ctx)


@router.get("/provider/records.csv")
def records_csv(
    request: Request,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
    item: str = "",
    status: str = "",
    subject: str = "",
    sort: Annotated[SortKey, Query()] = "received_at",
    order: Annotated[Order, Query()] = "desc",
) -> Response:
    rows = listing.export_records(
        session,
        actor=actor,
        flt=_filter(item, status, subject),
        sort=sort,
        descending=order == "desc",
        at=clock.now(),
    )
    values = ([getattr(r, c) for c in RECORD_CSV] for r in rows)
    return csv_response("records.csv", RECORD_CSV, values)


# --- one record: versions, amendment, withdrawal ----------------------------------------------


def _record_page(
    request: Request,
    session: Session,
    actor: Actor,
    clock: Clock,
    record_id: Id,
    *,
    problem: Problem | None = None,
    form: dict[str, str] | None = None,
    failed: str = "",
    done: str = "",
) -> Response:
    ctx = views.record_context(session, actor=actor, record_id=record_id, at=clock.now())
    ctx.update(
        {
            "problem": problem,
            "form": form or {},
            "failed": failed,
            "done": done,
            "prefix": views.FIELD_PREFIX,
        }
    )
    status = problem.status if problem else 200
    return render(request, "provider/record.html", ctx, status_code=status)


@router.get("/provider/records/{record_id}", response_class=HTMLResponse)
def record_page(
    request: Request,
    record_id: Id,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
    done: str = "",
) -> Response:
    return _record_page(request, session, actor, clock, record_id, done=done)


@router.post("/provider/records/{record_id}/amend")
def amend(
    request: Request,
    record_id: Id,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
) -> Response:
    try:
        return _amend(request, session, actor, clock, record_id, form)
    except XinyongError as exc:
        return _record_page(
            request,
            session,
            actor,
            clock,
            record_id,
            problem=problem_of(exc),
            form=form,
            failed="amend",
        )


def _amend(
    request: Request,
    session: Session,
    actor: Actor,
    clock: Clock,
    record_id: Id,
    form: dict[str, str],
) -> Response:
    record = records.get_record(session, actor=actor, record_id=record_id)
    changes = views.submitted_changes(form, record.fields)
    reason, basis = form.get("reason", "").strip(), form.get("basis", "").strip()
    if not reason:
        raise InvalidInput(
            "请填写更正原因 / give the reason for the amendment", code="reason_missing"
        )
    if not changes:
        # The service's own refusal (409), raised before the confirmation step so that nothing
        # is confirmed for nothing; the page does not re-judge it as a 422.
        raise records.RecordConflict(
            "更正内容与当前版本相同 / the amendment changes nothing", code="no_change"
        )
    if form.get("confirm") != "1":
        specs = views.item_fields(session, record, at=clock.now())
        after = {**record.fields, **changes}
        ctx = {
            "record": record,
            "kind": "amend",
            "reason": reason,
            "basis": basis,
            "changes": views.changes_between(specs, record.fields, after),
            "hidden": {f"{views.FIELD_PREFIX}{k}": v or "" for k, v in changes.items()},
        }
        return render(request, "provider/confirm.html", ctx)
    data = AmendmentCreate(fields=changes, reason=reason, basis=basis or None)
    records.amend_record(session, actor=actor, record_id=record_id, data=data, at=clock.now())
    return RedirectResponse(f"/provider/records/{record_id}?done=amended", status_code=303)


@router.post("/provider/records/{record_id}/withdraw")
def withdraw(
    request: Request,
    record_id: Id,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
) -> Response:
    try:
        return _withdraw(request, session, actor, clock, record_id, form)
    except XinyongError as exc:
        return _record_page(
            request,
            session,
            actor,
            clock,
            record_id,
            problem=problem_of(exc),
            form=form,
            failed="withdraw",
        )


def _withdraw(
    request: Request,
    session: Session,
    actor: Actor,
    clock: Clock,
    record_id: Id,
    form: dict[str, str],
) -> Response:
    record = records.get_record(session, actor=actor, record_id=record_id)
    reason, basis = form.get("reason", "").strip(), form.get("basis", "").strip()
    if not reason or not basis:
        raise InvalidInput(
            "撤回须填写原因和依据 / a withdrawal needs its reason and its basis",
            code="reason_missing",
        )
    if form.get("confirm") != "1":
        ctx = {
            "record": record,
            "kind": "withdraw",
            "reason": reason,
            "basis": basis,
            "changes": [],
            "hidden": {},
        }
        return render(request, "provider/confirm.html", ctx)
    data = WithdrawalCreate(reason=reason, basis=basis)
    records.withdraw_record(session, actor=actor, record_id=record_id, data=data, at=clock.now())
    return RedirectResponse(f"/provider/records/{record_id}?done=withdrawn", status_code=303)
