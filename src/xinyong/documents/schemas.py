"""Documents as the API shows them (PLT-4)."""

from __future__ import annotations

from datetime import datetime
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


class InboxRead(BaseModel):
    items: list[DocumentRead]
    unread: int
