"""Objections (Art. 32; RGT-2) and the providers' own-correction clocks (Art. 33, 34; RGT-3/4).

Deadlines are computed once, at the instant that starts them, and stored (``due_on``): the
working-day calendar may be amended later, but a deadline already served does not move.
"Overdue" is never stored — it is ``due_on`` compared with today at query time; a batch job
only *escalates*, it is never needed for what is shown.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime
from xinyong.handling.columns import BigId, status_column


class ObjectionStatus(StrEnum):
    RECEIVED = "received"
    #: Another unit helps verify: the 5-working-day deadline applies.
    ASSISTANCE = "assistance"
    DECIDED = "decided"


class ObjectionKind(StrEnum):
    """What a subject objects to (Art. 32): errors in a record; an omission (information that
    should be there and is not, naming the item); how its information was collected,
    disclosed or used (naming the item or the channel)."""

    RECORD = "record"
    OMISSION = "omission"
    HANDLING = "handling"


class ObjectionOutcome(StrEnum):
    UPHELD = "upheld"
    REJECTED = "rejected"


class CorrectionKind(StrEnum):
    #: The provider found its own error (Art. 33).
    DISCOVERED_ERROR = "discovered_error"
    #: A judgment, ruling or penalty decision was revoked or changed (Art. 34).
    REVOCATION = "revocation"


class Objection(Base):
    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[ObjectionKind] = mapped_column(
        status_column(ObjectionKind), default=ObjectionKind.RECORD, server_default="record"
    )
    #: The record objected to; ``None`` for an omission or a handling objection.
    record_id: Mapped[int | None] = mapped_column(BigId)
    #: The catalogue item an omission or handling objection names.
    item_code: Mapped[str | None] = mapped_column(String(64))
    #: The channel a handling objection names (``rules.HANDLING_CHANNELS``).
    channel: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    #: Where it is routed; ``None`` routes it to the credit office (self-declared records).
    provider_org_id: Mapped[int | None] = mapped_column(Integer)
    filed_by_id: Mapped[int | None] = mapped_column(Integer)
    #: Copied so the history survives the account.
    filed_by_name: Mapped[str] = mapped_column(String(200))
    #: Filed at the service window by staff on the subject's behalf (DIS-2).
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    identity_check: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    reason_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_on: Mapped[date] = mapped_column(Date)
    assistance_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assisting_unit: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[ObjectionStatus] = mapped_column(status_column(ObjectionStatus))
    outcome: Mapped[ObjectionOutcome | None] = mapped_column(status_column(ObjectionOutcome))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(Integer)
    decided_by_name: Mapped[str | None] = mapped_column(String(200))
    #: The record version the upheld objection produced (amendment or withdrawal).
    amendment_version: Mapped[int | None] = mapped_column(Integer)
    #: Number of the written decision notice (PLT-4).
    notice_number: Mapped[str | None] = mapped_column(String(32))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    idempotency_key: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (
        # The same objection filed twice at the same instant (a double click, a retried
        # request) is one objection; the constraint settles the race between two requests.
        UniqueConstraint("record_id", "subject_id", "reason_hash", "received_at"),
        UniqueConstraint("subject_id", "idempotency_key"),
        Index("ix_objection_record_id_status", "record_id", "status"),
        Index("ix_objection_provider_org_id_due_on", "provider_org_id", "due_on"),
        Index("ix_objection_status_due_on", "status", "due_on"),
    )


class CorrectionDuty(Base):
    """A running 3-working-day clock to correct a record (Art. 33, 34)."""

    __tablename__ = "correction_duty"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[CorrectionKind] = mapped_column(status_column(CorrectionKind))
    record_id: Mapped[int] = mapped_column(BigId, index=True)
    subject_id: Mapped[int] = mapped_column(Integer)
    provider_org_id: Mapped[int | None] = mapped_column(Integer)
    #: The day the error was found (Art. 33) or the written notice received (Art. 34).
    started_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    #: The revoking or changing judgment / decision (Art. 34).
    revoking_document_no: Mapped[str | None] = mapped_column(String(200))
    #: Number of the written revocation notice (PLT-4).
    notice_number: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_name: Mapped[str] = mapped_column(String(200))
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fulfilled_by_name: Mapped[str | None] = mapped_column(String(200))
    amendment_version: Mapped[int | None] = mapped_column(Integer)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_correction_duty_due_on", "due_on"),)
