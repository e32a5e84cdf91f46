"""Publicity (DIS-1…3): anyone searches subjects and reads their public records — served from
the publication store (issue 15), where each answer is stored already serialised."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from xinyong.disclosure.schemas import PublicSearchRead, PublicSubjectRead
from xinyong.publication import service
from xinyong.publication.schemas import ListKind, PublicLists
from xinyong.web.kept import kept_on
from xinyong.web.params import Page
from xinyong.web.public_store import PublicSessionDep, SubjectReaderDep

router = APIRouter(prefix="/public", tags=["public"])

#: Bytes of search answers a process keeps (an answer is up to a few kilobytes).
SEARCH_BUDGET = 16 * 1024 * 1024


@router.get("/subjects", response_model=PublicSearchRead)
# ``async``: a few indexed reads of the store in the event loop, no hand-off to a worker
# thread, and the stored briefs sent as stored (issue 16 item 1). An answer is kept by the
# process under how far the store is published (``SubjectReader.published``): the same
# question asked again before the next publication gets the same bytes without the index walk;
# after it, a new key, so a kept answer is never older than the store.
async def search_subjects(
    request: Request,
    find: SubjectReaderDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = 20,
    page: Page = 1,
) -> Response:
    """By exact code (persons: full identity number only) or a name fragment of 2+ characters."""
    kept = kept_on(request.app.state, "kept_searches", SEARCH_BUDGET)
    key = (find.published(), q, limit, page)
    body = kept.get(key)
    if body is None:
        body = service.public_search_json(find, q=q, limit=limit, page=page).encode()
        kept.put(key, body)
    return Response(body, media_type="application/json")


@router.get("/subjects/{code}", response_model=PublicSubjectRead)
# ``async``: one primary-key lookup of the stored, serialised answer, run in the event loop
# without a hand-off to a worker thread, and without a session (issue 16 item 1).
async def public_subject(code: str, find: SubjectReaderDep) -> Response:
    """Only public items inside their windows, masked, each with ``under_objection``."""
    body = service.public_subject_json(find, code=code)
    return Response(body, media_type="application/json")


@router.get("/lists")
def public_lists(session: PublicSessionDep, kind: ListKind | None = None) -> PublicLists:
    """The serious-dishonesty list and the red list in force (entries the public is served)."""
    return service.public_lists(session, kind=kind)
