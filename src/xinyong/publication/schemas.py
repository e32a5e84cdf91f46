"""Pydantic shapes of the publication store's own answers (open data)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel


class OpenDataFile(BaseModel):
    item: str
    date: date
    format: str
    records: int
    sha256: str
    url: str
    #: The audit checkpoint current when the file was made (``GET /audit/checkpoint`` shape,
    #: without the public key), or None before the first checkpoint.
    checkpoint: dict[str, Any] | None


class OpenDataIndex(BaseModel):
    items: list[OpenDataFile]
