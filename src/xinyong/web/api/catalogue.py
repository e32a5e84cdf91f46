"""Catalogue of public credit information (CAT-1…4): anyone reads, the credit office manages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query

from xinyong.catalogue import service, sources
from xinyong.catalogue.models import Tier, VersionStatus
from xinyong.catalogue.schemas import (
    ItemCreate,
    ItemDetailRead,
    ItemRead,
    OpinionCreate,
    OpinionRead,
    PublishRequest,
    SourceCreate,
    SourceList,
    SourceRead,
    StepRequest,
    VersionChanges,
)
from xinyong.web.deps import ActorDep, ClockDep, SessionDep, read_only

router = APIRouter(prefix="/catalogue", tags=["catalogue"])

OptionalStep = Annotated[StepRequest | None, Body()]


@router.get("/items")
@read_only
def list_items(
    session: SessionDep,
    clock: ClockDep,
    status: Annotated[VersionStatus | None, Query()] = None,
    tier: Annotated[Tier | None, Query()] = None,
    sort: Annotated[str, Query()] = "code",
    order: Annotated[Literal["asc", "desc"], Query()] = "asc",
) -> dict[str, Any]:
    """Items in force (default), or each item's latest version with ``status``."""
    items = service.list_items(
        session, at=clock.now(), status=status, tier=tier, sort=sort, descending=order == "desc"
    )
    return {"items": [i.model_dump(mode="json") for i in items]}


@router.get("/items/{code}")
@read_only
def get_item(code: str, session: SessionDep, clock: ClockDep) -> ItemDetailRead:
    return service.item_detail(session, code=code, at=clock.now())


@router.post("/items", status_code=201)
def draft_item(body: ItemCreate, session: SessionDep, clock: ClockDep, actor: ActorDep) -> ItemRead:
    version = service.draft_item(session, actor=actor, data=body, at=clock.now())
    return service.to_read(version)


@router.post("/items/{code}/versions", status_code=201)
def new_version(
    code: str,
    session: SessionDep,
    clock: ClockDep,
    actor: ActorDep,
    body: Annotated[VersionChanges | None, Body()] = None,
) -> ItemRead:
    version = service.new_version_of(session, actor=actor, code=code, changes=body, at=clock.now())
    return service.to_read(version)


@router.post("/items/{code}/comment")
def open_comment(
    code: str, session: SessionDep, clock: ClockDep, actor: ActorDep, body: OptionalStep = None
) -> ItemRead:
    reason = body.reason if body else None
    version = service.open_public_comment(
        session, actor=actor, code=code, at=clock.now(), reason=reason
    )
    return service.to_read(version)


@router.post("/items/{code}/opinions", status_code=201)
def record_opinion(
    code: str, body: OpinionCreate, session: SessionDep, clock: ClockDep, actor: ActorDep
) -> OpinionRead:
    row = service.record_opinion(session, actor=actor, code=code, opinion=body, at=clock.now())
    return OpinionRead.model_validate(row, from_attributes=True)


@router.post("/items/{code}/report")
def report(
    code: str, session: SessionDep, clock: ClockDep, actor: ActorDep, body: OptionalStep = None
) -> ItemRead:
    reason = body.reason if body else None
    version = service.report_to_higher_authority(
        session, actor=actor, code=code, at=clock.now(), reason=reason
    )
    return service.to_read(version)


@router.post("/items/{code}/publish")
def publish(
    code: str, body: PublishRequest, session: SessionDep, clock: ClockDep, actor: ActorDep
) -> ItemRead:
    version = service.publish_item(
        session,
        actor=actor,
        code=code,
        effective_on=body.effective_on,
        at=clock.now(),
        reason=body.reason,
    )
    return service.to_read(version)


# --- collection sources (Art. 12 para. 2; Art. 25, 26) ----------------------------------------


@router.get("/items/{code}/sources")
def list_sources(
    code: str,
    session: SessionDep,
    actor: ActorDep,
    include_ended: Annotated[bool, Query()] = False,
) -> SourceList:
    return sources.list_sources(session, actor=actor, item_code=code, include_ended=include_ended)


@router.post("/items/{code}/sources", status_code=201)
def register_source(
    code: str, body: SourceCreate, session: SessionDep, clock: ClockDep, actor: ActorDep
) -> SourceRead:
    return sources.register_source(session, actor=actor, item_code=code, data=body, at=clock.now())


@router.delete("/items/{code}/sources/{org}")
def end_source(
    code: str,
    org: Annotated[str, Path(max_length=64)],
    reason: Annotated[str, Query(min_length=1, max_length=4000)],
    session: SessionDep,
    clock: ClockDep,
    actor: ActorDep,
) -> SourceRead:
    return sources.end_source(
        session, actor=actor, item_code=code, org_code=org, reason=reason, at=clock.now()
    )
