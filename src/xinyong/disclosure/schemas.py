"""Pydantic shapes of disclosure: what each channel is answered."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel


class PublicSubjectBrief(BaseModel):
    """A subject as publicity shows it (masked for natural persons, DIS-3)."""

    code: str
    name: str
    type: str


class PublicSearchRead(BaseModel):
    items: list[PublicSubjectBrief]
    page: int
    limit: int
    #: What ``q`` was taken for: ``code`` or ``name``.
    matched_by: str
    has_more: bool


class DisclosedRecord(BaseModel):
    """A record as one channel is served it: only the fields that channel may see."""

    id: int
    item: str
    item_name: str
    category: str
    #: The subject page's tab (``disclosure.tabs.TABS``).
    tab: str
    polarity: str
    severity: str | None
    decided_on: date | None
    document_no: str | None
    status: str
    version: int
    fields: dict[str, Any]
    #: Labels of the served fields (Chinese column name), for pages and reports.
    field_names: dict[str, str]
    #: Last day served (``None``: served while active) (DIS-4).
    window_ends_on: date | None
    under_objection: bool
    #: Credit repair granted (Art. 36): served only to the subject and the audit.
    repaired: bool = False


class PublicSubjectRead(BaseModel):
    subject: PublicSubjectBrief
    records: list[DisclosedRecord]
    lists: list[dict[str, Any]]
