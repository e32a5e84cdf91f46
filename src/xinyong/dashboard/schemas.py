"""Shapes of the dashboard's answer (DESIGN §6: the credit office's panels)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class MonthRead(BaseModel):
    #: ``YYYY-MM``.
    month: str
    first: date
    last: date


class DeliveryMonth(BaseModel):
    month: str
    records: int


class DeliveryByProvider(BaseModel):
    month: str
    org_code: str
    org_name: str
    records: int


class DeliveriesPanel(BaseModel):
    """Records received from providers per calendar month (Art. 13)."""

    total: int
    months: list[DeliveryMonth]
    by_provider: list[DeliveryByProvider]


class OverdueProvider(BaseModel):
    org_code: str
    org_name: str
    item_code: str
    item_name: str
    last_delivery_at: datetime | None
    max_gap_days: int | None
    days_overdue: int


class OverdueProvidersPanel(BaseModel):
    """Providers late with an item (supervision, COL-3), as of the platform's today."""

    as_of: date
    #: Provider × item pairs under supervision (delivered at least once).
    supervised: int
    #: Distinct provider organisations late with at least one item.
    overdue_providers: int
    items: list[OverdueProvider]


class ObjectionMonth(BaseModel):
    """Objections by the month they are (or were) due (Art. 32)."""

    month: str
    due: int
    decided_on_time: int
    decided_late: int
    open_pending: int
    open_overdue: int


class OverdueHandler(BaseModel):
    #: ``None``: the credit office handles it (self-declared records).
    org_code: str | None
    org_name: str
    overdue: int


class ObjectionsPanel(BaseModel):
    as_of: date
    #: Undecided objections, whatever their due date.
    open: int
    #: Undecided past their due date.
    overdue: int
    #: Undecided and due from today up to ``due_soon_until`` (``None`` when the working-day
    #: calendar does not cover that far yet).
    due_soon: int | None
    due_soon_until: date | None
    months: list[ObjectionMonth]
    overdue_by_handler: list[OverdueHandler]


class PurposeCount(BaseModel):
    purpose: str
    answered: int
    refused: int
    total: int


class InquiriesPanel(BaseModel):
    """Inquiries logged (Art. 20) by declared purpose; refused ones counted apart."""

    total: int
    answered: int
    refused: int
    purposes: list[PurposeCount]


class ListEntryCount(BaseModel):
    #: ``serious_dishonesty`` or ``red_list``.
    list_kind: str
    #: Serious dishonesty: ``active``, ``ended``, ``removed``; red list: ``in_force``,
    #: ``upcoming``, ``expired``, ``unpublished``.
    state: str
    #: Entries in this state today, whenever published.
    entries: int
    #: Of those, published (red list: adopted) inside the range.
    in_range: int


class ListEntriesPanel(BaseModel):
    as_of: date
    items: list[ListEntryCount]


class DashboardRead(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    #: The filters applied (``None``: everything): a provider organisation's code, a region
    #: (GB/T 2260; the organisations whose region lies inside it).
    provider: str | None = None
    provider_name: str | None = None
    region: str | None = None
    as_of: datetime
    months: list[MonthRead]
    deliveries: DeliveriesPanel
    overdue_providers: OverdueProvidersPanel
    objections: ObjectionsPanel
    inquiries: InquiriesPanel
    list_entries: ListEntriesPanel
