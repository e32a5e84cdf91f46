"""Supervision use cases (COL-3; Art. 13): how timely, accurate and complete each provider
delivers each catalogue item. Read-only: computed at query time from the collection tables.

Who sees what: the credit office (``supervision:read``) sees every provider; a provider (or
institution) sees its own organisation's rows only (``records:deliver`` — whoever delivers
may see how well it delivers).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.catalogue.models import CatalogueItemVersion
from xinyong.catalogue.service import published_items
from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput, PermissionDenied
from xinyong.core.permissions import require
from xinyong.core.tabular import csv_writer
from xinyong.supervision import repository as repo
from xinyong.supervision import rules
from xinyong.supervision.schemas import (
    CSV_COLUMNS,
    SORT_KEYS,
    ProviderItemRead,
    SupervisionPage,
)

MAX_PER_PAGE = 500


def _optional_fields(version: CatalogueItemVersion | None) -> list[str]:
    if version is None:
        return []
    return [str(f["code"]) for f in version.fields if not f.get("required", False)]


def _rows(session: Session, *, at: datetime, org_id: int | None) -> list[ProviderItemRead]:
    tallies = repo.tallies(session, org_id=org_id)
    items = {v.item.code: v for v in published_items(session, at=at)}
    orgs = repo.organisations(session, sorted({org for org, _ in tallies}))
    filled: dict[str, dict[int, tuple[int, int]]] = {}
    for code in sorted({item for _, item in tallies}):
        optional = _optional_fields(items.get(code))
        filled[code] = repo.filled_counts(session, item_code=code, optional=optional, org_id=org_id)
    today = local_date(at)
    out: list[ProviderItemRead] = []
    for (org, code), t in tallies.items():
        version = items.get(code)
        frequency = version.update_frequency.value if version is not None else None
        max_days = (
            rules.max_gap_days(frequency, version.max_delivery_gap_days)
            if version is not None and frequency is not None
            else None
        )
        last_on = local_date(t.last_delivery_at) if t.last_delivery_at else None
        timely = rules.timeliness(last_delivery_on=last_on, today=today, max_days=max_days)
        records, slots_filled = filled[code].get(org, (0, 0))
        org_code, org_name = orgs.get(org, (str(org), str(org)))
        out.append(
            ProviderItemRead(
                org_id=org,
                org_code=org_code,
                org_name=org_name,
                item_code=code,
                item_name=version.name if version is not None else code,
                update_frequency=frequency,
                max_gap_days=max_days,
                last_delivery_at=t.last_delivery_at,
                days_since_delivery=timely.days_since,
                overdue=timely.overdue,
                days_overdue=timely.days_overdue,
                deliveries=t.deliveries,
                accepted=t.accepted,
                unchanged=t.unchanged,
                rejected=t.rejected,
                rejection_rate=rules.rejection_rate(
                    accepted=t.accepted, unchanged=t.unchanged, rejected=t.rejected
                ),
                records=records,
                completeness=rules.completeness(
                    filled=slots_filled,
                    records=records,
                    optional_fields=len(_optional_fields(version)),
                ),
            )
        )
    return out


def _sorted(rows: list[ProviderItemRead], sort: str, order: str) -> list[ProviderItemRead]:
    if sort not in SORT_KEYS:
        raise InvalidInput(
            f"不能按 {sort} 排序 / cannot sort by {sort}",
            details=[{"field": "sort", "reason": f"expected one of {list(SORT_KEYS)}"}],
        )
    if order not in ("asc", "desc"):
        raise InvalidInput(
            f"排序方向须为 asc 或 desc / order must be asc or desc, not {order}",
            details=[{"field": "order", "reason": "expected asc or desc"}],
        )
    # Stable order first (organisation, item), then the requested key; empty values last.
    rows = sorted(rows, key=lambda r: (r.org_code, r.item_code))
    present = [r for r in rows if getattr(r, sort) is not None]
    missing = [r for r in rows if getattr(r, sort) is None]
    present.sort(key=lambda r: getattr(r, sort), reverse=order == "desc")
    return present + missing


def _page(
    rows: list[ProviderItemRead], *, sort: str, order: str, page: int, per_page: int
) -> SupervisionPage:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            f"page ≥ 1，per_page 须在 1 到 {MAX_PER_PAGE} 之间 / page must be ≥ 1 and "
            f"per_page 1..{MAX_PER_PAGE}",
            details=[{"field": "per_page", "reason": f"1..{MAX_PER_PAGE}"}],
        )
    ordered = _sorted(rows, sort, order)
    start = (page - 1) * per_page
    return SupervisionPage(
        items=ordered[start : start + per_page],
        total=len(ordered),
        page=page,
        per_page=per_page,
        sort=sort,
        order=order,
    )


def _own_org(actor: Actor) -> int:
    require(actor, "records:deliver")
    if actor.org_id is None:
        raise PermissionDenied("账号不属于任何报送单位 / the account belongs to no provider unit")
    return actor.org_id


def _scoped(session: Session, actor: Actor, at: datetime, mine: bool) -> list[ProviderItemRead]:
    """Every provider × item that delivered at least once (the credit office's view), or
    (``mine``) the acting provider's own rows."""
    if mine:
        return _rows(session, at=at, org_id=_own_org(actor))
    require(actor, "supervision:read")
    return _rows(session, at=at, org_id=None)


def list_providers(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    sort: str = "days_overdue",
    order: str = "desc",
    page: int = 1,
    per_page: int = 50,
    mine: bool = False,
) -> SupervisionPage:
    """One page of timeliness, accuracy and completeness per provider × item: every provider
    (credit office), or with ``mine`` the acting provider's own."""
    rows = _scoped(session, actor, at, mine)
    return _page(rows, sort=sort, order=order, page=page, per_page=per_page)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def providers_csv(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    sort: str = "days_overdue",
    order: str = "desc",
    mine: bool = False,
) -> Iterator[str]:
    """The whole table as CSV lines (BOM first, so spreadsheets read UTF-8)."""
    ordered = _sorted(_scoped(session, actor, at, mine), sort, order)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
        for row in ordered:
            data = row.model_dump()
            writer.writerow([_csv_value(data[c]) for c in CSV_COLUMNS])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return lines()
