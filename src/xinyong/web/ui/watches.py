"""The watch pages (关注; issue 17 item 4): an inquirer or an institution lists the subjects it
watches, adds one and removes one, each after a confirmation page; the subject sees who watches
it beside who looked (``/me/inquiries``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import NotFound, XinyongError
from xinyong.core.identifiers import normalize_identifier
from xinyong.subjects.service import find_by_code
from xinyong.watches import service
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import PostedForm, Problem, problem_of, render_form

router = APIRouter(include_in_schema=False)

ROLES = frozenset({Role.INQUIRER, Role.INSTITUTION})
WatchesPage = Annotated[Actor, Depends(PageGate(ROLES))]


def _page(
    request: Request, session: Session, actor: Actor, *, subject: str = "",
    problem: Problem | None = None,
) -> Response:  # fmt: skip
    ctx = {
        "watches": service.list_watches(session, actor=actor), "subject": subject,
        "done": request.query_params.get("done", ""),
        "limit": request.app.state.settings.max_watches,
    }  # fmt: skip
    return render_form(request, "watches/list.html", ctx, problem)


@router.get("/watches", response_class=HTMLResponse)
def watches_page(request: Request, session: SessionDep, actor: WatchesPage) -> Response:
    return _page(request, session, actor)


@router.post("/watches", response_class=HTMLResponse)
def add_watch(
    request: Request, form: PostedForm, session: SessionDep, actor: WatchesPage, clock: ClockDep
) -> Response:
    """First POST: the confirmation page naming the subject; second (``confirm=1``): watch."""
    code = form.get("subject", "").strip()
    try:
        if form.get("confirm") != "1":
            subject = find_by_code(session, normalize_identifier(code)) if code else None
            if subject is None:
                raise NotFound(f"没有主体 {code} / no subject {code}")
            ctx = {"subject": subject, "action": "add"}
            return render(request, "watches/confirm.html", ctx)
        limit = request.app.state.settings.max_watches
        watch = service.add_watch(
            session, actor=actor, subject_code=code, at=clock.now(), limit=limit
        )
    except XinyongError as exc:
        session.rollback()
        return _page(request, session, actor, subject=code, problem=problem_of(exc))
    return RedirectResponse(f"/watches?done=added-{watch.id}", status_code=303)


@router.post("/watches/{watch_id}/end", response_class=HTMLResponse)
def end_watch(
    watch_id: Id, request: Request, form: PostedForm, session: SessionDep, actor: WatchesPage,
    clock: ClockDep,
) -> Response:  # fmt: skip
    """First POST: the confirmation page; second (``confirm=1``): stop watching."""
    try:
        if form.get("confirm") != "1":
            watch = next(
                (w for w in service.list_watches(session, actor=actor) if w.id == watch_id), None
            )
            if watch is None:
                raise NotFound(f"没有关注 {watch_id} / no watch {watch_id}")
            return render(request, "watches/confirm.html", {"watch": watch, "action": "end"})
        service.end_watch(session, actor=actor, watch_id=watch_id, at=clock.now())
    except XinyongError as exc:
        session.rollback()
        return _page(request, session, actor, problem=problem_of(exc))
    return RedirectResponse("/watches?done=ended", status_code=303)
