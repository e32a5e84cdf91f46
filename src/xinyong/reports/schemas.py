"""Pydantic shapes of the reports context: the self-query answer and report verification."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SubjectRead(BaseModel):
    id: int
    type: str
    code: str
    name: str


class SourceRead(BaseModel):
    """Where a record came from (COL-2): who delivered it, how, when, under which document."""

    provider_org_id: int | None
    provider_org_code: str | None
    provider_org_name: str | None
    channel: str
    batch_id: int | None
    agreement_id: int | None
    received_at: datetime
    received_by: str
    document_no: str | None
    self_declared: bool


class VersionRead(BaseModel):
    """One version of a record, with the reason, actor and time of the change (Art. 31)."""

    version: int
    status: str
    fields: dict[str, Any]
    severity: str | None
    decided_on: date | None
    document_no: str | None
    reason: str | None
    basis: str | None
    actor: str
    at: datetime


class SelfRecordRead(BaseModel):
    """A record as its own subject sees it: every field, its state, its source, its history."""

    id: int
    item: str
    item_name: str
    category: str
    #: The credit report section (``rules.SECTION_CODES``).
    section: str
    #: ``in_effect`` | ``withdrawn`` | ``repaired`` | ``expired`` (``rules.RecordState``).
    state: str
    status: str
    under_objection: bool
    polarity: str
    severity: str | None
    publicity: str
    decided_on: date | None
    document_no: str | None
    #: Last day the record is served to others (``None``: while active) (Art. 35).
    window_ends_on: date | None
    version: int
    fields: dict[str, Any]
    field_names: dict[str, str]
    source: SourceRead
    versions: list[VersionRead]


class SelfQueryRead(BaseModel):
    """``GET /me/credit``: everything held on the subject (RGT-1)."""

    subject: SubjectRead | None
    at: datetime
    records: list[SelfRecordRead]


class ReportVerificationRead(BaseModel):
    """``GET /reports/{number}``: what anyone may learn about an issued report."""

    number: str
    #: Masked: a person's name, and the code of any subject (first 6 + check character).
    subject: str
    issued_at: datetime
    digest: str
    #: ``credit`` or ``special``; a special report also answers its period and domains.
    kind: str = "credit"
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    domains: list[str] | None = None

    model_config = ConfigDict(populate_by_name=True)


class DomainRead(BaseModel):
    code: str
    name: str
    name_en: str


class DomainList(BaseModel):
    """``GET /special-report/domains``."""

    items: list[DomainRead]
