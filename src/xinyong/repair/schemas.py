"""Repair applications as the API reads and writes them (Art. 36; RGT-5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from xinyong.core.wire import Input, Text4000


class RepairCreate(Input):
    """``POST /repairs``. Beyond the contract's ``record_id``, ``statement``, ``evidence``:
    ``commitment`` — the public credit commitment (absent: the standard commitment of
    ``repair_rules.json``, which filing the application signs; an empty string: none made);
    ``obligations_fulfilled`` — the applicant declares the legal obligations fulfilled (the
    provider checks the proof; ``false`` is refused at once); ``obligations_proof`` — how."""

    record_id: int = Field(ge=1)
    statement: Text4000
    #: Strings (a description or a link) or ``{"name", "content_base64"?, "content_type"?,
    #: "description"?, "url"?}``.
    evidence: list[Any] = Field(default_factory=list)
    commitment: str | None = Field(default=None, max_length=4000)
    obligations_fulfilled: bool = True
    obligations_proof: str | None = Field(default=None, max_length=4000)


class RepairDecisionCreate(Input):
    outcome: Literal["repaired", "refused"]
    reason: Text4000


class EvidenceRead(BaseModel):
    name: str
    description: str = ""
    url: str = ""
    content_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    #: ``GET /repairs/{id}/evidence/{file_id}`` serves the file.
    file_id: int | None = None


class RepairRead(BaseModel):
    id: int
    record_id: int
    item: str
    subject_id: int
    subject_name: str
    provider_org_id: int | None
    handler: str
    status: str
    applicant: str
    statement: str
    evidence: list[EvidenceRead]
    commitment: str | None
    obligations_fulfilled: bool
    obligations_proof: str | None
    severity: str
    rule_set: str
    received_at: datetime
    received_on: date
    due: date
    overdue: bool
    working_days_left: int | None
    decision_reason: str | None
    decided_at: datetime | None
    decided_by: str | None
    notice_number: str | None
    escalated_at: datetime | None
    late: bool


class RepairList(BaseModel):
    items: list[RepairRead]


class ReasonRead(BaseModel):
    code: str
    message: str
    earliest_on: date | None = None


class EligibilityRead(BaseModel):
    """Whether a record may be repaired now (before the obligations and commitment, which
    the applicant supplies)."""

    record_id: int
    item: str
    repairable: bool
    eligible: bool
    severity: str
    rule_set: str
    earliest_on: date | None
    commitment_required: bool
    reasons: list[ReasonRead]
    standard_commitment: str
    open_repair_id: int | None = None
    repaired: bool = False


def reasons_details(reasons: list[ReasonRead]) -> list[dict[str, Any]]:
    """The 422 ``details`` of an ineligible application: one entry per reason."""
    return [
        {"field": "record_id", "reason": r.code, "message": r.message}
        | ({"earliest_on": r.earliest_on.isoformat()} if r.earliest_on else {})
        for r in reasons
    ]
