"""The credit office's catalogue pages (DESIGN §6; CAT-1…3, Art. 12): every item with its
lifecycle status, drafts included, and the next step of an item — open public comment, record
opinions, report to the higher authority, publish with an effective date, start a new version.

The catalogue services authorise (``catalogue:manage``) and refuse what the law refuses (a local
item without its legal basis); the pages show the refusal. Each lifecycle step is one-way, so
it asks for a reason and goes through a confirmation page (``confirm=1`` performs it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from xinyong.catalogue import service as catalogue
from xinyong.catalogue import sources
from xinyong.catalogue.models import OpinionSource, VersionStatus
from xinyong.catalogue.schemas import OpinionCreate, SourceCreate
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Order, Page
from xinyong.web.ui import office_views as views
from xinyong.web.ui.components import FormPage, PageGate, Posted, render_form
from xinyong.web.ui.support import Problem, Table, csv_response, paged, sorted_by

router = APIRouter(include_in_schema=False)

ROLES = frozenset({Role.CREDIT_OFFICE})
RolesPage = Annotated[Actor, Depends(PageGate(ROLES))]
PER_PAGE = 50
SortKey = Literal["code", "name", "tier", "status", "latest_version", "effective_on"]
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


@dataclass(frozen=True, slots=True)
class ItemsQuery:
    """The lifecycle table's filters, sort and order: one parse for the page and its CSV."""

    status: str
    tier: str
    sort: SortKey
    order: Order

    @property
    def filters(self) -> dict[str, str]:
        return {"status": self.status, "tier": self.tier}

    def rows(self, session: Session, clock: Clock) -> list[views.ItemRow]:
        rows = [
            r
            for r in views.catalogue_rows(session, at=clock.now())
            if (not self.status or r.status == self.status)
            and (not self.tier or r.tier == self.tier)
        ]
        return sorted_by(rows, lambda r: getattr(r, self.sort), self.order == "desc")


def _items_query(
    status: str = "",
    tier: str = "",
    sort: Annotated[SortKey, Query()] = "code",
    order: Annotated[Order, Query()] = "asc",
) -> ItemsQuery:
    return ItemsQuery(status, tier, sort, order)


ItemsQueryDep = Annotated[ItemsQuery, Depends(_items_query)]


@router.get("/office/catalogue", response_class=HTMLResponse)
def catalogue_page(
    request: Request,
    session: SessionDep,
    actor: RolesPage,
    clock: ClockDep,
    q: ItemsQueryDep,
    page: Page = 1,
) -> Response:
    rows = q.rows(session, clock)
    shown, page, pages = paged(rows, page, PER_PAGE)
    table = Table(request.url.path, q.sort, q.order, page, pages, len(rows), q.filters)
    ctx = {"rows": shown, "table": table, "filters": q.filters, "statuses": list(VersionStatus)}
    return render(request, "office/catalogue.html", ctx)


@router.get("/office/catalogue.csv")
def catalogue_csv(
    session: SessionDep, actor: RolesPage, clock: ClockDep, q: ItemsQueryDep
) -> Response:
    values = ([getattr(r, c) for c in CSV_COLUMNS] for r in q.rows(session, clock))
    return csv_response("catalogue-lifecycle.csv", CSV_COLUMNS, values)


def _item_page(p: Posted, problem: Problem | None = None, **shown: Any) -> Response:
    """An item's lifecycle page; ``shown``: ``done``, or the refused ``form`` refilled."""
    ctx = views.detail_context(p.session, code=p.key, at=p.clock.now())
    ctx |= {"form": {}, "done": "", "today": p.clock.today(), **shown}
    ctx["opinion_sources"] = list(OpinionSource)
    # Art. 12: the organisations bound to the kinds of unit the item names (issue 11 item 2).
    ctx["sources"] = sources.list_sources(p.session, actor=p.actor, item_code=p.key)
    return render_form(p.request, "office/item.html", ctx, problem)


def _code(code: str) -> str:
    return code


#: An item's page and its forms, ``POST /office/catalogue/{code}/<path>``.
ITEM = FormPage(router, "/office/catalogue/{code}", RolesPage, _code, show=_item_page)
ITEM.page("item_page")


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


def _done(posted: Posted, what: str) -> str:
    return f"/office/catalogue/{posted.key}?done={what}"


def record_opinion(p: Posted) -> str:
    opinion = _opinion(p.form)
    catalogue.record_opinion(
        p.session, actor=p.actor, code=p.key, opinion=opinion, at=p.clock.now()
    )
    return _done(p, "opinion#opinions")


def register_source(p: Posted) -> str:
    """Bind an organisation to the item as one of its kinds of collection source (Art. 12)."""
    data = SourceCreate(
        org=p.text("org") or "-", kind=p.form.get("kind") or None, basis=p.text("basis")
    )
    sources.register_source(p.session, actor=p.actor, item_code=p.key, data=data, at=p.clock.now())
    return _done(p, "source#sources")


def end_source(p: Posted) -> str:
    reason = p.text("reason")
    if not reason:
        raise InvalidInput("请填写理由 / give a reason", code="reason_missing")
    org = p.request.path_params["org"]
    sources.end_source(
        p.session, actor=p.actor, item_code=p.key, org_code=org, reason=reason, at=p.clock.now()
    )
    return _done(p, "source#sources")


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


def lifecycle_step(p: Posted) -> Response | str:
    step = p.request.path_params["step"]
    ctx = views.detail_context(p.session, code=p.key, at=p.clock.now())
    if step != ctx["step"]:
        raise InvalidInput(
            f"该目录项当前不能执行此步骤（{step}）/ this step ({step}) is not the item's next one",
            code="illegal_transition",
        )
    reason = p.text("reason")
    if not reason:
        raise InvalidInput("请填写理由 / give a reason for this step", code="reason_missing")
    effective_on = _effective_on(p.form) if step == "publish" else None
    if p.form.get("confirm") != "1":
        ctx.update({"reason": reason, "effective_on": effective_on})
        return render(p.request, "office/confirm.html", ctx)
    _perform(p.session, p.actor, p.clock, p.key, step, reason, effective_on)
    return _done(p, step)


ITEM.form("opinions", record_opinion)
ITEM.form("sources", register_source)
ITEM.form("sources/{org}/end", end_source)
ITEM.form("steps/{step}", lifecycle_step)


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
