"""Pydantic shapes of the violation register."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class ViolationRead(BaseModel):
    id: int
    at: datetime
    kind: str
    user_id: int | None
    user_name: str
    org_code: str | None
    org_name: str | None
    subject_id: int | None
    object_type: str | None
    object_id: str | None
    detail: dict[str, Any]


class ViolationPage(BaseModel):
    items: list[ViolationRead]
    total: int
    page: int
    pages: int
