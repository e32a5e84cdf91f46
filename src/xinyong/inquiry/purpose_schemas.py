"""Pydantic shapes of inquiry purposes and daily caps (Art. 18, 19 ¶3).

Apart from ``schemas`` because purposes sit below disclosure: accounts check a system
account's purposes, and must not reach disclosure's shapes through them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PurposeRead(BaseModel):
    """A purpose in force, as anyone reads it (Art. 19 ¶3)."""

    code: str
    name: str
    name_en: str
    legal_basis: str


class PurposeList(BaseModel):
    items: list[PurposeRead]


class PurposeManaged(PurposeRead):
    """A purpose with its lifecycle, as the credit office manages it."""

    status: Literal["draft", "published", "retired"]
    shipped: bool
    status_at: datetime | None


class PurposeManagedList(BaseModel):
    items: list[PurposeManaged]


class PurposeCreate(BaseModel):
    """A new inquiry purpose / check matter, drafted by the credit office."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    legal_basis: str = Field(default="", max_length=2000)


class CapSet(BaseModel):
    """A daily cap on answered inquiries per account (Art. 18)."""

    model_config = ConfigDict(extra="forbid")

    per_day: int = Field(ge=1, le=1_000_000)


class AccountCap(BaseModel):
    user_id: int
    per_day: int


class CapsRead(BaseModel):
    default: int
    accounts: list[AccountCap]
