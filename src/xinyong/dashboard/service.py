"""The credit office's dashboard (DESIGN §6; PLT-3): deliveries over time, overdue providers,
objections due and overdue, inquiries by purpose, list entries — for a range of dates.

Read-only. Each figure is one grouped query (``repository``) or, for overdue providers, the
supervision context's own computation (COL-3), so that the dashboard and the supervision
page can never disagree. Overdue objections and the states of list entries are judged by the
SQL forms of the objections' and lists' rules, on the platform's today.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.calendar import service as calendar
from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import CalendarNotCovered, InvalidInput, NotFound
from xinyong.core.permissions import require
from xinyong.core.tabular import csv_writer
from xinyong.dashboard import repository as repo
from xinyong.dashboard import rules
from xinyong.dashboard.schemas import (
    DashboardRead,
    DeliveriesPanel,
    DeliveryByProvider,
    DeliveryMonth,
    InquiriesPanel,
    ListEntriesPanel,
    ListEntryCount,
    MonthRead,
    ObjectionMonth,
    ObjectionsPanel,
    OverdueHandler,
    OverdueProvider,
    OverdueProvidersPanel,
    PurposeCount,
)
from xinyong.supervision import repository as supervision_repo
from xinyong.supervision import service as supervision

#: The credit office's own unit, when it handles an objection (self-declared records).
OFFICE_NAME = "信用主管部门 / credit office"


@dataclass(frozen=True, slots=True)
class Scope:
    """What the figures are filtered to: ``orgs`` the organisations counted (``None``: all)."""

    provider: str | None = None
    provider_name: str | None = None
    region: str | None = None
    orgs: frozenset[int] | None = None


def scope_of(session: Session, *, provider: str | None, region: str | None) -> Scope:
    """The filters a request asks for: a provider organisation's code and a region (GB/T 2260);
    empty means everything. Refuses an unknown provider and a malformed region (422)."""
    where = rules.parse_region(region)
    code = (provider or "").strip() or None
    orgs: set[int] | None = None
    name = None
    if code is not None:
        found = repo.provider_by_code(session, code)
        if found is None:
            raise InvalidInput(
                f"没有代码为 {code} 的信息提供单位 / no provider organisation {code}",
                code="unknown_provider",
                details=[{"field": "provider", "reason": "a provider organisation's code"}],
            )
        orgs, name = {found[0]}, found[1]
    if where is not None:
        inside = rules.orgs_in_region(repo.org_regions(session), where)
        orgs = inside if orgs is None else orgs & inside
    return Scope(code, name, where, None if orgs is None else frozenset(orgs))


def _deliveries(
    session: Session, buckets: list[rules.Month], since: datetime, until: datetime,
    orgs: repo.Orgs = None,
) -> DeliveriesPanel:  # fmt: skip
    rows = repo.deliveries(
        session, since=since, until=until, ends=rules.instant_ends(buckets), orgs=orgs
    )
    totals = [0] * len(buckets)
    for b, _org, n in rows:
        totals[b] += n
    orgs = supervision_repo.organisations(session, sorted({org for _, org, _ in rows}))
    by_provider = [
        DeliveryByProvider(
            month=buckets[b].label,
            org_code=orgs.get(org, (str(org), ""))[0],
            org_name=orgs.get(org, ("", str(org)))[1],
            records=n,
        )
        for b, org, n in rows
    ]
    by_provider.sort(key=lambda r: (r.month, r.org_code))
    return DeliveriesPanel(
        total=sum(totals),
        months=[
            DeliveryMonth(month=m.label, records=t) for m, t in zip(buckets, totals, strict=True)
        ],
        by_provider=by_provider,
    )


def _overdue_providers(
    session: Session, actor: Actor, at: datetime, orgs: repo.Orgs = None
) -> OverdueProvidersPanel:
    """Supervision's rows, most overdue first, until the first one on time (filtered: every
    row read, those of the organisations kept)."""
    found: list[OverdueProvider] = []
    page, supervised = 1, 0
    while True:
        result = supervision.list_providers(
            session, actor=actor, at=at, sort="days_overdue", order="desc",
            page=page, per_page=supervision.MAX_PER_PAGE,
        )  # fmt: skip
        if orgs is None:
            supervised = result.total
            rows = result.items
        else:
            rows = [r for r in result.items if r.org_id in orgs]
            supervised += len(rows)
        late = [r for r in rows if r.overdue]
        found.extend(
            OverdueProvider(
                org_code=r.org_code, org_name=r.org_name, item_code=r.item_code,
                item_name=r.item_name, last_delivery_at=r.last_delivery_at,
                max_gap_days=r.max_gap_days, days_overdue=r.days_overdue,
            )
            for r in late
        )  # fmt: skip
        if page * result.per_page >= result.total:
            break
        if orgs is None and len(late) < len(rows):
            break
        page += 1
    return OverdueProvidersPanel(
        as_of=local_date(at),
        supervised=supervised,
        overdue_providers=len({r.org_code for r in found}),
        items=found,
    )


def _objections(
    session: Session, buckets: list[rules.Month], at: datetime, orgs: repo.Orgs = None
) -> ObjectionsPanel:
    today = local_date(at)
    rows = repo.objections_by_month(
        session,
        first=buckets[0].first,
        last=buckets[-1].last,
        ends=rules.date_ends(buckets),
        today=today,
        orgs=orgs,
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for b, k, n in rows:
        counts[b][k] += n
    months = []
    for i, m in enumerate(buckets):
        late, on_time, overdue, pending = counts[i]
        months.append(
            ObjectionMonth(
                month=m.label,
                due=late + on_time + overdue + pending,
                decided_on_time=on_time,
                decided_late=late,
                open_pending=pending,
                open_overdue=overdue,
            )
        )
    try:
        soon_until = calendar.deadline(
            session, start=today, working_days=rules.DUE_SOON_WORKING_DAYS
        )
    except CalendarNotCovered:
        soon_until = None
    open_, overdue, soon = repo.objections_now(
        session, today=today, soon_until=soon_until, orgs=orgs
    )
    handlers = repo.overdue_by_handler(session, today=today, orgs=orgs)
    orgs = supervision_repo.organisations(session, sorted(o for o, _ in handlers if o is not None))
    by_handler = [
        OverdueHandler(
            org_code=None if org is None else orgs.get(org, (str(org), ""))[0],
            org_name=OFFICE_NAME if org is None else orgs.get(org, ("", str(org)))[1],
            overdue=n,
        )
        for org, n in handlers
    ]
    by_handler.sort(key=lambda h: (-h.overdue, h.org_code or ""))
    return ObjectionsPanel(
        as_of=today,
        open=open_,
        overdue=overdue,
        due_soon=soon if soon_until is not None else None,
        due_soon_until=soon_until,
        months=months,
        overdue_by_handler=by_handler,
    )


def _inquiries(
    session: Session, since: datetime, until: datetime, orgs: repo.Orgs = None
) -> InquiriesPanel:
    per: dict[str, dict[str, int]] = defaultdict(lambda: {"answered": 0, "refused": 0})
    found = repo.inquiries_by_purpose(session, since=since, until=until, orgs=orgs)
    for purpose, outcome, n in found:
        per[purpose][outcome] = per[purpose].get(outcome, 0) + n
    purposes = [
        PurposeCount(
            purpose=p, answered=c["answered"], refused=c["refused"],
            total=c["answered"] + c["refused"],
        )
        for p, c in per.items()
    ]  # fmt: skip
    purposes.sort(key=lambda r: (-r.total, r.purpose))
    return InquiriesPanel(
        total=sum(p.total for p in purposes),
        answered=sum(p.answered for p in purposes),
        refused=sum(p.refused for p in purposes),
        purposes=purposes,
    )


def _list_entries(
    session: Session, buckets: list[rules.Month], since: datetime, until: datetime, at: datetime,
    orgs: repo.Orgs = None,
) -> ListEntriesPanel:  # fmt: skip
    today = local_date(at)
    sd = {s: (n, r) for s, n, r in repo.serious_dishonesty_states(
        session, today=today, since=since, until=until, orgs=orgs
    )}  # fmt: skip
    red = {s: (n, r) for s, n, r in repo.red_list_states(
        session, today=today, first=buckets[0].first, last=buckets[-1].last, orgs=orgs
    )}  # fmt: skip
    items = [
        ListEntryCount(list_kind=kind, state=s, entries=found.get(s, (0, 0))[0],
                       in_range=found.get(s, (0, 0))[1])
        for kind, states, found in (
            ("serious_dishonesty", repo.SD_STATES, sd),
            ("red_list", repo.RED_STATES, red),
        )
        for s in states
    ]  # fmt: skip
    return ListEntriesPanel(as_of=today, items=items)


def dashboard(
    session: Session, *, actor: Actor, at: datetime, start: str | None = None,
    end: str | None = None, provider: str | None = None, region: str | None = None,
) -> DashboardRead:  # fmt: skip
    """Every panel for the range ``start``…``end`` (platform-local dates, both included;
    default: the last 12 months up to today), optionally for one provider organisation
    and/or the organisations of one region: records they delivered, objections they handle,
    inquiries they made, list entries they proposed or adopted. Credit office only
    (``dashboard:read``)."""
    require(actor, "dashboard:read")
    first, last = rules.parse_range(start, end, today=local_date(at))
    scope = scope_of(session, provider=provider, region=region)
    buckets = rules.months(first, last)
    since, until = rules.day_start(first), rules.instant_ends(buckets)[-1]
    orgs = scope.orgs
    return DashboardRead(
        from_=first,
        to=last,
        provider=scope.provider,
        provider_name=scope.provider_name,
        region=scope.region,
        as_of=at,
        months=[MonthRead(month=m.label, first=m.first, last=m.last) for m in buckets],
        deliveries=_deliveries(session, buckets, since, until, orgs),
        overdue_providers=_overdue_providers(session, actor, at, orgs),
        objections=_objections(session, buckets, at, orgs),
        inquiries=_inquiries(session, since, until, orgs),
        list_entries=_list_entries(session, buckets, since, until, at, orgs),
    )


def providers(session: Session, *, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the provider organisations the filter offers (``dashboard:read``)."""
    require(actor, "dashboard:read")
    return repo.providers(session)


#: Columns of each panel's CSV export, in order.
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "deliveries": ("month", "records"),
    "deliveries_by_provider": ("month", "org_code", "org_name", "records"),
    "overdue_providers": (
        "org_code", "org_name", "item_code", "item_name", "last_delivery_at", "max_gap_days",
        "days_overdue",
    ),
    "objections": (
        "month", "due", "decided_on_time", "decided_late", "open_pending", "open_overdue",
    ),
    "inquiries": ("purpose", "answered", "refused", "total"),
    "list_entries": ("list_kind", "state", "entries", "in_range"),
}  # fmt: skip


def panel_rows(read: DashboardRead, panel: str) -> Sequence[Any]:
    """The rows of one panel's table (pydantic models), by panel name."""
    rows: dict[str, Sequence[Any]] = {
        "deliveries": read.deliveries.months,
        "deliveries_by_provider": read.deliveries.by_provider,
        "overdue_providers": read.overdue_providers.items,
        "objections": read.objections.months,
        "inquiries": read.inquiries.purposes,
        "list_entries": read.list_entries.items,
    }
    return rows[panel]


def check_panel(panel: str) -> str:
    if panel not in rules.PANELS:
        raise NotFound(
            f"没有名为 {panel} 的面板 / no dashboard panel {panel}",
            code="panel_not_found",
            details=[{"field": "panel", "reason": f"one of {list(rules.PANELS)}"}],
        )
    return panel


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def panel_csv(
    session: Session, *, actor: Actor, at: datetime, panel: str, start: str | None = None,
    end: str | None = None, provider: str | None = None, region: str | None = None,
) -> Iterator[str]:  # fmt: skip
    """One panel's table as CSV text (BOM first, so spreadsheets read UTF-8). Computed before
    it is returned, so that a refusal is an error answer, not a broken download."""
    check_panel(panel)
    read = dashboard(
        session, actor=actor, at=at, start=start, end=end, provider=provider, region=region
    )
    columns = CSV_COLUMNS[panel]
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv_writer(buffer)
    writer.writerow(columns)
    for row in panel_rows(read, panel):
        data = row.model_dump()
        writer.writerow([_cell(data[c]) for c in columns])
    return iter([buffer.getvalue()])
