"""Documents as the API shows them (PLT-4)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class DocumentRead(BaseModel):
    number: str
    kind: str
    title: str
    body: dict[str, Any]
    created_at: datetime
    read_at: datetime | None
    object_type: str | None
    object_id: str | None
    pdf_url: str
    #: A credit-repair notice (``repair_notice`` to a subject): its record and the earliest
    #: day repair may be applied for.
    record_id: int | None = None
    repairable_from: date | None = None
    #: A watch notice (``watch_change``): the watched subject's code.
    subject: str | None = None


class InboxRead(BaseModel):
    items: list[DocumentRead]
    unread: int
