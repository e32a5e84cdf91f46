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
    JSON,
    BigInteger,
    Date,
    Enum,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")


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


def _enum(cls: type[StrEnum]) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class ListProcedure(Base):
    __tablename__ = "list_procedure"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    list_kind: Mapped[ListKind] = mapped_column(_enum(ListKind))
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    #: For an organisation, the person the entry names (Art. 27).
    legal_representative_subject_id: Mapped[int | None] = mapped_column(Integer)
    proposing_org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    proposing_org_name: Mapped[str] = mapped_column(String(300))
    proposed_by_id: Mapped[int | None] = mapped_column(Integer)
    proposed_by_name: Mapped[str] = mapped_column(String(200))
    ground: Mapped[ListGround] = mapped_column(_enum(ListGround))
    legal_basis: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text)
    #: Months the entry lasts when the basis sets a period other than the default (LST-4).
    period_months: Mapped[int | None] = mapped_column(Integer)
    #: The subject's records the proposal rests on: repairing one of them ends the entry
    #: early (Art. 36; Order 36).
    ground_record_ids: Mapped[list[int] | None] = mapped_column(JSON)
    state: Mapped[ProcedureState] = mapped_column(_enum(ProcedureState))
    state_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The deadline of the step now expected (``None``: nothing is due).
    due_on: Mapped[date | None] = mapped_column(Date)
    #: Statement and defence accepted up to this day (Art. 29).
    statement_due_on: Mapped[date | None] = mapped_column(Date)
    #: Decision content (Art. 26 ¶2).
    deciding_org_id: Mapped[int | None] = mapped_column(Integer)
    deciding_org_name: Mapped[str | None] = mapped_column(String(300))
    deciding_org_uscc: Mapped[str | None] = mapped_column(String(18))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    decision_number: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the service was recorded, and the day the decision reached the subject.
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    served_on: Mapped[date | None] = mapped_column(Date)
    service_method: Mapped[ServiceMethod | None] = mapped_column(_enum(ServiceMethod))
    service_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_list_procedure_state_due_on", "state", "due_on"),)


class ListProcedureStep(Base):
    """One transition of a procedure: what happened, when, what it made due, what it issued."""

    __tablename__ = "list_procedure_step"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(BigId, index=True)
    subject_id: Mapped[int] = mapped_column(Integer)
    from_state: Mapped[ProcedureState | None] = mapped_column(_enum(ProcedureState))
    to_state: Mapped[ProcedureState] = mapped_column(_enum(ProcedureState))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_on: Mapped[date | None] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    document_number: Mapped[str | None] = mapped_column(String(32))


class ListStatement(Base):
    """The subject's statement, defence or objection in a procedure (Art. 26, 29)."""

    __tablename__ = "list_statement"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(BigId, index=True)
    subject_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StatementKind] = mapped_column(_enum(StatementKind))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by_id: Mapped[int | None] = mapped_column(Integer)
    by_name: Mapped[str] = mapped_column(String(200))
    #: For an objection: the organ's answer (Art. 26 ¶1: verify and feed back the result).
    answer: Mapped[str | None] = mapped_column(Text)
    answer_outcome: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ListEntry(Base):
    __tablename__ = "list_entry"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(BigId)
    list_kind: Mapped[ListKind] = mapped_column(_enum(ListKind))
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    legal_representative_subject_id: Mapped[int | None] = mapped_column(Integer)
    period_start_on: Mapped[date] = mapped_column(Date)
    #: The last day of the entry (inclusive).
    period_end_on: Mapped[date] = mapped_column(Date)
    status: Mapped[EntryStatus] = mapped_column(_enum(EntryStatus))
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    #: The ``serious_dishonesty`` record the entry was published as.
    record_id: Mapped[int | None] = mapped_column(BigId)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("procedure_id"),)


class RedListEntry(Base):
    """A typical trustworthy subject (Art. 22; MEA-4)."""

    __tablename__ = "red_list_entry"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(300))
    adopted_by_org_id: Mapped[int | None] = mapped_column(Integer)
    adopted_by_name: Mapped[str] = mapped_column(String(300))
    adopted_by_uscc: Mapped[str] = mapped_column(String(18))
    basis: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    adopted_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    record_id: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
