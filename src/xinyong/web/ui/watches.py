"""The watch pages (关注; issue 17 item 4): an inquirer or an institution lists the subjects it
watches, adds one and removes one, each after a confirmation page; the subject sees who watches
it beside who looked (``/me/inquiries``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import NotFound
from xinyong.core.identifiers import normalize_identifier
from xinyong.subjects.service import find_by_code
from xinyong.watches import service
from xinyong.web.deps import SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id
from xinyong.web.ui.components import PageGate, Posted, Problem, form_route, render_form

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


def add_watch(p: Posted) -> Response | str:
    """First POST: the confirmation page naming the subject; second (``confirm=1``): watch."""
    code = p.text("subject")
    if p.form.get("confirm") != "1":
        subject = find_by_code(p.session, normalize_identifier(code)) if code else None
        if subject is None:
            raise NotFound(f"没有主体 {code} / no subject {code}")
        return render(p.request, "watches/confirm.html", {"subject": subject, "action": "add"})
    limit = p.request.app.state.settings.max_watches
    watch = service.add_watch(
        p.session, actor=p.actor, subject_code=code, at=p.clock.now(), limit=limit
    )
    return f"/watches?done=added-{watch.id}"


form_route(
    router, "/watches", WatchesPage, act=add_watch,
    again=lambda p, problem: _page(
        p.request, p.session, p.actor, subject=p.text("subject"), problem=problem
    ),
)  # fmt: skip


def _watch_id(watch_id: Id) -> int:
    return watch_id


def end_watch(p: Posted) -> Response | str:
    """First POST: the confirmation page; second (``confirm=1``): stop watching."""
    if p.form.get("confirm") != "1":
        watches = service.list_watches(p.session, actor=p.actor)
        watch = next((w for w in watches if w.id == p.key), None)
        if watch is None:
            raise NotFound(f"没有关注 {p.key} / no watch {p.key}")
        return render(p.request, "watches/confirm.html", {"watch": watch, "action": "end"})
    service.end_watch(p.session, actor=p.actor, watch_id=p.key, at=p.clock.now())
    return "/watches?done=ended"


form_route(
    router, "/watches/{watch_id}/end", WatchesPage, _watch_id, act=end_watch,
    again=lambda p, problem: _page(p.request, p.session, p.actor, problem=problem),
)  # fmt: skip
