"""Interconnection (COL-4; Art. 6): ``/changes`` feed, ``/webhooks``, and the 双公示 export
``/records/export.csv`` (list this module before ``records`` so that ``export.csv`` is not
taken for a record id)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from xinyong.feed import rules, service
from xinyong.feed.export import export_records
from xinyong.feed.schemas import (
    ChangePage,
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryList,
    WebhookList,
)
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.params import Id

router = APIRouter(tags=["interconnection"])


@router.get("/changes")
def changes(
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    after: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=rules.MAX_LIMIT)] = rules.DEFAULT_LIMIT,
) -> ChangePage:
    """Changes after the cursor ``after``, in commit order; ``next`` continues from there."""
    return service.list_changes(session, actor=actor, after=after, at=clock.now(), limit=limit)


@router.post("/webhooks", status_code=201)
def subscribe(
    body: WebhookCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> WebhookCreated:
    """Subscribe your organisation; the answer holds the signing secret, shown only here."""
    return service.create_subscription(session, actor=actor, data=body, at=clock.now())


@router.get("/webhooks")
def subscriptions(session: SessionDep, actor: ActorDep) -> WebhookList:
    return service.list_subscriptions(session, actor=actor)


@router.get("/webhooks/{subscription_id}/deliveries")
def deliveries(
    subscription_id: Id,
    session: SessionDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=rules.MAX_LIMIT)] = 100,
) -> WebhookDeliveryList:
    return service.list_deliveries(
        session, actor=actor, subscription_id=subscription_id, limit=limit
    )


@router.get("/records/export.csv")
def export(
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    item: Annotated[str, Query(min_length=1, max_length=64)],
    org: Annotated[str | None, Query(max_length=64)] = None,
    headers: Literal["code", "zh"] = "code",
) -> StreamingResponse:
    """Current versions of active records of ``item`` in the 双公示 layout, streamed."""
    lines = export_records(
        session, actor=actor, item_code=item, at=clock.now(), org_code=org, headers=headers
    )
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{item}.csv"'},
    )
