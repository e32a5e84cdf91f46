"""``GET /identifiers/check`` (SUB-2): anyone may check a USCC or resident number."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from xinyong.subjects import service
from xinyong.subjects.schemas import IdentifierCheckRead
from xinyong.web.deps import SessionDep

router = APIRouter(tags=["identifiers"])


@router.get("/identifiers/check", response_model=IdentifierCheckRead)
def check_identifier(
    session: SessionDep, value: Annotated[str, Query(min_length=1, max_length=200)]
) -> IdentifierCheckRead:
    """An invalid value is a 200 with ``valid: false`` and ``error`` saying what is wrong."""
    return IdentifierCheckRead.model_validate(service.check_identifier(session, value))
