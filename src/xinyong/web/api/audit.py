"""``/api/v1/audit``: the audit log for auditors (PLT-2) — checkpoints, entries, proofs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from xinyong.audit import service as audit
from xinyong.audit.schemas import (
    CheckpointRead,
    ConsistencyProofRead,
    EntryPage,
    InclusionProofRead,
)
from xinyong.core.bounds import MAX_INT
from xinyong.web.deps import ActingDep, ActorDep, SessionDep, SettingsDep

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("/checkpoint")
def checkpoint(session: SessionDep, settings: SettingsDep) -> CheckpointRead:
    """The latest signed tree head, for anyone: keep a copy, and ``xinyong audit verify
    --checkpoint FILE`` proves the log still extends it (404 ``no_checkpoint`` before the
    first one)."""
    return audit.get_checkpoint(session, settings=settings)


@router.post("/checkpoint")
def take_checkpoint(acting: ActingDep, settings: SettingsDep) -> CheckpointRead:
    """Auditors: sign a checkpoint of the log as it stands now (also witnessed on disk)."""
    return acting(audit.take_checkpoint, settings=settings)


@router.get("/entries")
def entries(
    acting: ActingDep,
    after: Annotated[int, Query(ge=-1, le=MAX_INT)] = -1,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_PAGE)] = 100,
) -> EntryPage:
    """Entries with seq greater than ``after``, in order; this read is itself recorded."""
    return acting(audit.list_entries, after=after, limit=limit)


@router.get("/proofs/inclusion")
def inclusion(
    session: SessionDep,
    actor: ActorDep,
    seq: Annotated[int, Query(ge=0, le=MAX_INT)],
    size: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
) -> InclusionProofRead:
    return audit.inclusion_proof(session, actor=actor, seq=seq, size=size)


@router.get("/proofs/consistency")
def consistency(
    session: SessionDep,
    actor: ActorDep,
    first: Annotated[int, Query(ge=0, le=MAX_INT)],
    second: Annotated[int, Query(ge=0, le=MAX_INT)],
) -> ConsistencyProofRead:
    return audit.consistency_proof(session, actor=actor, first=first, second=second)
