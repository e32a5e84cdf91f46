"""Shapes of the change feed and webhooks (COL-4)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator

from xinyong.core.wire import Input


class ChangeRead(BaseModel):
    """One change. ``cursor`` is the feed position right after it."""

    cursor: str
    id: int
    audit_seq: int
    record_id: int
    subject_id: int
    item: str
    version: int
    kind: str
    provider_org_id: int | None
    at: datetime


class ChangePage(BaseModel):
    changes: list[ChangeRead]
    #: Pass as ``after`` to get the following changes (the given cursor when none came).
    next: str | None


class WebhookCreate(Input):
    url: str = Field(min_length=8, max_length=2000)
    #: Items wanted; omitted or null: every item the account may see.
    item_codes: list[str] | None = Field(default=None, max_length=200)
    #: A shared secret of your own (≥ 16 characters); omitted: the platform makes one.
    secret: str | None = Field(default=None, min_length=16, max_length=200)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an absolute http(s) URL 须为完整的 http(s) 地址")
        return value


class WebhookRead(BaseModel):
    id: int
    org_id: int
    url: str
    item_codes: list[str] | None
    active: bool
    created_at: datetime
    created_by_name: str


class WebhookCreated(WebhookRead):
    #: Shown only in the answer to the creation; keep it to verify signatures.
    secret: str


class WebhookList(BaseModel):
    items: list[WebhookRead]


class WebhookDeliveryRead(BaseModel):
    id: int
    subscription_id: int
    change_id: int
    attempt: int
    status: str
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class WebhookDeliveryList(BaseModel):
    items: list[WebhookDeliveryRead]
