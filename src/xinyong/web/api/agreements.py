"""``/agreements``: delivery agreements with non-public providers (Art. 14, 16; COL-2)."""

from __future__ import annotations

from fastapi import APIRouter

from xinyong.records import agreements
from xinyong.records.schemas import AgreementCreate, AgreementList, AgreementRead
from xinyong.web.deps import ActingDep

router = APIRouter(prefix="/agreements", tags=["agreements"])


@router.post("", status_code=201)
def add_agreement(data: AgreementCreate, acting: ActingDep) -> AgreementRead:
    """An item whose publicity is ``public`` → 422 ``item_not_agreeable`` (Art. 14)."""
    return acting(agreements.add_agreement, data=data)


@router.get("")
def list_agreements(acting: ActingDep) -> AgreementList:
    return acting(agreements.list_agreements)
