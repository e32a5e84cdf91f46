"""Publicity (DIS-1…3): anyone searches subjects and reads their public records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from xinyong.disclosure import service
from xinyong.disclosure.schemas import PublicSearchRead, PublicSubjectRead
from xinyong.web.deps import ClockDep, SessionDep, read_only
from xinyong.web.params import Page

router = APIRouter(prefix="/public", tags=["public"])


@router.get("/subjects")
@read_only
def search_subjects(
    session: SessionDep,
    clock: ClockDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = 20,
    page: Page = 1,
) -> PublicSearchRead:
    """By exact code (persons: full identity number only) or a name fragment of 2+ characters."""
    return service.public_search(session, q=q, at=clock.now(), limit=limit, page=page)


@router.get("/subjects/{code}")
@read_only
def public_subject(code: str, session: SessionDep, clock: ClockDep) -> PublicSubjectRead:
    """Only public items inside their windows, masked, each with ``under_objection``."""
    return service.public_subject(session, code=code, at=clock.now())
