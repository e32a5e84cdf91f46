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
from xinyong.web.deps import Acting, ActingDep, ActorDep, SessionDep, read_only

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
def draft(body: PurposeCreate, acting: ActingDep) -> PurposeManaged:
    return acting(purposes.draft_purpose, data=body)


@router.post("/purposes/{code}/publication")
def publish(code: str, acting: ActingDep) -> PurposeManaged:
    return acting(purposes.publish_purpose, code=code[:64])


@router.post("/purposes/{code}/retirement")
def retire(code: str, acting: ActingDep, body: RetirementBody | None = None) -> PurposeManaged:
    reason = body.reason if body else ""
    return acting(purposes.retire_purpose, code=code[:64], reason=reason)


@router.get("/inquiry-caps")
def caps(session: SessionDep, actor: ActorDep) -> CapsRead:
    return purposes.caps(session, actor=actor, default=harvesting_policy().daily_cap)


@router.put("/inquiry-caps/default")
def set_default_cap(body: CapSet, acting: ActingDep) -> CapsRead:
    return _set_cap(acting, body)


@router.put("/inquiry-caps/accounts/{user_id}")
def set_account_cap(
    user_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: CapSet, acting: ActingDep
) -> CapsRead:
    return _set_cap(acting, body, user_id=user_id)


def _set_cap(acting: Acting, body: CapSet, **whose: int) -> CapsRead:
    """The default cap, or an account's (``user_id``), against the policy's default."""
    default = harvesting_policy().daily_cap
    return acting(purposes.set_cap, per_day=body.per_day, default=default, **whose)
