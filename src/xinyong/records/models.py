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
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime

#: 64-bit keys in PostgreSQL (10 M records and growing); SQLite's rowid is already 64-bit.
BigId = BigInteger().with_variant(Integer, "sqlite")


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


def _enum(cls: type[StrEnum]) -> Enum:
    # Stored by value, as a plain string column (no native type: migrations stay portable).
    return Enum(
        cls,
        native_enum=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class DeliveryAgreement(Base):
    """An agreement under which a non-public provider delivers (Art. 14)."""

    __tablename__ = "delivery_agreement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    reference: Mapped[str] = mapped_column(String(120))
    #: Catalogue item codes the agreement covers.
    items: Mapped[list[str]] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("org_id", "reference"),)


class DeliveryBatch(Base):
    """One file (or JSON batch) delivered; progress is committed with each chunk."""

    __tablename__ = "delivery_batch"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    provider_org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    item_code: Mapped[str] = mapped_column(String(64))
    item_version_id: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    filename: Mapped[str | None] = mapped_column(String(300))
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[BatchStatus] = mapped_column(_enum(BatchStatus))
    rows_seen: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    #: File line of the last row whose chunk is committed (header = line 1).
    last_committed_line: Mapped[int] = mapped_column(Integer, default=1)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DeliveryRejection(Base):
    """A row of a batch that was refused, with the reason (COL-1)."""

    __tablename__ = "delivery_rejection"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("delivery_batch.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)


class Record(Base):
    """Identity and head of a delivered record (COL-2 provenance on every record)."""

    __tablename__ = "record"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: ``None`` only for a subject's own statement or commitment (self-declared).
    provider_org_id: Mapped[int | None] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(64))
    #: The published catalogue version the record was delivered under (CAT-3).
    item_version_id: Mapped[int | None] = mapped_column(Integer)
    subject_id: Mapped[int] = mapped_column(Integer)
    #: The provider's own record id, or item|document no.|subject code (COL-1).
    source_key: Mapped[str] = mapped_column(String(400))
    status: Mapped[RecordStatus] = mapped_column(_enum(RecordStatus))
    current_version: Mapped[int] = mapped_column(Integer)
    polarity: Mapped[str] = mapped_column(String(16))
    severity: Mapped[Severity | None] = mapped_column(_enum(Severity))
    decided_on: Mapped[date | None] = mapped_column(Date)
    document_no: Mapped[str | None] = mapped_column(String(200))
    publicity: Mapped[str] = mapped_column(String(16))
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    self_declared: Mapped[bool] = mapped_column(Boolean, default=False)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_agreement.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_batch.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_by_id: Mapped[int | None] = mapped_column(Integer)
    received_by_name: Mapped[str] = mapped_column(String(200))
    #: Content hash of the head version; equal content redelivered is "unchanged".
    content_hash: Mapped[str] = mapped_column(String(64))

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

    __tablename__ = "record_version"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id"))
    #: Carried so that subject-scoped tables co-locate when sharded by subject (DESIGN §4).
    subject_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    severity: Mapped[Severity | None] = mapped_column(_enum(Severity))
    decided_on: Mapped[date | None] = mapped_column(Date)
    document_no: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[RecordStatus] = mapped_column(_enum(RecordStatus))
    reason: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    #: Copied so the history survives the account (netbox practice).
    actor_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    content_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("record_id", "version"),)
