"""``/office/jobs``: the periodic jobs, their last and next runs and failures (issue 15 item 4)."""

from __future__ import annotations

from fastapi import APIRouter

from xinyong.core.clock import Clock
from xinyong.ops import service
from xinyong.ops.schemas import JobsRead
from xinyong.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/office", tags=["operations"])


@router.get("/jobs")
def jobs(session: SessionDep, actor: ActorDep) -> JobsRead:
    """Every periodic job (credit office). Leases follow the running clock, not a frozen one."""
    return service.list_jobs(session, actor=actor, at=Clock().now())
