"""The provider's pages (DESIGN §6): dashboard, file delivery with its rejected rows, own records,
and a record's versions with amendment and withdrawal (Art. 33, 34; COL-1, COL-5).

Authorisation is the services' (a provider reaches only its own organisation's records; another
unit's record answers 404). Amendment and withdrawal are irreversible, so each goes through a
confirmation page: the first POST shows what will change, the second (``confirm=1``) does it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Annotated, Any, Literal

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
from xinyong.records.schemas import AmendmentCreate, RecordRead, WithdrawalCreate
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id, Order, Page
from xinyong.web.ui import provider_views as views
from xinyong.web.ui.components import FormPage, PageGate, Posted, Problem, problem_of, render_form
from xinyong.web.ui.support import Table, csv_response, paged, sorted_by

router = APIRouter(include_in_schema=False)

ROLES = frozenset({Role.PROVIDER, Role.INSTITUTION})
RolesPage = Annotated[Actor, Depends(PageGate(ROLES))]
PER_PAGE = 50
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
    return render_form(request, "provider/deliver.html", {"items": items, "chosen": item}, problem)


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


SortKey = listing.SortKey


@dataclass(frozen=True, slots=True)
class RecordsQuery:
    """The own-records table's filters, sort and order: one parse for the page and its CSV."""

    filters: dict[str, str]
    sort: SortKey
    order: Order

    @property
    def flt(self) -> RecordFilter:
        known = {s.value for s in RecordStatus}
        status = self.filters["status"]
        return RecordFilter(
            item=self.filters["item"] or None,
            status=RecordStatus(status) if status in known else None,
            subject_code=self.filters["subject"] or None,
        )


def _records_query(
    item: str = "",
    status: str = "",
    subject: str = "",
    sort: Annotated[SortKey, Query()] = "received_at",
    order: Annotated[Order, Query()] = "desc",
) -> RecordsQuery:
    return RecordsQuery({"item": item, "status": status, "subject": subject}, sort, order)


RecordsQueryDep = Annotated[RecordsQuery, Depends(_records_query)]


@router.get("/provider/records", response_class=HTMLResponse)
def records_page(
    request: Request, session: SessionDep, actor: RolesPage, q: RecordsQueryDep, page: Page = 1
) -> Response:
    result = listing.list_records(
        session,
        actor=actor,
        flt=q.flt,
        sort=q.sort,
        descending=q.order == "desc",
        page=page,
        per_page=PER_PAGE,
    )
    table = Table(
        request.url.path, q.sort, q.order, result.page, result.pages, result.total, q.filters
    )
    ctx = {"result": result, "table": table, "filters": q.filters, "statuses": list(RecordStatus)}
    return render(request, "provider/records.html", ctx)


@router.get("/provider/records.csv")
def records_csv(
    session: SessionDep, actor: RolesPage, clock: ClockDep, q: RecordsQueryDep
) -> Response:
    descending = q.order == "desc"
    found = listing.export_records(
        session, actor=actor, flt=q.flt, sort=q.sort, descending=descending, at=clock.now()
    )
    values = ([getattr(r, c) for c in RECORD_CSV] for r in found)
    return csv_response("records.csv", RECORD_CSV, values)


# --- one record: versions, amendment, withdrawal ----------------------------------------------


def _record_page(p: Posted, problem: Problem | None = None, **shown: Any) -> Response:
    """A record's page; ``shown``: ``done`` (what was done), or the ``form`` that ``failed``
    (``amend``, ``withdraw``) refilled beside the ``problem``."""
    ctx = views.record_context(p.session, actor=p.actor, record_id=p.key, at=p.clock.now())
    ctx |= {"form": {}, "failed": "", "done": "", "prefix": views.FIELD_PREFIX, **shown}
    return render_form(p.request, "provider/record.html", ctx, problem)


def _record_id(record_id: Id) -> int:
    return record_id


#: A record's page and its steps, ``POST /provider/records/{record_id}/<step>``.
RECORD = FormPage(router, "/provider/records/{record_id}", RolesPage, _record_id, show=_record_page)
RECORD.page("record_page")


#: A step of a record (amend, withdraw), given the record, the form and the instant: what its
#: confirmation page shows (a mapping), or, confirmed and done, the word the record's page says.
RecordStep = Callable[
    [Session, Actor, RecordRead, dict[str, str], datetime], "dict[str, Any] | str"
]


def _record_step(kind: str, step: RecordStep) -> None:
    """``POST /provider/records/{record_id}/<kind>``: the ``step``; refused, the record's page
    with the problem beside the step's form, as it was filled in."""

    def act(p: Posted) -> Response | str:
        record = records.get_record(p.session, actor=p.actor, record_id=p.key)
        done = step(p.session, p.actor, record, p.form, p.clock.now())
        if isinstance(done, str):
            return f"/provider/records/{p.key}?done={done}"
        reason, basis = _reason_basis(p.form)
        ctx = {"record": record, "kind": kind, "reason": reason, "basis": basis}
        return render(p.request, "provider/confirm.html", ctx | done)

    RECORD.form(kind, act, name=kind, failed=kind)


def _reason_basis(form: dict[str, str]) -> tuple[str, str]:
    return form.get("reason", "").strip(), form.get("basis", "").strip()


def _amend(
    session: Session, actor: Actor, record: RecordRead, form: dict[str, str], at: datetime
) -> dict[str, Any] | str:
    changes = views.submitted_changes(form, record.fields)
    reason, basis = _reason_basis(form)
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
        specs = views.item_fields(session, record, at=at)
        after = {**record.fields, **changes}
        return {
            "changes": views.changes_between(specs, record.fields, after),
            "hidden": {f"{views.FIELD_PREFIX}{k}": v or "" for k, v in changes.items()},
        }
    data = AmendmentCreate(fields=changes, reason=reason, basis=basis or None)
    records.amend_record(session, actor=actor, record_id=record.id, data=data, at=at)
    return "amended"


def _withdraw(
    session: Session, actor: Actor, record: RecordRead, form: dict[str, str], at: datetime
) -> dict[str, Any] | str:
    reason, basis = _reason_basis(form)
    if not reason or not basis:
        raise InvalidInput(
            "撤回须填写原因和依据 / a withdrawal needs its reason and its basis",
            code="reason_missing",
        )
    if form.get("confirm") != "1":
        return {"changes": [], "hidden": {}}
    data = WithdrawalCreate(reason=reason, basis=basis)
    records.withdraw_record(session, actor=actor, record_id=record.id, data=data, at=at)
    return "withdrawn"


_record_step("amend", _amend)
_record_step("withdraw", _withdraw)
