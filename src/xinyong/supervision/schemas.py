"""Shapes of supervision answers (COL-3)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

SortKey = Literal[
    "org_code",
    "org_name",
    "item_code",
    "last_delivery_at",
    "days_overdue",
    "deliveries",
    "accepted",
    "rejected",
    "rejection_rate",
    "completeness",
]
Order = Literal["asc", "desc"]
SORT_KEYS: tuple[str, ...] = SortKey.__args__  # type: ignore[attr-defined]

#: Columns of the CSV export, in order.
CSV_COLUMNS = (
    "org_code",
    "org_name",
    "item_code",
    "item_name",
    "update_frequency",
    "max_gap_days",
    "last_delivery_at",
    "days_since_delivery",
    "overdue",
    "days_overdue",
    "deliveries",
    "accepted",
    "unchanged",
    "rejected",
    "rejection_rate",
    "records",
    "completeness",
)


class ProviderItemRead(BaseModel):
    """One provider organisation × one catalogue item (Art. 13: timely, accurate, complete)."""

    org_id: int
    org_code: str
    org_name: str
    item_code: str
    item_name: str
    update_frequency: str | None
    #: Longest allowed gap between deliveries; ``None`` for on-event items.
    max_gap_days: int | None
    last_delivery_at: datetime | None
    days_since_delivery: int | None
    overdue: bool
    days_overdue: int
    deliveries: int
    #: Records created (new rows accepted).
    accepted: int
    #: Rows delivered again with content already held.
    unchanged: int
    #: Rows refused.
    rejected: int
    #: rejected / (accepted + unchanged + rejected); ``None`` when nothing was offered.
    rejection_rate: float | None
    #: Active records whose current version was counted for completeness.
    records: int
    #: Share of optional fields filled across those records; ``None`` without any.
    completeness: float | None


class SupervisionPage(BaseModel):
    items: list[ProviderItemRead]
    total: int
    page: int
    per_page: int
    sort: str
    order: str
