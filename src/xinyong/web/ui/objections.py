"""Objection pages (Art. 32; RGT-2, PLT-4; DESIGN §6): a subject files and follows its
objections; a provider (or the credit office) handles them by due date; everyone's inbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.catalogue import service as catalogue
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import XinyongError
from xinyong.documents import service as documents
from xinyong.objections import scope, service
from xinyong.objections.rules import HANDLING_CHANNELS
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import Problem, problem_of

router = APIRouter(include_in_schema=False)

SUBJECT = frozenset({Role.SUBJECT})
HANDLERS = frozenset({Role.PROVIDER, Role.INSTITUTION, Role.CREDIT_OFFICE})
ALL = frozenset(Role) - {Role.PUBLIC}
AllPage = Annotated[Actor, Depends(PageGate(ALL))]
HandlersPage = Annotated[Actor, Depends(PageGate(HANDLERS))]
SubjectPage = Annotated[Actor, Depends(PageGate(SUBJECT))]
Text = Annotated[str, Form(max_length=4000)]


def _mine(
    request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep, **extra: object
) -> Response:
    ctx = {
        "records": service.my_records(session, actor=actor),
        "objections": service.list_objections(session, actor=actor, at=clock.now()).items,
        "selected": request.query_params.get("record", ""),
        "items": catalogue.list_items(session, at=clock.now()),
        "channels": HANDLING_CHANNELS,
        **extra,
    }
    return render(
        request, "objections/mine.html", ctx, status_code=int(str(extra.get("status", 200)))
    )


@router.get("/me/objections", response_class=HTMLResponse)
def my_objections(
    request: Request, session: SessionDep, actor: SubjectPage, clock: ClockDep
) -> Response:
    return _mine(request, session, actor, clock)


@router.post("/me/objections", response_class=HTMLResponse)
def file_objection(
    request: Request, _csrf: CsrfDep, session: SessionDep, actor: SubjectPage, clock: ClockDep,
    record_id: Annotated[int, Form()], reason: Text = "",
) -> Response:  # fmt: skip
    try:
        filed, _ = service.file_objection(
            session, actor=actor, record_id=record_id, reason=reason, at=clock.now()
        )
    except XinyongError as exc:
        problem = problem_of(exc)
        return _mine(
            request, session, actor, clock, problem=problem, status=problem.status, reason=reason
        )
    return RedirectResponse(f"/objections/{filed.id}?done=filed", status_code=303)


@router.post("/me/objections/other", response_class=HTMLResponse)
def file_other_objection(
    request: Request, _csrf: CsrfDep, session: SessionDep, actor: SubjectPage, clock: ClockDep,
    kind: Annotated[str, Form(max_length=16)] = "", item: Annotated[str, Form(max_length=64)] = "",
    channel: Annotated[str, Form(max_length=32)] = "", reason: Text = "",
) -> Response:  # fmt: skip
    """An omission or handling objection (Art. 32 ¶1)."""
    try:
        filed, _ = scope.file_scope_objection(
            session, actor=actor, kind=kind, item=item or None, channel=channel or None,
            reason=reason, at=clock.now(),
        )  # fmt: skip
    except XinyongError as exc:
        problem = problem_of(exc)
        return _mine(request, session, actor, clock, problem=problem, status=problem.status)
    return RedirectResponse(f"/objections/{filed.id}?done=filed", status_code=303)


@router.get("/objections", response_class=HTMLResponse)
def handle_list(
    request: Request, session: SessionDep, actor: HandlersPage, clock: ClockDep
) -> Response:
    items = service.list_objections(session, actor=actor, at=clock.now()).items
    return render(request, "objections/list.html", {"objections": items})


def _detail(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    objection_id: Id,
    **extra: object,
) -> Response:
    objection = service.get_objection(
        session, actor=actor, objection_id=objection_id, at=clock.now()
    )
    ctx = {
        "o": objection,
        "handler": actor.role in HANDLERS,
        "done": request.query_params.get("done"),
        **extra,
    }
    return render(
        request, "objections/detail.html", ctx, status_code=int(str(extra.get("status", 200)))
    )


@router.get("/objections/{objection_id}", response_class=HTMLResponse)
def detail(
    request: Request, objection_id: Id, session: SessionDep, actor: AllPage, clock: ClockDep
) -> Response:
    return _detail(request, session, actor, clock, objection_id)


@router.post("/objections/{objection_id}/assistance", response_class=HTMLResponse)
def assistance(
    request: Request, objection_id: Id, _csrf: CsrfDep, session: SessionDep, actor: HandlersPage,
    clock: ClockDep, assisting_unit: Annotated[str, Form(max_length=300)] = "",
) -> Response:  # fmt: skip
    service.request_assistance(
        session,
        actor=actor,
        objection_id=objection_id,
        at=clock.now(),
        assisting_unit=assisting_unit,
    )
    return RedirectResponse(f"/objections/{objection_id}?done=assistance", status_code=303)


@router.post("/objections/{objection_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request, objection_id: Id, _csrf: CsrfDep, session: SessionDep, actor: HandlersPage,
    clock: ClockDep, outcome: Text = "", reason: Text = "", confirm: Text = "",
) -> Response:  # fmt: skip
    """First post: the confirmation page; the confirmed post decides (irreversible step)."""
    if outcome not in ("upheld", "rejected") or not reason.strip():
        message = "请选择处理结果并说明理由 / choose the outcome and give the reasons"
        problem = Problem(422, message, [])
        return _detail(request, session, actor, clock, objection_id, problem=problem, status=422)
    if confirm != "1":
        objection = service.get_objection(
            session, actor=actor, objection_id=objection_id, at=clock.now()
        )
        ctx = {"o": objection, "outcome": outcome, "reason": reason.strip()}
        return render(request, "objections/confirm.html", ctx)
    try:
        service.decide_objection(
            session, actor=actor, objection_id=objection_id, outcome=outcome, reason=reason,
            at=clock.now(),
        )  # fmt: skip
    except XinyongError as exc:
        problem = problem_of(exc)
        return _detail(
            request, session, actor, clock, objection_id, problem=problem, status=problem.status
        )
    return RedirectResponse(f"/objections/{objection_id}?done=decided", status_code=303)


@router.get("/me/inbox", response_class=HTMLResponse)
def inbox(request: Request, session: SessionDep, actor: AllPage) -> Response:
    return render(request, "documents/inbox.html", {"box": documents.inbox(session, actor=actor)})
