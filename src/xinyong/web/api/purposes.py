"""``/purposes`` (Art. 19 ¶3: the published inquiry purposes and check matters, and their
lifecycle for the credit office) and ``/inquiry-caps`` (Art. 18: inquirers' daily caps)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from xinyong.inquiry import purposes
from xinyong.inquiry.purpose_schemas import (
    CapSet,
    CapsRead,
    PurposeCreate,
    PurposeList,
    PurposeManaged,
    PurposeManagedList,
)
from xinyong.inquiry.ratelimit import harvesting_policy
from xinyong.web.deps import ActorDep, ClockDep, SessionDep, read_only

router = APIRouter(tags=["purposes"])


class RetirementBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=2000)


@router.get("/purposes")
@read_only
def published(session: SessionDep) -> PurposeList:
    """Inquiry purposes and check matters in force, with their legal basis (anyone)."""
    return purposes.published_purposes(session)


@router.get("/purposes/lifecycle")
def lifecycle(session: SessionDep, actor: ActorDep) -> PurposeManagedList:
    return purposes.managed_purposes(session, actor=actor)


@router.post("/purposes", status_code=201)
def draft(
    body: PurposeCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> PurposeManaged:
    return purposes.draft_purpose(session, actor=actor, data=body, at=clock.now())


@router.post("/purposes/{code}/publication")
def publish(code: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> PurposeManaged:
    return purposes.publish_purpose(session, actor=actor, code=code[:64], at=clock.now())


@router.post("/purposes/{code}/retirement")
def retire(
    code: str, session: SessionDep, actor: ActorDep, clock: ClockDep,
    body: RetirementBody | None = None,
) -> PurposeManaged:  # fmt: skip
    reason = body.reason if body else ""
    return purposes.retire_purpose(
        session, actor=actor, code=code[:64], at=clock.now(), reason=reason
    )


@router.get("/inquiry-caps")
def caps(session: SessionDep, actor: ActorDep) -> CapsRead:
    return purposes.caps(session, actor=actor, default=harvesting_policy().daily_cap)


@router.put("/inquiry-caps/default")
def set_default_cap(
    body: CapSet, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> CapsRead:
    return purposes.set_cap(
        session, actor=actor, per_day=body.per_day, at=clock.now(),
        default=harvesting_policy().daily_cap,
    )  # fmt: skip


@router.put("/inquiry-caps/accounts/{user_id}")
def set_account_cap(
    user_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: CapSet,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
) -> CapsRead:
    return purposes.set_cap(
        session, actor=actor, per_day=body.per_day, at=clock.now(), user_id=user_id,
        default=harvesting_policy().daily_cap,
    )  # fmt: skip
