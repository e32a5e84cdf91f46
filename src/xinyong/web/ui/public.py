"""Publicity pages (DIS-1…3; PLT-3): search, a subject's page with a tab per category under a
header card of its registration, the public lists in force, and the query-service standard
(Art. 17; DIS-2). Masked like the API (DIS-3); everything read from the publication store.

A natural person is found only by the full identity number; the page then shows the person
in place rather than linking to a URL that carries the number, and the language switch of such
a page returns to the empty search, so that no full identity number is ever written into HTML.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.core import identifiers as ids
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.disclosure import service as disclosure
from xinyong.disclosure.schemas import DisclosedRecord, PublicSubjectRead
from xinyong.disclosure.tabs import TABS
from xinyong.publication import service
from xinyong.publication.schemas import PublicListEntry, PublicListsQuery
from xinyong.web.deps import ActorDep, read_only
from xinyong.web.pages import render, render_shared
from xinyong.web.public_store import PublicSessionDep, SubjectReaderDep
from xinyong.web.ui.components import TableQuery, TableSpec
from xinyong.web.ui.support import csv_response, paged

router = APIRouter(include_in_schema=False)

PERSON = "natural_person"
SEARCH = "/public/search"
REGISTRATION = "registration_basic"
LISTS_PER_PAGE = 20


def registration_of(data: PublicSubjectRead) -> DisclosedRecord | None:
    """The subject's newest public registration record (the header card's source), if any:
    only what the disclosure policy served the public is in ``data``."""
    found = [r for r in data.records if r.item == REGISTRATION]
    return max(found, key=lambda r: (r.decided_on or date.min, r.id), default=None)


def _subject_context(data: PublicSubjectRead) -> dict[str, Any]:
    """Tabs are in-page anchors (``#tab-penalties``), shown one at a time by CSS ``:target``:
    no query string, so a person's page never needs the identity number in a link."""
    by_tab: dict[str, list[Any]] = {t: [] for t in TABS}
    for record in data.records:
        by_tab.setdefault(record.tab, []).append(record)
    shown = [t for t in TABS if t != "other" or by_tab["other"]]
    first = next((t for t in shown if by_tab[t]), shown[0])
    ctx: dict[str, Any] = {"data": data, "tabs": shown, "by_tab": by_tab, "first": first,
                           "registration": registration_of(data)}  # fmt: skip
    if data.subject.type == PERSON:
        ctx["lang_next"] = SEARCH
    return ctx


def _search(request: Request, session: Session, q: str, page: int) -> Response:
    ctx: dict[str, Any] = {"q": disclosure.scrub(q), "result": None, "error": None}
    if q.strip():
        try:
            result = service.public_search(session, q=q, page=page)
        except InvalidInput as exc:
            ctx["error"] = exc.message
            return render(request, "public/search.html", ctx, status_code=422)
        ctx["result"] = result
        if result.matched_by == "code" and not result.items:
            # An invalid identifier names what is wrong, e.g. the expected check character.
            ctx["code_hint"] = ids.invalid_hint(q)
        if result.matched_by == "code" and result.items:
            if result.items[0].type != PERSON:
                return RedirectResponse(f"/public/subjects/{result.items[0].code}", 303)
            data = service.public_subject(session, code=q)
            return render(request, "public/subject.html", _subject_context(data))
    if ctx["q"] != q:
        ctx["lang_next"] = SEARCH
    return render(request, "public/search.html", ctx)


@router.get("/public/search", response_class=HTMLResponse)
@read_only
def search_page(
    request: Request,
    session: PublicSessionDep,
    actor: ActorDep,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    return _search(request, session, q, page)


# ``async``: one primary-key lookup in the store and a render, no hand-off to a worker thread
# (issue 16 item 1).
@router.get("/public/subjects/{code}", response_class=HTMLResponse)
@read_only
async def subject_page(
    request: Request,
    code: str,
    find: SubjectReaderDep,
    actor: ActorDep,
) -> HTMLResponse:
    try:
        document = service.public_subject_json(find, code=code)
    except NotFound as exc:
        # Rendered here rather than by the shared error handler, whose language switch would
        # write this path — possibly a full identity number — back into the page.
        ctx = {"status": 404, "code": exc.code, "message": exc.message, "lang_next": SEARCH}
        return render(request, "error.html", ctx, status_code=404)

    def context() -> dict[str, Any]:
        return _subject_context(PublicSubjectRead.model_validate_json(document))

    # The stored document is the page's content: rendered once per document and language.
    return render_shared(request, "public/subject.html", context, key=document)


@router.get("/public/standard", response_class=HTMLResponse)
def standard_page(request: Request, actor: ActorDep) -> HTMLResponse:
    return render(request, "public/standard.html")


# --- the public lists in force (issue 14 item 7) ----------------------------------------------

ListsQuery = Annotated[TableQuery[PublicListsQuery], Depends(TableSpec(PublicListsQuery))]
LISTS_CSV = ("list", "subject", "code", "type", "decided_on", "until", "organ", "basis",
             "document_no", "title")  # fmt: skip


def _lists(session: Session, q: TableQuery[PublicListsQuery]) -> list[PublicListEntry]:
    f = q.filters
    return service.public_lists(
        session, kind=f.kind, sort=f.sort, descending=f.order == "desc"
    ).items


@router.get("/public/lists", response_class=HTMLResponse)
@read_only
def lists_page(
    request: Request, q: ListsQuery, session: PublicSessionDep, actor: ActorDep
) -> HTMLResponse:
    entries = _lists(session, q)
    items, page, pages = paged(entries, q.page, LISTS_PER_PAGE)
    table = q.table(request.url.path, pages=pages, total=len(entries), page=page)
    ctx = {"items": items, "table": table, "filters": q.values(), "q": q,
           "kinds": service.LIST_KINDS}  # fmt: skip
    return render(request, "public/lists.html", ctx)


@router.get("/public/lists.csv")
@read_only
def lists_csv(q: ListsQuery, session: PublicSessionDep, actor: ActorDep) -> Response:
    rows = (
        (e.kind, e.subject.name, e.subject.code, e.subject.type, e.decided_on.isoformat(),
         e.until.isoformat() if e.until else None, e.organ, e.basis, e.document_no, e.title)
        for e in _lists(session, q)
    )  # fmt: skip
    return csv_response("public-lists.csv", LISTS_CSV, rows)
