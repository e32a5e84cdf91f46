"""The credit office's catalogue pages (DESIGN §6; CAT-1…3, Art. 12): every item with its
lifecycle status, drafts included, and the next step of an item — open public comment, record
opinions, report to the higher authority, publish with an effective date, start a new version.

The catalogue services authorise (``catalogue:manage``) and refuse what the law refuses (a local
item without its legal basis); the pages show the refusal. Each lifecycle step is one-way, so
it asks for a reason and goes through a confirmation page (``confirm=1`` performs it).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.catalogue import service as catalogue
from xinyong.catalogue import sources
from xinyong.catalogue.models import OpinionSource, VersionStatus
from xinyong.catalogue.schemas import OpinionCreate, SourceCreate
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Page
from xinyong.web.ui import office_views as views
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
SortKey = Literal["code", "name", "tier", "status", "latest_version", "effective_on"]
Order = Literal["asc", "desc"]
CSV_COLUMNS = (
    "code",
    "name",
    "tier",
    "region_code",
    "latest_version",
    "status",
    "in_force_version",
    "effective_on",
    "has_legal_basis",
)


@router.get("/office", response_class=HTMLResponse)
def landing(request: Request, session: SessionDep, actor: RolesPage, clock: ClockDep) -> Response:
    rows = views.catalogue_rows(session, at=clock.now())
    counts = {s.value: sum(r.status == s.value for r in rows) for s in VersionStatus}
    return render(request, "office/landing.html", {"counts": counts, "total": len(rows)})


def _rows(
    session: Session, clock: Clock, status: str, tier: str, sort: str, order: str
) -> list[views.ItemRow]:
    rows = [
        r
        for r in views.catalogue_rows(session, at=clock.now())
        if (not status or r.status == status) and (not tier or r.tier == tier)
    ]
    return sorted_by(rows, lambda r: getattr(r, sort), order == "desc")


@router.get("/office/catalogue", response_class=HTMLResponse)
def catalogue_page(
    request: Request,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
    status: str = "",
    tier: str = "",
    sort: Annotated[SortKey, Query()] = "code",
    order: Annotated[Order, Query()] = "asc",
    page: Page = 1,
) -> Response:
    rows = _rows(session, clock, status, tier, sort, order)
    shown, page, pages = paged(rows, page, PER_PAGE)
    filters = {"status": status, "tier": tier}
    table = Table(request.url.path, sort, order, page, pages, len(rows), filters)
    ctx = {"rows": shown, "table": table, "filters": filters, "statuses": list(VersionStatus)}
    return render(request, "office/catalogue.html", ctx)


@router.get("/office/catalogue.csv")
def catalogue_csv(
    request: Request,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
    status: str = "",
    tier: str = "",
    sort: Annotated[SortKey, Query()] = "code",
    order: Annotated[Order, Query()] = "asc",
) -> Response:
    rows = _rows(session, clock, status, tier, sort, order)
    values = ([getattr(r, c) for c in CSV_COLUMNS] for r in rows)
    return csv_response("catalogue-lifecycle.csv", CSV_COLUMNS, values)


def _item_page(
    request: Request,
    session: Session,
    clock: Clock,
    code: str,
    *,
    problem: Problem | None = None,
    form: dict[str, str] | None = None,
    done: str = "",
    actor: Actor | None = None,
) -> Response:
    ctx = views.detail_context(session, code=code, at=clock.now())
    ctx.update({"problem": problem, "form": form or {}, "done": done, "today": clock.today()})
    ctx["opinion_sources"] = list(OpinionSource)
    # Art. 12: the organisations bound to the kinds of unit the item names (issue 11 item 2).
    ctx["sources"] = sources.list_sources(session, actor=actor, item_code=code) if actor else None
    return render(request, "office/item.html", ctx, status_code=problem.status if problem else 200)


@router.get("/office/catalogue/{code}", response_class=HTMLResponse)
def item_page(
    request: Request,
    code: str,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
    done: str = "",
) -> Response:
    return _item_page(request, session, clock, code, done=done, actor=actor)


@router.get("/office/catalogue/{code}/opinions.csv")
def opinions_csv(
    request: Request, code: str, session: SessionDep, actor: RolesPage, clock: ClockDep
) -> Response:
    detail = catalogue.item_detail(session, code=code, at=clock.now())
    header = ("version", "source_name", "source_kind", "content", "at", "recorded_by")
    rows = (
        (v.version, o.source_name, o.source_kind.value, o.content, o.at.isoformat(), o.recorded_by)
        for v in detail.versions
        for o in v.opinions
    )
    return csv_response(f"{code}-opinions.csv", header, rows)


@router.post("/office/catalogue/{code}/opinions")
def record_opinion(
    request: Request,
    code: str,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
) -> Response:
    try:
        opinion = _opinion(form)
        catalogue.record_opinion(session, actor=actor, code=code, opinion=opinion, at=clock.now())
    except XinyongError as exc:
        return _item_page(
            request, session, clock, code, problem=problem_of(exc), form=form, actor=actor
        )
    return RedirectResponse(f"/office/catalogue/{code}?done=opinion#opinions", status_code=303)


@router.post("/office/catalogue/{code}/sources")
def register_source(
    request: Request, code: str, _csrf: CsrfDep, form: FormFields, session: SessionDep,
    actor: RolesPage, clock: ClockDep,
) -> Response:  # fmt: skip
    """Bind an organisation to the item as one of its kinds of collection source (Art. 12)."""
    try:
        data = SourceCreate(
            org=form.get("org", "").strip() or "-", kind=form.get("kind") or None,
            basis=form.get("basis", "").strip(),
        )  # fmt: skip
        sources.register_source(session, actor=actor, item_code=code, data=data, at=clock.now())
    except XinyongError as exc:
        session.rollback()
        return _item_page(
            request, session, clock, code, problem=problem_of(exc), form=form, actor=actor
        )
    return RedirectResponse(f"/office/catalogue/{code}?done=source#sources", status_code=303)


@router.post("/office/catalogue/{code}/sources/{org}/end")
def end_source(
    request: Request, code: str, org: str, _csrf: CsrfDep, form: FormFields,
    session: SessionDep, actor: RolesPage, clock: ClockDep,
) -> Response:  # fmt: skip
    try:
        reason = form.get("reason", "").strip()
        if not reason:
            raise InvalidInput("请填写理由 / give a reason", code="reason_missing")
        sources.end_source(
            session, actor=actor, item_code=code, org_code=org, reason=reason, at=clock.now()
        )
    except XinyongError as exc:
        session.rollback()
        return _item_page(
            request, session, clock, code, problem=problem_of(exc), form=form, actor=actor
        )
    return RedirectResponse(f"/office/catalogue/{code}?done=source#sources", status_code=303)


def _opinion(form: dict[str, str]) -> OpinionCreate:
    kinds = {s.value for s in OpinionSource}
    name, kind = form.get("source_name", "").strip(), form.get("source_kind", "")
    content = form.get("content", "").strip()
    if not name or kind not in kinds or not content:
        raise InvalidInput(
            "请填写提出意见者的名称、类别和意见内容 / give who gave the opinion (name and kind) "
            "and what it says",
            code="opinion_incomplete",
        )
    return OpinionCreate(source_name=name, source_kind=OpinionSource(kind), content=content)


@router.post("/office/catalogue/{code}/steps/{step}")
def lifecycle_step(
    request: Request,
    code: str,
    step: str,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
) -> Response:
    try:
        return _step(request, session, actor, clock, code, step, form)
    except XinyongError as exc:
        return _item_page(
            request, session, clock, code, problem=problem_of(exc), form=form, actor=actor
        )


def _step(
    request: Request,
    session: Session,
    actor: Actor,
    clock: Clock,
    code: str,
    step: str,
    form: dict[str, str],
) -> Response:
    ctx = views.detail_context(session, code=code, at=clock.now())
    if step != ctx["step"]:
        raise InvalidInput(
            f"该目录项当前不能执行此步骤（{step}）/ this step ({step}) is not the item's next one",
            code="illegal_transition",
        )
    reason = form.get("reason", "").strip()
    if not reason:
        raise InvalidInput("请填写理由 / give a reason for this step", code="reason_missing")
    effective_on = _effective_on(form) if step == "publish" else None
    if form.get("confirm") != "1":
        ctx.update({"reason": reason, "effective_on": effective_on})
        return render(request, "office/confirm.html", ctx)
    _perform(session, actor, clock, code, step, reason, effective_on)
    return RedirectResponse(f"/office/catalogue/{code}?done={step}", status_code=303)


def _effective_on(form: dict[str, str]) -> date:
    try:
        return date.fromisoformat(form.get("effective_on", "").strip())
    except ValueError:
        raise InvalidInput(
            "请填写有效的生效日期（YYYY-MM-DD）/ give a valid effective date (YYYY-MM-DD)",
            code="effective_on_invalid",
        ) from None


def _perform(
    session: Session,
    actor: Actor,
    clock: Clock,
    code: str,
    step: str,
    reason: str,
    effective_on: date | None,
) -> None:
    at = clock.now()
    if step == "open-comment":
        catalogue.open_public_comment(session, actor=actor, code=code, at=at, reason=reason)
    elif step == "report":
        catalogue.report_to_higher_authority(session, actor=actor, code=code, at=at, reason=reason)
    elif step == "publish":
        assert effective_on is not None
        catalogue.publish_item(
            session, actor=actor, code=code, effective_on=effective_on, at=at, reason=reason
        )
    else:
        catalogue.new_version_of(session, actor=actor, code=code, at=at, reason=reason)
