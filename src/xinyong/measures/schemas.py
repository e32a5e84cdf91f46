"""Pydantic shapes of measures, checks, spot checks and commitments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from xinyong.accounts.rules import ORGAN_KINDS, PURPOSES
from xinyong.core.wire import Input, RowRead, Text64, Text300, Text4000, Text8000, known_names
from xinyong.disclosure.schemas import DisclosedRecord
from xinyong.measures.models import MeasureKind, MeasureTier

CODE_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"
TARGETS = frozenset({"subject", "legal_representative"})
_ORGANS = known_names(
    ORGAN_KINDS, "organ kinds", f"name them (no wildcard), one of {sorted(ORGAN_KINDS)}"
)
_TARGETS = known_names(TARGETS, "targets", f"one of {sorted(TARGETS)}")
_MATTERS = known_names(PURPOSES, "matters", f"name them (no wildcard), one of {sorted(PURPOSES)}")
CONDITION_KEYS = frozenset(
    {"items", "polarity", "severity", "fields", "min_count", "list_kinds", "grades"}
)


class MeasureDefinition(Input):
    """What a measure states (MEA-1): type, basis, implementing organs, targets, triggers,
    matters and duration."""

    name: Text300
    name_en: str = Field(default="", max_length=300)
    kind: MeasureKind
    article: str = Field(default="", max_length=16)
    legal_basis: str = Field(default="", max_length=4000)
    #: The kinds of state organ that may implement it (Art. 23, 29), named one by one.
    implementing_organs: Annotated[list[str], _ORGANS] = Field(min_length=1)
    targets: Annotated[list[str], _TARGETS] = Field(
        default_factory=lambda: ["subject"], min_length=1
    )
    triggers: list[dict[str, Any]] = Field(min_length=1)
    matters: Annotated[list[str], _MATTERS] = Field(min_length=1)
    duration: str = Field(min_length=1, max_length=32)
    duration_note: str = Field(default="", max_length=2000)
    #: The longest it lasts once applied, in months from the decision (Art. 35, 36).
    period_months: int | None = Field(default=None, ge=1, le=120)

    @field_validator("triggers")
    @classmethod
    def _triggers(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for cond in value:
            unknown = sorted(set(cond) - CONDITION_KEYS)
            if unknown or not cond:
                raise ValueError(f"a trigger states {sorted(CONDITION_KEYS)}; got {sorted(cond)}")
        return value


class MeasureCreate(MeasureDefinition):
    code: str = Field(pattern=CODE_PATTERN)
    tier: MeasureTier = MeasureTier.LOCAL
    region_code: str | None = Field(default=None, pattern=r"^\d{6}$")


class MeasureRead(MeasureCreate):
    model_config = ConfigDict(from_attributes=True)

    version: int
    status: str
    effective_on: date | None
    published_at: datetime | None


class MeasureList(BaseModel):
    items: list[MeasureRead]


class OpinionCreate(Input):
    source_name: Text300
    content: Text8000


class PublishCreate(Input):
    effective_on: date


class CheckCreate(Input):
    subject: Text64
    matter: Text64


class SubjectBrief(BaseModel):
    code: str
    name: str
    type: str


class GradeReasonRead(BaseModel):
    grade: str | None
    rule: str
    reason: str
    record_ids: list[int] = Field(default_factory=list)
    list_entry_ids: list[str] = Field(default_factory=list)


class CheckMeasure(BaseModel):
    code: str
    name: str
    name_en: str
    kind: str
    tier: str
    article: str
    legal_basis: str
    targets: list[str]
    duration: str
    duration_note: str
    #: What triggered it for this subject.
    record_ids: list[int]
    list_entry_ids: list[str]


class CheckRead(BaseModel):
    check_id: int
    inquiry_id: int | None
    at: datetime
    subject: SubjectBrief
    matter: str
    lists: list[dict[str, Any]]
    #: ``None`` when the subject is unrated (``grade_reason`` ``"unrated"``; MEA-5).
    grade: str | None
    grade_reason: str | None = None
    grade_reasons: list[GradeReasonRead]
    records: list[DisclosedRecord]
    measures: list[CheckMeasure]
    #: Legal representative / responsible person of an organisation (Art. 27).
    representatives: list[dict[str, Any]] = Field(default_factory=list)


class AppliedCreate(Input):
    measures: list[str] = Field(min_length=1, max_length=50)


class AppliedMeasureRead(BaseModel):
    id: int
    check_id: int
    code: str
    name: str
    kind: str
    legal_basis: str
    matter: str
    applied_at: datetime
    organisation: str | None
    notice_number: str | None
    notice: dict[str, Any] | None
    #: ``pending`` (notified, awaiting the decision), ``applied``, ``ended`` (its period is
    #: over), ``withdrawn`` or ``lifted`` (Art. 29 para. 2, 36).
    status: str = "applied"
    defence_due_on: date | None = None
    statement: str | None = None
    stated_at: datetime | None = None
    statement_answer: str | None = None
    answered_at: datetime | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    decision_number: str | None = None
    ends_on: date | None = None
    lifted_at: datetime | None = None
    lift_reason: str | None = None
    record_ids: list[int] = Field(default_factory=list)
    list_entry_ids: list[str] = Field(default_factory=list)


class DecisionCreate(Input):
    """The decision on a notified disciplinary measure (Art. 29 para. 2)."""

    outcome: Literal["apply", "withdraw"]
    reason: Text8000


class StatementCreate(Input):
    """The subject's statement and defence against a notified measure (Art. 29 para. 2)."""

    statement: Text8000


class StatementAnswerCreate(Input):
    answer: Text8000


class AppliedList(BaseModel):
    items: list[AppliedMeasureRead]


class GradeRead(BaseModel):
    subject_id: int
    grade: str | None
    reasons: list[GradeReasonRead]
    grade_reason: str | None = None


class SpotCheckCreate(Input):
    ratios: dict[str, float] | None = None
    seed: str | None = Field(default=None, min_length=1, max_length=128)
    #: Subject codes to draw from; none: every organisation in the register.
    subjects: list[str] | None = Field(default=None, max_length=100_000)


class SpotCheckRead(BaseModel):
    id: int
    at: datetime
    drawn_by: str
    seed: str
    ratios: dict[str, float]
    rules_version: int
    population_size: int
    population_by_grade: dict[str, int]
    population_digest: str
    drawn: list[int]
    drawn_codes: list[str] = Field(default_factory=list)
    #: Whether re-drawing from the stored seed, ratios and population gives the same subjects.
    reproducible: bool | None = None


class SpotCheckList(BaseModel):
    items: list[SpotCheckRead]


class CommitmentCreate(Input):
    subject: Text64
    matter: Text300
    terms: Text8000
    due_on: date
    commitment_type: str = Field(default="审批替代型", max_length=32)
    #: The receiving unit's Unified Social Credit Code (source unit of a breach record).
    unit_uscc: str = Field(min_length=18, max_length=18)


class CommitmentClose(Input):
    note: Text4000


class CommitmentRead(RowRead):
    id: int
    subject_id: int
    matter: str
    commitment_type: str
    terms: str
    made_at: datetime
    due_on: date
    status: str
    org_name: str
    recorded_by_name: str
    closed_at: datetime | None
    closed_by_name: str | None
    note: str | None
    breach_record_id: int | None
    overdue: bool = False


class CommitmentList(BaseModel):
    items: list[CommitmentRead]
