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
from xinyong.web.deps import ActingDep, ActorDep, SessionDep

router = APIRouter(prefix="/security", tags=["security"])


@router.get("/policy")
def get_policy(session: SessionDep, actor: ActorDep) -> SecurityPolicyRead:
    return second_factor.read_policy(session, actor=actor)


@router.put("/policy")
def put_policy(body: SecurityPolicyUpdate, acting: ActingDep) -> SecurityPolicyRead:
    return acting(second_factor.set_policy, **body.model_dump())


@router.get("/second-factors")
def list_factors(session: SessionDep, actor: ActorDep) -> dict[str, list[AccountFactorRead]]:
    return {"items": list(second_factor.factor_overview(session, actor=actor))}


@router.post("/second-factors/{username}/reset", status_code=204)
def reset_factor(username: str, body: FactorReset, acting: ActingDep) -> Response:
    acting(second_factor.reset, username=username, reason=body.reason)
    return Response(status_code=204)
