"""Objections and corrections as the API reads and writes them (RGT-2…4)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from xinyong.core.bounds import FieldValue
from xinyong.core.wire import Input, Text4000


class ObjectionCreate(Input):
    """An objection (Art. 32 ¶1): to a record (``record_id``), to an omission (``kind:
    "omission"`` naming the ``item``), or to how information was collected, disclosed or used
    (``kind: "handling"`` naming the ``item`` or the ``channel``). The service window names
    the ``subject`` of an omission or handling objection it files on a subject's behalf."""

    kind: Literal["record", "omission", "handling"] | None = None
    record_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    item: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")
    channel: Literal["collection", "publicity", "government", "authorized"] | None = None
    subject: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[0-9A-Za-z]+$"
    )
    reason: Text4000
    #: Service-window filing on the subject's behalf: how the identity was checked (DIS-2).
    identity_check: str | None = Field(default=None, max_length=1000)
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _scope(self) -> ObjectionCreate:
        kind = self.kind or ("record" if self.record_id is not None else None)
        if kind is None:
            raise ValueError('give record_id, or kind "omission" / "handling"')
        if kind == "record" and (self.record_id is None or self.item or self.channel):
            raise ValueError("an objection to a record names the record_id only")
        if kind != "record" and self.record_id is not None:
            raise ValueError(f"a {kind} objection names an item or channel, not a record_id")
        self.kind = kind
        return self


class AssistanceCreate(Input):
    assisting_unit: str = Field(default="", max_length=300)


class DecisionCreate(Input):
    outcome: Literal["upheld", "rejected"]
    reason: Text4000
    #: Upheld: the corrected fields (``null`` removes one) — an amendment; without fields,
    #: or with ``action: "withdraw"``, the record is withdrawn.
    fields: dict[str, FieldValue] | None = None
    action: Literal["amend", "withdraw"] | None = None


class ObjectionRead(BaseModel):
    id: int
    kind: str
    record_id: int | None
    item: str | None
    channel: str | None
    subject_id: int
    provider_org_id: int | None
    status: str
    outcome: str | None
    reason: str
    filed_by: str
    on_behalf: bool
    received_at: datetime
    received_on: date
    due: date
    overdue: bool
    working_days_left: int | None
    assistance_requested_at: datetime | None
    assisting_unit: str | None
    decision_reason: str | None
    decided_at: datetime | None
    decided_by: str | None
    amendment_version: int | None
    notice_number: str | None
    escalated_at: datetime | None


class ObjectionList(BaseModel):
    items: list[ObjectionRead]


class CorrectionCreate(Input):
    """Art. 33: the provider found its own error; Art. 34: a decision was revoked/changed."""

    record_id: int = Field(ge=1)
    kind: Literal["discovered_error", "revocation"]
    description: Text4000
    #: The day the error was found / the written notice received; default: today.
    started_on: date | None = None
    #: Art. 34: the number of the revoking or changing judgment / decision.
    revoking_document_no: str | None = Field(default=None, max_length=200)


class CorrectionFulfil(Input):
    reason: Text4000
    fields: dict[str, FieldValue] | None = None
    action: Literal["amend", "withdraw"] | None = None


class CorrectionRead(BaseModel):
    id: int
    kind: str
    record_id: int
    subject_id: int
    provider_org_id: int | None
    started_on: date
    due: date
    overdue: bool
    description: str
    revoking_document_no: str | None
    notice_number: str | None
    fulfilled_at: datetime | None
    amendment_version: int | None
    late: bool


class OwnRecord(BaseModel):
    """A record of the subject, as the objection form offers it."""

    id: int
    item: str
    document_no: str | None
    decided_on: date | None
    status: str
    version: int
    under_objection: bool
