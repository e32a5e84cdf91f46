"""View model of the credit office's dashboard page: each panel's table (sorted as its
links ask, CSV link with the range) and its chart. No FastAPI here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from xinyong.dashboard.schemas import DashboardRead
from xinyong.dashboard.service import panel_rows
from xinyong.web.ui import charts
from xinyong.web.ui.support import sorted_by

#: Sortable columns of each table, the first being the default sort.
COLUMNS: dict[str, tuple[str, ...]] = {
    "deliveries": ("month", "records"),
    "deliveries_by_provider": ("month", "org_code", "records"),
    "overdue_providers": ("days_overdue", "org_code", "item_code", "last_delivery_at"),
    "objections": (
        "month", "due", "decided_on_time", "decided_late", "open_pending", "open_overdue",
    ),
    "inquiries": ("total", "purpose", "answered", "refused"),
    "list_entries": ("list_kind", "state", "entries", "in_range"),
}  # fmt: skip
#: Tables whose default order is largest first.
DESCENDING = frozenset({"overdue_providers", "inquiries"})
#: Bars a category chart shows at most (the table has them all).
CHART_ROWS = 15


@dataclass(frozen=True, slots=True)
class PanelTable:
    panel: str
    rows: list[Any]
    sort: str
    order: str
    #: The page's other query parameters (range, other tables' order), kept by the links.
    params: Mapping[str, str]

    def sort_link(self, key: str) -> str:
        order = "desc" if self.sort == key and self.order == "asc" else "asc"
        query = {**self.params, f"{self.panel}_sort": key, f"{self.panel}_order": order}
        return f"?{urlencode(query)}#panel-{self.panel}"

    def aria_sort(self, key: str) -> str | None:
        if key != self.sort:
            return None
        return "ascending" if self.order == "asc" else "descending"

    def csv_link(self, read: DashboardRead) -> str:
        return f"/api/v1/dashboard/{self.panel}.csv?{urlencode(filters_of(read))}"


def filters_of(read: DashboardRead) -> dict[str, str]:
    """The filters the figures were computed with, as query parameters (for the CSV links)."""
    query = {"from": read.from_.isoformat(), "to": read.to.isoformat()}
    if read.provider:
        query["provider"] = read.provider
    if read.region:
        query["region"] = read.region
    return query


def table(read: DashboardRead, panel: str, params: Mapping[str, str]) -> PanelTable:
    keys = COLUMNS[panel]
    sort = params.get(f"{panel}_sort", "")
    sort = sort if sort in keys else keys[0]
    order = params.get(f"{panel}_order", "")
    if order not in ("asc", "desc"):
        order = "desc" if panel in DESCENDING and sort == keys[0] else "asc"
    rows = sorted_by(panel_rows(read, panel), lambda r: getattr(r, sort), order == "desc")
    return PanelTable(panel, rows, sort, order, params)


def _values(rows: Sequence[Any], name: str) -> list[int]:
    return [int(getattr(r, name)) for r in rows]


def page_context(read: DashboardRead, params: Mapping[str, str]) -> dict[str, Any]:
    tables = {panel: table(read, panel, params) for panel in COLUMNS}
    months = [m.month for m in read.months]
    late = read.overdue_providers.items[:CHART_ROWS]
    purposes = read.inquiries.purposes[:CHART_ROWS]
    objections = read.objections.months
    return {
        "read": read,
        "tables": tables,
        "charts": {
            "deliveries": charts.line(
                months, "records", _values(read.deliveries.months, "records")
            ),
            "overdue_providers": charts.rows(
                [r.org_code for r in late], [("days_overdue", _values(late, "days_overdue"))]
            ),
            "objections": charts.columns(
                months,
                [
                    (k, _values(objections, k))
                    for k in ("decided_on_time", "decided_late", "open_pending", "open_overdue")
                ],
            ),
            "inquiries": charts.rows(
                [p.purpose for p in purposes],
                [
                    ("answered", _values(purposes, "answered")),
                    ("refused", _values(purposes, "refused")),
                ],
            ),
            "list_entries": charts.rows(
                [f"{i.list_kind}:{i.state}" for i in read.list_entries.items],
                [("entries", _values(read.list_entries.items, "entries"))],
            ),
        },
        "late_rows": late,
        "purpose_rows": purposes,
    }
