"""``/security``: the security administrator's policy and second-factor resets (PLT-1)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from xinyong.accounts import second_factor
from xinyong.accounts.schemas import (
    AccountFactorRead,
    FactorReset,
    SecurityPolicyRead,
    SecurityPolicyUpdate,
)
from xinyong.web.deps import ActorDep, ClockDep, SessionDep

router = APIRouter(prefix="/security", tags=["security"])


@router.get("/policy")
def get_policy(session: SessionDep, actor: ActorDep) -> SecurityPolicyRead:
    return second_factor.read_policy(session, actor=actor)


@router.put("/policy")
def put_policy(
    body: SecurityPolicyUpdate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> SecurityPolicyRead:
    return second_factor.set_policy(
        session, actor=actor, require_totp_for_admins=body.require_totp_for_admins, at=clock.now()
    )


@router.get("/second-factors")
def list_factors(session: SessionDep, actor: ActorDep) -> dict[str, list[AccountFactorRead]]:
    return {"items": list(second_factor.factor_overview(session, actor=actor))}


@router.post("/second-factors/{username}/reset", status_code=204)
def reset_factor(
    username: str, body: FactorReset, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> Response:
    second_factor.reset(session, actor=actor, username=username, reason=body.reason, at=clock.now())
    return Response(status_code=204)
