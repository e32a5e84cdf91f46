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
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import BigPk, BigRef, Str32, Str64, Str200, Str300
from xinyong.handling.columns import CaseColumns, case_indexes


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


class Objection(CaseColumns, Base):
    id: Mapped[BigPk]
    kind: Mapped[ObjectionKind] = mapped_column(
        default=ObjectionKind.RECORD, server_default="record"
    )
    #: The record objected to; ``None`` for an omission or a handling objection.
    record_id: Mapped[BigRef | None]
    #: The catalogue item an omission or handling objection names.
    item_code: Mapped[Str64 | None]
    #: The channel a handling objection names (``rules.HANDLING_CHANNELS``).
    channel: Mapped[Str32 | None]
    filed_by_id: Mapped[int | None]
    #: Copied so the history survives the account.
    filed_by_name: Mapped[Str200]
    #: Filed at the service window by staff on the subject's behalf (DIS-2).
    on_behalf: Mapped[bool] = mapped_column(default=False)
    identity_check: Mapped[str | None]
    reason: Mapped[str]
    reason_hash: Mapped[Str64]
    assistance_requested_at: Mapped[datetime | None]
    assisting_unit: Mapped[Str300 | None]
    status: Mapped[ObjectionStatus]
    outcome: Mapped[ObjectionOutcome | None]
    #: The record version the upheld objection produced (amendment or withdrawal).
    amendment_version: Mapped[int | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (
        # The same objection filed twice at the same instant (a double click, a retried
        # request) is one objection; the constraint settles the race between two requests.
        UniqueConstraint("record_id", "subject_id", "reason_hash", "received_at"),
        UniqueConstraint("subject_id", "idempotency_key"),
        *case_indexes("objection"),
    )


class CorrectionDuty(Base):
    """A running 3-working-day clock to correct a record (Art. 33, 34)."""

    id: Mapped[BigPk]
    kind: Mapped[CorrectionKind]
    record_id: Mapped[BigRef] = mapped_column(index=True)
    subject_id: Mapped[int]
    provider_org_id: Mapped[int | None]
    #: The day the error was found (Art. 33) or the written notice received (Art. 34).
    started_on: Mapped[date]
    due_on: Mapped[date]
    description: Mapped[str]
    #: The revoking or changing judgment / decision (Art. 34).
    revoking_document_no: Mapped[Str200 | None]
    #: Number of the written revocation notice (PLT-4).
    notice_number: Mapped[Str32 | None]
    created_at: Mapped[datetime]
    created_by_name: Mapped[Str200]
    fulfilled_at: Mapped[datetime | None]
    fulfilled_by_name: Mapped[Str200 | None]
    amendment_version: Mapped[int | None]
    late: Mapped[bool] = mapped_column(default=False)
    escalated_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_correction_duty_due_on", "due_on"),)
