"""Tables of the collection context (COL-1, COL-2, COL-5).

A record is two things: its identity with a *head pointer* (``record``), and the insert-only
history of its content (``record_version``). Delivery writes version 1; an amendment or a
withdrawal (Art. 18, 33, 44) adds a version and moves the head (``current_version``, ``status``,
``severity``, …) on ``record``. The content of a version is never updated and no version is ever
deleted: no code path issues UPDATE or DELETE on ``record_version``, and in PostgreSQL the
application role is not even granted them (``xinyong.db.privileges``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import BigPk, Count, IndexedInt, IntPk, Str16, Str64, Str200, Str300


class RecordStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class Channel(StrEnum):
    """How a record reached the platform (COL-2)."""

    API = "api"
    FILE = "file"
    AGREEMENT = "agreement"  # non-public provider under a delivery agreement (Art. 14)
    SELF_DECLARED = "self_declared"  # the subject's own statement or commitment (Art. 15)


class Severity(StrEnum):
    """Class of dishonesty of a negative record; sets its publicity period (NDRC Order 36)."""

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


class BatchStatus(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"


class DeliveryAgreement(Base):
    """An agreement under which a non-public provider delivers (Art. 14)."""

    id: Mapped[IntPk]
    org_id: Mapped[IndexedInt]
    reference: Mapped[str] = mapped_column(String(120))
    #: Catalogue item codes the agreement covers.
    items: Mapped[list[str]]
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    created_at: Mapped[datetime]
    created_by_name: Mapped[Str200]

    __table_args__ = (UniqueConstraint("org_id", "reference"),)


class DeliveryBatch(Base):
    """One file (or JSON batch) delivered; progress is committed with each chunk."""

    id: Mapped[BigPk]
    provider_org_id: Mapped[IndexedInt | None]
    item_code: Mapped[Str64]
    item_version_id: Mapped[int | None]
    channel: Mapped[Channel]
    filename: Mapped[Str300 | None]
    file_sha256: Mapped[Str64 | None] = mapped_column(index=True)
    received_at: Mapped[datetime]
    user_id: Mapped[int | None]
    user_name: Mapped[Str200]
    status: Mapped[BatchStatus]
    rows_seen: Mapped[Count]
    accepted: Mapped[Count]
    unchanged: Mapped[Count]
    rejected: Mapped[Count]
    #: File line of the last row whose chunk is committed (header = line 1).
    last_committed_line: Mapped[int] = mapped_column(default=1)
    completed_at: Mapped[datetime | None]


class DeliveryRejection(Base):
    """A row of a batch that was refused, with the reason (COL-1)."""

    id: Mapped[BigPk]
    batch_id: Mapped[int] = mapped_column(ForeignKey("delivery_batch.id"), index=True)
    line: Mapped[int]
    field: Mapped[Str64 | None]
    reason: Mapped[str]


class Record(Base):
    """Identity and head of a delivered record (COL-2 provenance on every record)."""

    id: Mapped[BigPk]
    #: ``None`` only for a subject's own statement or commitment (self-declared).
    provider_org_id: Mapped[int | None]
    item_code: Mapped[Str64]
    #: The published catalogue version the record was delivered under (CAT-3).
    item_version_id: Mapped[int | None]
    subject_id: Mapped[int]
    #: The provider's own record id, or item|document no.|subject code (COL-1).
    source_key: Mapped[str] = mapped_column(String(400))
    status: Mapped[RecordStatus]
    current_version: Mapped[int]
    polarity: Mapped[Str16]
    severity: Mapped[Severity | None]
    decided_on: Mapped[date | None]
    document_no: Mapped[Str200 | None]
    publicity: Mapped[Str16]
    channel: Mapped[Channel]
    self_declared: Mapped[bool] = mapped_column(default=False)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_agreement.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_batch.id"))
    received_at: Mapped[datetime]
    received_by_id: Mapped[int | None]
    received_by_name: Mapped[Str200]
    #: Content hash of the head version; equal content redelivered is "unchanged".
    content_hash: Mapped[Str64]

    __table_args__ = (
        UniqueConstraint("provider_org_id", "item_code", "source_key"),
        Index("ix_record_subject_id", "subject_id"),
        Index("ix_record_item_code_decided_on", "item_code", "decided_on"),
        # Deliveries per month and provider over a range (the credit office's dashboard):
        # a range scan that needs nothing but the index.
        Index("ix_record_received_at_provider_org_id", "received_at", "provider_org_id"),
    )


class RecordVersion(Base):
    """One version of a record's content. Insert-only (Art. 18, 44; COL-5)."""

    id: Mapped[BigPk]
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id"))
    #: Carried so that subject-scoped tables co-locate when sharded by subject (DESIGN §4).
    subject_id: Mapped[int]
    version: Mapped[int]
    fields: Mapped[dict[str, Any]]
    severity: Mapped[Severity | None]
    decided_on: Mapped[date | None]
    document_no: Mapped[Str200 | None]
    status: Mapped[RecordStatus]
    reason: Mapped[str | None]
    basis: Mapped[str | None]
    actor_id: Mapped[int | None]
    #: Copied so the history survives the account (netbox practice).
    actor_name: Mapped[Str200]
    at: Mapped[datetime]
    content_hash: Mapped[Str64]

    __table_args__ = (UniqueConstraint("record_id", "version"),)
