"""Tables of interconnection (COL-4): the change feed and webhook subscriptions/deliveries.

``change_event`` rows are written in the same transaction as the record write they describe,
carrying that transaction's audit ``seq``. The audit log assigns seqs under a lock held until
commit, so ordering the feed by ``(audit_seq, id)`` is commit order: a reader that sees a
change never later sees one sorted before it appear.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Boolean, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")


class ChangeKind(StrEnum):
    """Kinds known today; the column is a plain string so that list changes can add theirs."""

    DELIVERED = "delivered"
    AMENDED = "amended"
    WITHDRAWN = "withdrawn"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    #: The last attempt failed; another is scheduled at ``next_attempt_at``.
    FAILED = "failed"
    #: Every attempt failed; no more are made.
    DEAD = "dead"


class ChangeEvent(Base):
    """One change of a record, in commit order (Art. 6 interconnection)."""

    __tablename__ = "change_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    audit_seq: Mapped[int] = mapped_column(BigInteger)
    record_id: Mapped[int] = mapped_column(BigInteger)
    subject_id: Mapped[int] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    provider_org_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_change_event_audit_seq_id", "audit_seq", "id"),
        Index("ix_change_event_provider_org_id_audit_seq", "provider_org_id", "audit_seq"),
    )


class WebhookSubscription(Base):
    """An organisation's endpoint that receives the changes it may see, signed (COL-4)."""

    __tablename__ = "webhook_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    url: Mapped[str] = mapped_column(String(2000))
    #: HMAC-SHA256 key; shown once, at creation.
    secret: Mapped[str] = mapped_column(String(200))
    #: Item codes wanted; ``None``: every item the owner may see.
    item_codes: Mapped[list[str] | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Who subscribed, and with which role and item authority: what the feed would show them.
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_by_name: Mapped[str] = mapped_column(String(200))
    owner_role: Mapped[str] = mapped_column(String(32))
    authority_items: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Feed position up to which changes were queued for this subscription.
    after_seq: Mapped[int] = mapped_column(BigInteger, default=-1)
    after_id: Mapped[int] = mapped_column(BigInteger, default=0)


def _enum(cls: type[StrEnum]) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class WebhookDelivery(Base):
    """One change to one subscription, with its attempts (retried with backoff)."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscription.id"))
    change_id: Mapped[int] = mapped_column(ForeignKey("change_event.id"))
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[DeliveryStatus] = mapped_column(_enum(DeliveryStatus))
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_subscription_id_id", "subscription_id", "id"),
    )


class FeedConsumer(Base):
    """The position of an internal consumer of the feed (repair notices, watches): it reads
    the changes after it, acts on them and moves on in the same transaction."""

    __tablename__ = "feed_consumer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    after_seq: Mapped[int] = mapped_column(BigInteger, default=-1)
    after_id: Mapped[int] = mapped_column(BigInteger, default=0)
