"""``/agreements``: delivery agreements with non-public providers (Art. 14, 16; COL-2)."""

from __future__ import annotations

from fastapi import APIRouter

from xinyong.records import agreements
from xinyong.records.schemas import AgreementCreate, AgreementList, AgreementRead
from xinyong.web.deps import ActorDep, ClockDep, SessionDep

router = APIRouter(prefix="/agreements", tags=["agreements"])


@router.post("", status_code=201)
def add_agreement(
    data: AgreementCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> AgreementRead:
    """An item whose publicity is ``public`` → 422 ``item_not_agreeable`` (Art. 14)."""
    return agreements.add_agreement(session, actor=actor, data=data, at=clock.now())


@router.get("")
def list_agreements(session: SessionDep, actor: ActorDep, clock: ClockDep) -> AgreementList:
    return agreements.list_agreements(session, actor=actor, at=clock.now())
