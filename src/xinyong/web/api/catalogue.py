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
from xinyong.web.deps import ActingDep, ActorDep, ClockDep, SessionDep, read_only

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
def draft_item(body: ItemCreate, acting: ActingDep) -> ItemRead:
    return service.to_read(acting(service.draft_item, data=body))


@router.post("/items/{code}/versions", status_code=201)
def new_version(
    code: str, acting: ActingDep, body: Annotated[VersionChanges | None, Body()] = None
) -> ItemRead:
    return service.to_read(acting(service.new_version_of, code=code, changes=body))


@router.post("/items/{code}/comment")
def open_comment(code: str, acting: ActingDep, body: OptionalStep = None) -> ItemRead:
    reason = body.reason if body else None
    return service.to_read(acting(service.open_public_comment, code=code, reason=reason))


@router.post("/items/{code}/opinions", status_code=201)
def record_opinion(code: str, body: OpinionCreate, acting: ActingDep) -> OpinionRead:
    row = acting(service.record_opinion, code=code, opinion=body)
    return OpinionRead.model_validate(row, from_attributes=True)


@router.post("/items/{code}/report")
def report(code: str, acting: ActingDep, body: OptionalStep = None) -> ItemRead:
    reason = body.reason if body else None
    return service.to_read(acting(service.report_to_higher_authority, code=code, reason=reason))


@router.post("/items/{code}/publish")
def publish(code: str, body: PublishRequest, acting: ActingDep) -> ItemRead:
    version = acting(
        service.publish_item, code=code, effective_on=body.effective_on, reason=body.reason
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
def register_source(code: str, body: SourceCreate, acting: ActingDep) -> SourceRead:
    return acting(sources.register_source, item_code=code, data=body)


@router.delete("/items/{code}/sources/{org}")
def end_source(
    code: str,
    org: Annotated[str, Path(max_length=64)],
    reason: Annotated[str, Query(min_length=1, max_length=4000)],
    acting: ActingDep,
) -> SourceRead:
    return acting(sources.end_source, item_code=code, org_code=org, reason=reason)
