"""Pydantic shapes of collection (COL-1, COL-2, COL-5): what providers send, what they get."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from xinyong.core.bounds import FieldValue, LawDate
from xinyong.core.wire import Input, Text64, Text300, Text4000
from xinyong.records.models import Channel, RecordStatus, Severity


class SubjectIn(Input):
    type: str = Field(min_length=1, max_length=32)
    id: Text64
    name: Text300


class RecordCreate(Input):
    """One record delivered by API. Without ``subject`` the party comes from the fields."""

    item: Text64
    source_id: str | None = Field(default=None, min_length=1, max_length=200)
    subject: SubjectIn | None = None
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    decided_on: LawDate | None = None
    document_no: str | None = Field(default=None, max_length=200)
    severity: Severity | None = None


class RecordBatchCreate(Input):
    records: list[RecordCreate] = Field(min_length=1, max_length=1000)


class AmendmentCreate(Input):
    """A correction (Art. 33, 34): the fields it changes (``null`` removes one) and why."""

    fields: dict[str, FieldValue] = Field(default_factory=dict)
    reason: Text4000
    basis: str | None = Field(default=None, max_length=4000)
    subject: SubjectIn | None = None
    severity: Severity | None = None
    decided_on: LawDate | None = None
    document_no: str | None = Field(default=None, max_length=200)


class WithdrawalCreate(Input):
    reason: Text4000
    basis: Text4000


class SubjectBrief(BaseModel):
    id: int
    type: str
    code: str
    name: str


class ActorBrief(BaseModel):
    id: int | None
    name: str


class ProviderBrief(BaseModel):
    org_id: int | None
    org_code: str | None = None
    org_name: str | None = None


class RecordVersionRead(BaseModel):
    version: int
    status: RecordStatus
    fields: dict[str, Any]
    severity: Severity | None
    decided_on: date | None
    document_no: str | None
    reason: str | None
    basis: str | None
    actor: ActorBrief
    at: datetime
    content_hash: str


class RecordRead(BaseModel):
    """A record at its head version, with its provenance (COL-2)."""

    id: int
    item: str
    item_version_id: int | None
    version: int
    status: RecordStatus
    subject: SubjectBrief
    source_id: str | None
    source_key: str
    polarity: str
    severity: Severity | None
    decided_on: date | None
    document_no: str | None
    publicity: str
    channel: Channel
    self_declared: bool
    provider: ProviderBrief
    agreement_id: int | None
    batch_id: int | None
    received_at: datetime
    received_by: ActorBrief
    fields: dict[str, Any]
    content_hash: str
    versions: list[RecordVersionRead] | None = None


class Rejection(BaseModel):
    line: int | None
    field: str | None
    reason: str


class BatchItemResult(BaseModel):
    """The outcome of one record of a JSON batch: ``created``, ``unchanged`` or ``rejected``."""

    index: int
    outcome: str
    id: int | None = None
    error: dict[str, Any] | None = None


class RecordBatchRead(BaseModel):
    accepted: int
    unchanged: int
    rejected: int
    results: list[BatchItemResult]


class DeliveryBatchRead(BaseModel):
    """The answer to a file delivery (``POST /records/batches``, ``xinyong import``)."""

    batch_id: int
    status: str
    rows: int
    accepted: int
    unchanged: int
    #: The first :data:`~xinyong.records.importing.bulk.REPORT_LIMIT` problems, in file order.
    rejected: list[Rejection]
    #: How many problems were found in all (``rejected`` may list fewer).
    rejected_total: int = 0


class AgreementCreate(Input):
    """``POST /agreements`` (API.md): the organisation, the items it delivers, the validity and
    the basis (the agreement's reference, e.g. its document number)."""

    org: Text64
    items: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=100
    )
    valid_from: date
    valid_until: date | None = None
    basis: str = Field(min_length=1, max_length=120)

    @field_validator("org", "basis", "items")
    @classmethod
    def _no_nul(cls, value: str | list[str]) -> str | list[str]:
        # PostgreSQL text cannot hold NUL: refuse it here as bad input, not at the database.
        if any("\x00" in v for v in ([value] if isinstance(value, str) else value)):
            raise ValueError("NUL characters are not allowed")
        return value


class AgreementRead(BaseModel):
    id: int
    org: str
    org_name: str
    items: list[str]
    valid_from: date
    valid_until: date | None
    basis: str
    in_force: bool
    created_at: datetime
    created_by: str


class AgreementList(BaseModel):
    items: list[AgreementRead]
