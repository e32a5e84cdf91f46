"""Queries of the feed context. Never commits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, insert, select, tuple_
from sqlalchemy.orm import Session

from xinyong.db.bulk import insert_mappings
from xinyong.feed.models import ChangeEvent, DeliveryStatus, WebhookDelivery, WebhookSubscription


def insert_changes(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """At the driver's bulk speed (``db.bulk``): a bulk delivery appends thousands at once.
    Every row has the same keys."""
    if rows:
        session.flush()  # what the ORM holds goes first, as before a session.execute
        insert_mappings(session.connection(), cast(Table, ChangeEvent.__table__), rows)


def visible(
    query: Select[Any],
    *,
    role: str,
    org_id: int | None,
    authority_items: Collection[str] | None,
) -> Select[Any]:
    """Restrict ``query`` (over ``change_event``) to what ``feed.rules.may_see`` allows."""
    if role == "credit_office":
        return query
    if role == "provider":
        return query.where(ChangeEvent.provider_org_id == (org_id if org_id is not None else -1))
    if role == "inquirer":
        if authority_items is None:
            return query
        return query.where(ChangeEvent.item_code.in_(sorted(authority_items)))
    return query.where(ChangeEvent.id < 0)  # nobody else: an empty answer


def changes_after(
    session: Session,
    *,
    after: tuple[int, int] | None,
    limit: int,
    role: str,
    org_id: int | None,
    authority_items: Collection[str] | None,
    item_codes: Collection[str] | None = None,
) -> Sequence[ChangeEvent]:
    query = select(ChangeEvent)
    if after is not None:
        query = query.where(tuple_(ChangeEvent.audit_seq, ChangeEvent.id) > tuple_(*after))
    if item_codes is not None:
        query = query.where(ChangeEvent.item_code.in_(sorted(item_codes)))
    query = visible(query, role=role, org_id=org_id, authority_items=authority_items)
    query = query.order_by(ChangeEvent.audit_seq, ChangeEvent.id).limit(limit)
    return session.scalars(query).all()


def feed_head(session: Session) -> tuple[int, int]:
    """The position of the last change (``(-1, 0)`` on an empty feed)."""
    row = session.execute(
        select(ChangeEvent.audit_seq, ChangeEvent.id)
        .order_by(ChangeEvent.audit_seq.desc(), ChangeEvent.id.desc())
        .limit(1)
    ).first()
    return (-1, 0) if row is None else (int(row[0]), int(row[1]))


def subscriptions_of(session: Session, org_id: int) -> Sequence[WebhookSubscription]:
    return session.scalars(
        select(WebhookSubscription)
        .where(WebhookSubscription.org_id == org_id)
        .order_by(WebhookSubscription.id)
    ).all()


def active_subscriptions(session: Session) -> Sequence[WebhookSubscription]:
    return session.scalars(
        select(WebhookSubscription)
        .where(WebhookSubscription.active.is_(True))
        .order_by(WebhookSubscription.id)
    ).all()


def deliveries_of(
    session: Session, subscription_id: int, *, limit: int
) -> Sequence[WebhookDelivery]:
    return session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    ).all()


def due_deliveries(session: Session, *, at: datetime, limit: int) -> Sequence[WebhookDelivery]:
    return session.scalars(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.FAILED]),
            WebhookDelivery.next_attempt_at <= at,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    ).all()


def insert_deliveries(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(WebhookDelivery), list(rows))
