"""Pydantic shapes of the list procedure and the red list (LST-1…4, MEA-4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from xinyong.core.wire import Text64, Text300, Text4000, Text8000
from xinyong.lists.models import ListGround, ServiceMethod, StatementKind


class ProcedureCreate(BaseModel):
    """A proposal (LST-1): the subject by code, a ground of Art. 25 and its legal basis."""

    subject: Text64
    ground: ListGround
    legal_basis: Text4000
    facts: Text8000
    #: Code of the legal representative / responsible person (Art. 27), when the register's
    #: link is missing or wrong; a natural person.
    legal_representative: str | None = Field(default=None, max_length=64)
    #: Months the entry lasts when the basis sets a period other than 3 years (LST-4).
    period_months: int | None = Field(default=None, ge=1, le=120)
    #: Ids of the subject's negative records the proposal rests on (e.g. the penalty that
    #: grounds it): repairing one of them ends the entry early (Art. 36).
    records: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        default_factory=list, max_length=50
    )


class StepBody(BaseModel):
    reason: str = Field(default="", max_length=4000)


class ReasonBody(BaseModel):
    reason: Text4000


class StatementCreate(BaseModel):
    kind: Literal["statement", "defence", "waiver"] = "statement"
    text: Text8000


class ObjectionCreate(BaseModel):
    text: Text8000


class ObjectionAnswer(BaseModel):
    outcome: Literal["upheld", "rejected"]
    answer: Text8000


class DecisionCreate(BaseModel):
    """The decision's content (Art. 26 ¶2). The deciding organ is the deciding account's own
    organisation (Art. 25, 26): ``deciding_org_uscc`` is no longer needed; a request that still
    sends it is accepted only when it is that organisation's USCC (else 422
    ``deciding_org_not_own``)."""

    reasons: Text8000
    measures: Text8000
    deciding_org_uscc: str | None = Field(default=None, max_length=64)


class ServiceCreate(BaseModel):
    method: ServiceMethod
    served_on: date | None = None
    note: str = Field(default="", max_length=4000)


class SubjectBrief(BaseModel):
    id: int
    code: str
    name: str
    type: str


class PersonBrief(BaseModel):
    id: int
    name: str


class StepRead(BaseModel):
    from_state: str | None
    to_state: str
    at: datetime
    due_on: date | None
    actor: str
    reason: str | None
    document_number: str | None
    article: str | None


class StatementRead(BaseModel):
    id: int
    kind: StatementKind
    text: str
    at: datetime
    by: str
    answer: str | None
    answer_outcome: str | None
    answered_at: datetime | None


class DocumentBrief(BaseModel):
    number: str
    kind: str
    title: str
    created_at: datetime
    pdf_url: str


class EntryRead(BaseModel):
    id: int
    procedure_id: int
    list_kind: str
    subject: SubjectBrief
    legal_representative: PersonBrief | None
    period_start_on: date
    period_end_on: date
    status: str
    ended_on: date | None
    end_reason: str | None
    record_id: int | None
    published_at: datetime


class ProcedureRead(BaseModel):
    id: int
    list_kind: str
    subject: SubjectBrief
    legal_representative: PersonBrief | None
    proposing_org: str
    proposed_by: str
    ground: ListGround
    ground_text: str
    legal_basis: str
    facts: str
    period_months: int | None
    state: str
    state_at: datetime
    due_on: date | None
    due_what: str | None
    working_days_left: int | None
    overdue: bool
    statement_due_on: date | None
    deciding_org: str | None
    decision_reasons: str | None
    measures: str | None
    decision_number: str | None
    decided_at: datetime | None
    served_at: datetime | None
    served_on: date | None
    service_method: str | None
    next_steps: list[str]
    steps: list[StepRead] = []
    statements: list[StatementRead] = []
    documents: list[DocumentBrief] = []
    entry: EntryRead | None = None


class ProcedureList(BaseModel):
    items: list[ProcedureRead]


class EntryList(BaseModel):
    items: list[EntryRead]


class MyLists(BaseModel):
    entries: list[EntryRead]
    procedures: list[ProcedureRead]
    red_list: list[RedListRead]


class RedListCreate(BaseModel):
    subject: Text64
    title: Text300
    basis: Text4000
    reason: Text4000
    #: No longer needed: the adopting organ is the account's organisation (accepted only when
    #: it is that organisation's USCC, else 422 ``deciding_org_not_own``).
    adopted_by_uscc: str | None = Field(default=None, max_length=64)
    adopted_on: date | None = None
    valid_until: date | None = None
    #: Publish (and push) at once.
    publish: bool = True


class RedListRead(BaseModel):
    id: int
    subject: SubjectBrief
    title: str
    adopted_by: str
    basis: str
    reason: str
    adopted_on: date
    valid_until: date | None
    published_at: datetime | None
    record_id: int | None
    in_force: bool


class RedList(BaseModel):
    items: list[RedListRead]


MyLists.model_rebuild()


@dataclass(frozen=True, slots=True)
class ActiveEntry:
    """A list entry in force, as other contexts (checks, inquiries, publicity) see it."""

    list_kind: str
    entry_id: int
    subject_id: int
    period_start_on: date
    period_end_on: date | None
    legal_representative_subject_id: int | None
    record_id: int | None
