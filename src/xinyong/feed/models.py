"""Tables of interconnection (COL-4): the change feed and webhook subscriptions/deliveries.

``change_event`` rows are written in the same transaction as the record write they describe,
carrying that transaction's audit ``seq``. The audit log assigns seqs under a lock held until
commit, so ordering the feed by ``(audit_seq, id)`` is commit order: a reader that sees a
change never later sees one sorted before it appear.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import (
    BigPk,
    Count,
    IndexedInt,
    IntPk,
    Str32,
    Str64,
    Str200,
    UniqueStr64,
    str_enum,
)


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

    id: Mapped[BigPk]
    audit_seq: Mapped[int] = mapped_column(BigInteger)
    record_id: Mapped[int] = mapped_column(BigInteger)
    subject_id: Mapped[int]
    item_code: Mapped[Str64]
    version: Mapped[int]
    kind: Mapped[Str32]
    provider_org_id: Mapped[int | None]
    at: Mapped[datetime]

    __table_args__ = (
        Index("ix_change_event_audit_seq_id", "audit_seq", "id"),
        Index("ix_change_event_provider_org_id_audit_seq", "provider_org_id", "audit_seq"),
    )


class FeedPosition:
    """A mixin: the feed position ``(audit_seq, id)`` up to which a reader has taken the changes
    (queued them for a subscription, or acted on them); ``(-1, 0)``: from the start."""

    after_seq: Mapped[int] = mapped_column(BigInteger, default=-1)
    after_id: Mapped[int] = mapped_column(BigInteger, default=0)


class WebhookSubscription(FeedPosition, Base):
    """An organisation's endpoint that receives the changes it may see, signed (COL-4)."""

    id: Mapped[IntPk]
    org_id: Mapped[IndexedInt]
    url: Mapped[str] = mapped_column(String(2000))
    #: HMAC-SHA256 key; shown once, at creation.
    secret: Mapped[Str200]
    #: Item codes wanted; ``None``: every item the owner may see.
    item_codes: Mapped[list[str] | None]
    active: Mapped[bool] = mapped_column(default=True)
    #: Who subscribed, and with which role and item authority: what the feed would show them.
    created_by_id: Mapped[int | None]
    created_by_name: Mapped[Str200]
    owner_role: Mapped[Str32]
    authority_items: Mapped[list[str] | None]
    created_at: Mapped[datetime]


class WebhookDelivery(Base):
    """One change to one subscription, with its attempts (retried with backoff)."""

    id: Mapped[BigPk]
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscription.id"))
    change_id: Mapped[int] = mapped_column(ForeignKey("change_event.id"))
    attempt: Mapped[Count]
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus, 16))
    next_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None]
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_subscription_id_id", "subscription_id", "id"),
    )


class FeedConsumer(FeedPosition, Base):
    """The position of an internal consumer of the feed (repair notices, watches): it reads
    the changes after it, acts on them and moves on in the same transaction."""

    id: Mapped[IntPk]
    name: Mapped[UniqueStr64]
