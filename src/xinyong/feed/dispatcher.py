"""Webhook dispatch (COL-4): queue new changes per subscription, send the due deliveries,
retry failures with exponential backoff (1, 2, 4 … 64 minutes; dead after 8 attempts).

``deliver_due`` runs once (``xinyong webhooks deliver``, e.g. from cron every minute). It
works in three steps so that no database transaction stays open while endpoints answer:

1. queue the changes each active subscription has not seen yet, pick the due deliveries,
   build their signed bodies, commit;
2. send them through the injected ``send(url, body, headers) -> status`` (httpx in
   production, :func:`http_send`); any exception counts as a failed attempt;
3. record the outcomes and one audit entry for the run, commit.

Delivery is at least once: a process killed between 2 and 3 sends again on the next run;
receivers de-duplicate on ``X-Xinyong-Delivery``. Deliveries are not strictly ordered (a
retried one arrives after later ones); each carries its feed ``cursor``, and ``GET
/changes`` is the ordered source of truth.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import SYSTEM, Actor
from xinyong.feed import egress, rules, signing
from xinyong.feed import repository as repo
from xinyong.feed.models import (
    ChangeEvent,
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from xinyong.feed.service import change_read

#: ``send(url, body, headers) -> HTTP status``; raises on a network failure.
Send = Callable[[str, bytes, Mapping[str, str]], int]

#: Changes queued per subscription per run (the rest follow on the next runs).
QUEUE_BATCH = 5000
SEND_TIMEOUT_SECONDS = 10.0


@dataclass(slots=True)
class DispatchResult:
    queued: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0


@dataclass(frozen=True, slots=True)
class _Outgoing:
    delivery_id: int
    url: str
    body: bytes
    headers: dict[str, str]


def http_send(url: str, body: bytes, headers: Mapping[str, str]) -> int:
    """Production transport: one POST with httpx, no redirects followed, and only to an
    address the egress policy permits (:mod:`xinyong.feed.egress`; a refusal is a failed
    attempt whose error the subscriber reads in the delivery log)."""
    import httpx

    egress.check_destination(url, egress.policy_from_settings())
    response = httpx.post(url, content=body, headers=dict(headers), timeout=SEND_TIMEOUT_SECONDS)
    return response.status_code


def _queue(session: Session, sub: WebhookSubscription, at: datetime) -> int:
    changes = repo.changes_after(
        session,
        after=(sub.after_seq, sub.after_id),
        limit=QUEUE_BATCH,
        role=sub.owner_role,
        org_id=sub.org_id,
        authority_items=sub.authority_items,
        item_codes=sub.item_codes,
    )
    if not changes:
        return 0
    repo.insert_deliveries(
        session,
        [
            {
                "subscription_id": sub.id,
                "change_id": c.id,
                "attempt": 0,
                "status": DeliveryStatus.PENDING,
                "next_attempt_at": at,
                "created_at": at,
            }
            for c in changes
        ],
    )
    sub.after_seq, sub.after_id = changes[-1].audit_seq, changes[-1].id
    return len(changes)


def _outgoing(session: Session, d: WebhookDelivery, at: datetime) -> _Outgoing:
    sub = session.get(WebhookSubscription, d.subscription_id)
    change = session.get(ChangeEvent, d.change_id)
    assert sub is not None, "foreign key holds"
    assert change is not None, "foreign key holds"
    payload = {
        "delivery_id": d.id,
        "subscription_id": sub.id,
        "change": change_read(change).model_dump(mode="json"),
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(at.timestamp())
    headers = signing.signed_headers(sub.secret, timestamp=timestamp, delivery_id=d.id, body=body)
    return _Outgoing(d.id, sub.url, body, headers)


def _attempt(send: Send, out: _Outgoing) -> tuple[int | None, str | None]:
    try:
        status = send(out.url, out.body, out.headers)
    except Exception as exc:  # any transport failure is a failed attempt
        return None, f"{type(exc).__name__}: {exc}"[:1000]
    return status, None if 200 <= status < 300 else f"HTTP {status}"


def deliver_due(
    session: Session, *, at: datetime, send: Send, limit: int = 100, actor: Actor = SYSTEM
) -> DispatchResult:
    """Queue new changes, send up to ``limit`` due deliveries once, record the outcomes."""
    result = DispatchResult()
    for sub in repo.active_subscriptions(session):
        result.queued += _queue(session, sub, at)
    if result.queued:
        record_event(
            session,
            actor=actor,
            tag="feed:webhook:queue",
            at=at,
            object_type="webhook_delivery",
            after={"queued": result.queued},
        )
    due = repo.due_deliveries(session, at=at, limit=limit)
    outgoing = [_outgoing(session, d, at) for d in due]
    session.flush()

    outcomes = {out.delivery_id: _attempt(send, out) for out in outgoing}

    for d in due:
        status, error = outcomes[d.id]
        d.attempt += 1
        d.last_attempt_at = at
        d.last_status_code = status
        d.last_error = error
        if error is None:
            d.status, d.delivered_at, d.next_attempt_at = DeliveryStatus.DELIVERED, at, None
            result.delivered += 1
            continue
        delay = rules.retry_delay(d.attempt)
        if delay is None:
            d.status, d.next_attempt_at = DeliveryStatus.DEAD, None
            result.dead += 1
        else:
            d.status, d.next_attempt_at = DeliveryStatus.FAILED, at + delay
            result.failed += 1
    if due:
        record_event(
            session,
            actor=actor,
            tag="feed:webhook:dispatch",
            at=at,
            object_type="webhook_delivery",
            after={"delivered": result.delivered, "failed": result.failed, "dead": result.dead},
        )
    session.flush()
    return result
