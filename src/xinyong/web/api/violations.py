"""``/violations``: the violation register, for the credit office (Art. 44, 45; GOV-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from xinyong.violations import service
from xinyong.violations.schemas import ViolationPage
from xinyong.web.deps import ActorDep, SessionDep
from xinyong.web.params import Page

router = APIRouter(prefix="/violations", tags=["violations"])


@router.get("")
def list_violations(
    session: SessionDep,
    actor: ActorDep,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ViolationPage:
    return service.list_violations(session, actor=actor, kind=kind, page=page, per_page=per_page)
