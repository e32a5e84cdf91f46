"""Change feed and webhook subscription use cases (COL-4; Art. 6).

Who sees which change (``changes:read``): the credit office every change; a provider the
changes of its own organisation's records; an inquirer (a state organ's system account) the
changes of items within its account's authority (all items when its authority names none).
A webhook subscription delivers exactly what its creator would see in the feed.

Feed reads are not written to the audit log: a change names ids, an item and a version —
no content — and organ systems poll it continuously; the record reads they lead to are.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.audit.service import record_row_event
from xinyong.core.actor import Actor
from xinyong.core.errors import InvalidInput, NotFound, PermissionDenied
from xinyong.core.permissions import require
from xinyong.core.rows import from_row
from xinyong.feed import egress, rules
from xinyong.feed import repository as repo
from xinyong.feed.models import ChangeEvent, WebhookSubscription
from xinyong.feed.schemas import (
    ChangePage,
    ChangeRead,
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryList,
    WebhookDeliveryRead,
    WebhookList,
    WebhookRead,
)
from xinyong.inquiry.models import InquiryChannel
from xinyong.inquiry.reads import log_look, seen_records
from xinyong.records.events import RecordChange

READ = "changes:read"
MAX_SUBSCRIPTIONS_PER_ORG = 20


#: What a use case says about one record it changed: the records context's own statement
#: (``records.events``), which the feed takes as it is.
ChangeSpec = RecordChange


def emit_changes(
    session: Session, *, audit_seq: int, at: datetime, changes: Sequence[ChangeSpec]
) -> None:
    """Append changes to the feed in the caller's transaction (no commit; one bulk insert).

    Call it right after the ``record_event`` of the same transaction, passing that entry's
    ``seq``: the feed is ordered by it, which is commit order.
    """
    repo.insert_changes(
        session,
        [
            {
                "audit_seq": audit_seq,
                "record_id": c.record_id,
                "subject_id": c.subject_id,
                "item_code": c.item_code,
                "version": c.version,
                "kind": str(c.kind),
                "provider_org_id": c.provider_org_id,
                "at": at,
            }
            for c in changes
        ],
    )


def change_read(c: ChangeEvent) -> ChangeRead:
    return from_row(ChangeRead, c, cursor=rules.encode_cursor(c.audit_seq, c.id), item=c.item_code)


def list_changes(
    session: Session,
    *,
    actor: Actor,
    after: str | None,
    at: datetime,
    limit: int = rules.DEFAULT_LIMIT,
) -> ChangePage:
    """``GET /changes``: up to ``limit`` changes after the cursor ``after``, in commit order.
    The changes of non-public records are a look at non-public information: one inquiry-log
    row per subject seen, in one bulk insert, committed before the page is answered (Art. 20,
    31)."""
    require(actor, READ)
    rules.check_limit(limit)
    position = rules.decode_cursor(after) if after else None
    found = repo.changes_after(
        session,
        after=position,
        limit=limit,
        role=actor.role.value,
        org_id=actor.org_id,
        authority_items=actor.items,
    )
    changes = [change_read(c) for c in found]
    seen = seen_records(session, [c.record_id for c in found])
    if log_look(session, actor=actor, channel=InquiryChannel.FEED, at=at, seen=seen):
        session.flush()
    return ChangePage(changes=changes, next=changes[-1].cursor if changes else after)


def _own_org(actor: Actor) -> int:
    require(actor, READ)
    if actor.org_id is None:
        raise PermissionDenied("账号不属于任何单位 / the account belongs to no organisation")
    return actor.org_id


def _read(sub: WebhookSubscription) -> WebhookRead:
    return WebhookRead.model_validate(sub, from_attributes=True)


def create_subscription(
    session: Session, *, actor: Actor, data: WebhookCreate, at: datetime
) -> WebhookCreated:
    """Subscribe the actor's organisation; it receives the changes made from now on."""
    org_id = _own_org(actor)
    try:
        egress.check_url(data.url, egress.policy_from_settings())
    except egress.DestinationRefused as exc:
        raise InvalidInput(
            str(exc),
            code="webhook_destination_refused",
            details=[{"field": "url", "reason": "destination refused"}],
        ) from exc
    items = sorted(set(data.item_codes)) if data.item_codes is not None else None
    if items is not None and actor.items is not None:
        outside = [i for i in items if i not in actor.items]
        if outside:
            raise PermissionDenied(
                f"信息项超出账号权限：{', '.join(outside)} / items outside your authority: "
                f"{', '.join(outside)}",
                details=[{"field": "item_codes", "reason": "outside authority", "items": outside}],
            )
    if len(repo.subscriptions_of(session, org_id)) >= MAX_SUBSCRIPTIONS_PER_ORG:
        raise InvalidInput(
            f"每个单位最多 {MAX_SUBSCRIPTIONS_PER_ORG} 个订阅 / at most "
            f"{MAX_SUBSCRIPTIONS_PER_ORG} subscriptions per organisation",
            code="too_many_subscriptions",
        )
    head_seq, head_id = repo.feed_head(session)
    sub = WebhookSubscription(
        org_id=org_id,
        url=data.url,
        secret=data.secret or secrets.token_hex(32),
        item_codes=items,
        active=True,
        created_by_id=actor.user_id,
        created_by_name=actor.display_name,
        owner_role=actor.role.value,
        authority_items=sorted(actor.items) if actor.items is not None else None,
        created_at=at,
        after_seq=head_seq,
        after_id=head_id,
    )
    session.add(sub)
    session.flush()
    record_row_event(
        session,
        sub,
        actor=actor,
        tag="feed:webhook:create",
        at=at,
        after={"url": sub.url, "item_codes": items, "org_id": org_id},
    )
    session.flush()
    return WebhookCreated(**_read(sub).model_dump(), secret=sub.secret)


def list_subscriptions(session: Session, *, actor: Actor) -> WebhookList:
    org_id = _own_org(actor)
    return WebhookList(items=[_read(s) for s in repo.subscriptions_of(session, org_id)])


def list_deliveries(
    session: Session, *, actor: Actor, subscription_id: int, limit: int = 100
) -> WebhookDeliveryList:
    """The delivery log of one of the organisation's subscriptions, newest first."""
    org_id = _own_org(actor)
    rules.check_limit(limit)
    sub = session.get(WebhookSubscription, subscription_id)
    if sub is None or sub.org_id != org_id:
        raise NotFound(f"没有订阅 {subscription_id} / no subscription {subscription_id}")
    rows = repo.deliveries_of(session, subscription_id, limit=limit)
    return WebhookDeliveryList(
        items=[WebhookDeliveryRead.model_validate(d, from_attributes=True) for d in rows]
    )
