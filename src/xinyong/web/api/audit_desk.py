"""``/api/v1/audit``, the auditor's desk additions: the signed checkpoints, and a verification
run on demand (docs/api-additions.md)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from xinyong.audit import browse
from xinyong.audit.schemas import CheckpointRead
from xinyong.web.deps import ActingDep, ActorDep, SessionDep, SettingsDep

router = APIRouter(prefix="/audit", tags=["audit"])


class CheckpointList(BaseModel):
    items: list[CheckpointRead]


@router.get("/checkpoints")
def list_checkpoints(session: SessionDep, actor: ActorDep, settings: SettingsDep) -> CheckpointList:
    """Every signed checkpoint, the newest first (auditors)."""
    return CheckpointList(items=list(browse.checkpoints(session, actor=actor, settings=settings)))


@router.post("/verification")
def verify_now(acting: ActingDep, settings: SettingsDep) -> browse.VerificationRead:
    """Verify the whole log now, as ``xinyong audit verify`` does; the run is itself logged."""
    return acting(browse.verify_now, settings=settings)
