"""The serious dishonesty list procedure and the red list (Art. 22, 25–27, 29, 36; LST-1…4,
MEA-4).

A procedure moves through its states one way (``rules.TRANSITIONS``); each transition is kept
as a :class:`ListProcedureStep` with its instant, the deadline it opens and the document it
produced, so the subject sees every step with its deadline (Art. 26). Deadlines are computed on
the working-day calendar when the step starts and stored: a later calendar amendment does not
move a deadline already served. "Overdue" is never stored, it is ``due_on`` against today.

An entry's status is stored as it was last decided (``active`` / ``ended`` / ``removed``); an
active entry whose period has run out is treated as ended at query time, so correctness never
waits for the sweep that writes ``ended``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Index,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import BigPk, BigRef, IndexedInt, Str16, Str18, Str32, Str200, Str300


class ListKind(StrEnum):
    SERIOUS_DISHONESTY = "serious_dishonesty"
    RED_LIST = "red_list"


class ListGround(StrEnum):
    """The grounds of Art. 25 (1)–(5); the texts are in ``rules.GROUND_TEXTS``."""

    HEALTH_AND_SAFETY = "health_and_safety"
    MARKET_ORDER = "market_order"
    REFUSING_LEGAL_OBLIGATIONS = "refusing_legal_obligations"
    NATIONAL_DEFENCE = "national_defence"
    OTHER_STATUTORY = "other_statutory"


class ProcedureState(StrEnum):
    PROPOSED = "proposed"
    #: The prior written notice is issued (Art. 26 ¶1).
    NOTIFIED = "notified"
    #: The notice is served: the subject may state and defend itself until ``due_on`` (Art. 29).
    STATEMENT_PERIOD = "statement_period"
    OBJECTION_FILED = "objection_filed"
    OBJECTION_ANSWERED = "objection_answered"
    #: The written decision is made (Art. 26 ¶2).
    DECIDED = "decided"
    #: The decision is served on the subject (how and when are recorded).
    SERVED = "served"
    #: The entry is live on the platform.
    PUBLISHED = "published"
    #: The entry's period ended, or it was removed early after repair (Art. 36).
    ENDED = "ended"
    #: The organ decided not to list the subject.
    DROPPED = "dropped"


class EntryStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    #: Removed before its period ended (credit repair, Art. 36).
    REMOVED = "removed"


class StatementKind(StrEnum):
    STATEMENT = "statement"
    DEFENCE = "defence"
    OBJECTION = "objection"
    #: The subject declares it states nothing (more): the organ need not wait out the period.
    WAIVER = "waiver"


class ServiceMethod(StrEnum):
    """How a decision was served (送达方式)."""

    PLATFORM = "platform"
    IN_PERSON = "in_person"
    POST = "post"
    PUBLIC_NOTICE = "public_notice"


class ListProcedure(Base):
    id: Mapped[BigPk]
    list_kind: Mapped[ListKind]
    subject_id: Mapped[IndexedInt]
    #: For an organisation, the person the entry names (Art. 27).
    legal_representative_subject_id: Mapped[int | None]
    proposing_org_id: Mapped[IndexedInt | None]
    proposing_org_name: Mapped[Str300]
    proposed_by_id: Mapped[int | None]
    proposed_by_name: Mapped[Str200]
    ground: Mapped[ListGround]
    legal_basis: Mapped[str]
    facts: Mapped[str]
    #: Months the entry lasts when the basis sets a period other than the default (LST-4).
    period_months: Mapped[int | None]
    #: The subject's records the proposal rests on: repairing one of them ends the entry
    #: early (Art. 36; Order 36).
    ground_record_ids: Mapped[list[int] | None]
    state: Mapped[ProcedureState]
    state_at: Mapped[datetime]
    #: The deadline of the step now expected (``None``: nothing is due).
    due_on: Mapped[date | None]
    #: Statement and defence accepted up to this day (Art. 29).
    statement_due_on: Mapped[date | None]
    #: Decision content (Art. 26 ¶2).
    deciding_org_id: Mapped[int | None]
    deciding_org_name: Mapped[Str300 | None]
    deciding_org_uscc: Mapped[Str18 | None]
    decision_reasons: Mapped[str | None]
    measures: Mapped[str | None]
    decision_number: Mapped[Str32 | None]
    decided_at: Mapped[datetime | None]
    #: When the service was recorded, and the day the decision reached the subject.
    served_at: Mapped[datetime | None]
    served_on: Mapped[date | None]
    service_method: Mapped[ServiceMethod | None]
    service_note: Mapped[str | None]
    created_at: Mapped[datetime]

    __table_args__ = (Index("ix_list_procedure_state_due_on", "state", "due_on"),)


class ListProcedureStep(Base):
    """One transition of a procedure: what happened, when, what it made due, what it issued."""

    id: Mapped[BigPk]
    procedure_id: Mapped[BigRef] = mapped_column(index=True)
    subject_id: Mapped[int]
    from_state: Mapped[ProcedureState | None]
    to_state: Mapped[ProcedureState]
    at: Mapped[datetime]
    due_on: Mapped[date | None]
    actor_id: Mapped[int | None]
    actor_name: Mapped[Str200]
    reason: Mapped[str | None]
    document_number: Mapped[Str32 | None]


class ListStatement(Base):
    """The subject's statement, defence or objection in a procedure (Art. 26, 29)."""

    id: Mapped[BigPk]
    procedure_id: Mapped[BigRef] = mapped_column(index=True)
    subject_id: Mapped[int]
    kind: Mapped[StatementKind]
    text: Mapped[str]
    at: Mapped[datetime]
    by_id: Mapped[int | None]
    by_name: Mapped[Str200]
    #: For an objection: the organ's answer (Art. 26 ¶1: verify and feed back the result).
    answer: Mapped[str | None]
    answer_outcome: Mapped[Str16 | None]
    answered_at: Mapped[datetime | None]


class ListEntry(Base):
    id: Mapped[BigPk]
    procedure_id: Mapped[BigRef]
    list_kind: Mapped[ListKind]
    subject_id: Mapped[IndexedInt]
    legal_representative_subject_id: Mapped[int | None]
    period_start_on: Mapped[date]
    #: The last day of the entry (inclusive).
    period_end_on: Mapped[date]
    status: Mapped[EntryStatus]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None]
    #: The ``serious_dishonesty`` record the entry was published as.
    record_id: Mapped[BigRef | None]
    published_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("procedure_id"),)


class RedListEntry(Base):
    """A typical trustworthy subject (Art. 22; MEA-4)."""

    id: Mapped[BigPk]
    subject_id: Mapped[IndexedInt]
    title: Mapped[Str300]
    adopted_by_org_id: Mapped[int | None]
    adopted_by_name: Mapped[Str300]
    adopted_by_uscc: Mapped[Str18]
    basis: Mapped[str]
    reason: Mapped[str]
    adopted_on: Mapped[date]
    valid_until: Mapped[date | None]
    published_at: Mapped[datetime | None]
    record_id: Mapped[BigRef | None]
    created_at: Mapped[datetime]
