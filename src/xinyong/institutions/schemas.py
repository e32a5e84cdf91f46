"""Pydantic shapes of the register of credit service institutions (CSI-1)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from xinyong.core.wire import Input, Text200, Text300, Text4000
from xinyong.institutions.rules import MAX_REASON, FilingStatus, ServiceKind, SupervisionKind


class FilingCreate(Input):
    """A filing as the credit office records it (Art. 37)."""

    org: str = Field(min_length=1, max_length=64, description="the institution's organisation code")
    uscc: str = Field(min_length=1, max_length=64, description="Unified Social Credit Code")
    name: Text300
    legal_representative: str = Field(min_length=1, max_length=100)
    registered_address: Text300
    services: list[ServiceKind] = Field(min_length=1, max_length=len(ServiceKind))
    business_scope: str = Field(default="", max_length=4000)
    contact: str = Field(default="", max_length=200)
    filed_on: date | None = Field(default=None, description="default: today")


class StatusChangeCreate(Input):
    status: FilingStatus
    reason: str = Field(min_length=1, max_length=MAX_REASON)


class SupervisionCreate(Input):
    supervised_on: date
    kind: SupervisionKind
    findings: Text4000
    measures: str = Field(default="", max_length=4000)
    conducted_by: Text200


class StatusChangeRead(BaseModel):
    at: datetime
    from_status: str | None
    to_status: str
    reason: str
    actor: str


class FilingRead(BaseModel):
    """What the public sees of a filing (Art. 37, 38: institutions are supervised openly)."""

    id: int
    org_code: str
    uscc: str | None
    name: str
    legal_representative: str
    registered_address: str
    services: list[str]
    business_scope: str
    filing_number: str
    filed_on: date
    status: str
    status_at: datetime


class FilingDetail(FilingRead):
    """What the credit office and the institution itself see: contact and status history."""

    contact: str
    history: list[StatusChangeRead]


class FilingPage(BaseModel):
    items: list[FilingRead]
    total: int
    page: int
    pages: int


class SupervisionRead(BaseModel):
    id: int
    filing_id: int
    supervised_on: date
    kind: str
    findings: str
    measures: str
    conducted_by: str
    recorded_at: datetime
    recorded_by: str


class SupervisionList(BaseModel):
    items: list[SupervisionRead]
