"""Pages of the serious dishonesty list procedure and the red list (DESIGN §6; Art. 22, 25–27,
29, 36; LST-1…4, MEA-4).

The credit office (and a proposing organ, for its own proposals) sees the procedures by next
deadline, with working days left, red once overdue; a procedure page shows every step with its
deadline and document, and the form of the next step. Every step is one-way: its form posts to
a confirmation page that repeats what will happen, and only ``confirm=1`` performs it. The
subject sees its entries and procedures and may state, defend itself or object. Anyone sees
the red list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.lists import service
from xinyong.lists.models import ListGround, ServiceMethod
from xinyong.lists.rules import GROUND_TEXTS
from xinyong.lists.schemas import (
    DecisionCreate,
    ProcedureCreate,
    ProcedureRead,
    RedListCreate,
    ServiceCreate,
)
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import FormFields, Problem, problem_of, render_form

router = APIRouter(include_in_schema=False)

STAFF = frozenset({Role.CREDIT_OFFICE, Role.INQUIRER})
READERS = frozenset({Role.CREDIT_OFFICE, Role.INQUIRER, Role.SUBJECT})
OfficePage = Annotated[Actor, Depends(PageGate(Role.CREDIT_OFFICE))]
ReadersPage = Annotated[Actor, Depends(PageGate(READERS))]
StaffPage = Annotated[Actor, Depends(PageGate(STAFF))]
SubjectPage = Annotated[Actor, Depends(PageGate(Role.SUBJECT))]
GROUNDS = [(g.value, GROUND_TEXTS[g][0], GROUND_TEXTS[g][1]) for g in ListGround]


def _problem(exc: Exception) -> Problem:
    if isinstance(exc, XinyongError):
        return problem_of(exc)
    # Pydantic's ValidationError is a ValueError: a field the form let through malformed.
    return Problem(422, "请检查填写的内容 / check what you entered", [str(exc).splitlines()[0]])


def _text(form: dict[str, str], name: str) -> str:
    value = form.get(name, "").strip()
    if not value:
        raise InvalidInput(
            f"请填写“{name}” / {name} is required",
            details=[{"field": name, "reason": "required"}],
        )
    return value


def _day(form: dict[str, str], name: str) -> date | None:
    raw = form.get(name, "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise InvalidInput(
            f"日期格式应为 YYYY-MM-DD / {name}: a date is YYYY-MM-DD",
            details=[{"field": name, "reason": "not a date"}],
        ) from exc


def _removal(s: Session, *, actor: Actor, procedure_id: int, at: datetime, reason: str) -> object:
    entry = service.get_procedure(s, actor=actor, procedure_id=procedure_id, at=at).entry
    if entry is None:
        raise InvalidInput("该程序没有名单条目 / the procedure has no entry")
    return service.end_entry_early(s, actor=actor, entry_id=entry.id, reason=reason, at=at)


def _reason(f: dict[str, str]) -> dict[str, Any]:
    return {"reason": _text(f, "reason")}


#: A step of a procedure: the service (called with the session and ``actor``, ``procedure_id``,
#: ``at``) and what the step's form gives it, by keyword.
Step = tuple[Callable[..., object], Callable[[dict[str, str]], dict[str, Any]]]

STEPS: dict[str, Step] = {
    "notice": (service.send_prior_notice, _reason),
    "statement": (
        service.record_statement,
        lambda f: {"kind": f.get("kind", "statement"), "text": _text(f, "text")},
    ),
    "objection": (service.file_procedure_objection, lambda f: {"text": _text(f, "text")}),
    "answer": (
        service.answer_objection,
        lambda f: {"outcome": f.get("outcome", ""), "answer": _text(f, "answer")},
    ),
    "decision": (
        service.decide,
        lambda f: {
            "data": DecisionCreate(reasons=_text(f, "reasons"), measures=_text(f, "measures"))
        },
    ),
    "service": (
        service.record_service,
        lambda f: {
            "data": ServiceCreate(
                method=ServiceMethod(f.get("method") or "platform"),
                served_on=_day(f, "served_on"),
                note=f.get("note", "").strip(),
            )
        },
    ),
    "publication": (service.publish_entry, _reason),
    "drop": (service.drop_procedure, _reason),
    "removal": (_removal, _reason),
}


@router.get("/lists", response_class=HTMLResponse)
def procedures_page(
    request: Request, session: SessionDep, actor: StaffPage, clock: ClockDep, state: str = ""
) -> Response:
    found = service.list_procedures(session, actor=actor, at=clock.now(), state=state or None)
    return render(request, "lists/procedures.html", {"rows": found.items, "state": state})


def _new_page(
    request: Request, *, form: dict[str, str] | None = None, problem: Problem | None = None
) -> Response:
    ctx = {"form": form or {}, "grounds": GROUNDS}
    return render_form(request, "lists/new.html", ctx, problem)


@router.get("/lists/new", response_class=HTMLResponse)
def new_page(request: Request, actor: StaffPage) -> Response:
    return _new_page(request)


@router.post("/lists/new")
def propose(
    request: Request, _csrf: CsrfDep, form: FormFields, session: SessionDep, actor: StaffPage,
    clock: ClockDep,
) -> Response:  # fmt: skip
    try:
        data = ProcedureCreate(
            subject=_text(form, "subject"),
            ground=ListGround(form.get("ground") or "other_statutory"),
            legal_basis=_text(form, "legal_basis"), facts=_text(form, "facts"),
            legal_representative=form.get("legal_representative", "").strip() or None,
            period_months=int(form["period_months"]) if form.get("period_months") else None,
        )  # fmt: skip
        created = service.propose(session, actor=actor, data=data, at=clock.now())
    except (XinyongError, ValueError) as exc:
        return _new_page(request, form=form, problem=_problem(exc))
    return RedirectResponse(f"/lists/procedures/{created.id}?done=proposed", status_code=303)


def _procedure_page(
    request: Request, session: Session, actor: Actor, clock_now: datetime, pid: int, *,
    done: str = "", problem: Problem | None = None, form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    p = service.get_procedure(session, actor=actor, procedure_id=pid, at=clock_now)
    ctx = {
        "p": p, "done": done, "form": form or {},
        "methods": [m.value for m in ServiceMethod],
        "office": actor.role is Role.CREDIT_OFFICE, "own": actor.role is Role.SUBJECT,
        # A listing department decides the procedures it proposed (Art. 25, 26; the service
        # refuses any other organisation with ``not_the_deciding_organ``).
        "decider": actor.role is Role.INQUIRER,
    }  # fmt: skip
    return render_form(request, "lists/procedure.html", ctx, problem)


@router.get("/lists/procedures/{pid}", response_class=HTMLResponse)
def procedure_page(
    request: Request, pid: int, session: SessionDep, actor: ReadersPage, clock: ClockDep,
    done: str = "",
) -> Response:  # fmt: skip
    return _procedure_page(request, session, actor, clock.now(), pid, done=done)


@router.post("/lists/procedures/{pid}/steps/{step}")
def procedure_step(
    request: Request, pid: int, step: str, _csrf: CsrfDep, form: FormFields,
    session: SessionDep, actor: ReadersPage, clock: ClockDep,
) -> Response:  # fmt: skip
    action = STEPS.get(step)
    if action is None:
        problem = Problem(404, f"没有此步骤 / no step {step}", [])
        return _procedure_page(request, session, actor, clock.now(), pid, problem=problem)
    if form.get("confirm") != "1":
        p: ProcedureRead = service.get_procedure(
            session, actor=actor, procedure_id=pid, at=clock.now()
        )
        fields = {k: v for k, v in form.items() if k not in ("csrf_token", "confirm")}
        return render(request, "lists/confirm.html", {"p": p, "step": step, "fields": fields})
    call, given = action
    try:
        call(session, actor=actor, procedure_id=pid, at=clock.now(), **given(form))
    except (XinyongError, ValueError) as exc:
        session.rollback()
        return _procedure_page(
            request, session, actor, clock.now(), pid, problem=_problem(exc), form=form
        )
    target = "/me/lists" if actor.role is Role.SUBJECT else f"/lists/procedures/{pid}"
    return RedirectResponse(f"{target}?done={step}", status_code=303)


@router.get("/me/lists", response_class=HTMLResponse)
def my_lists_page(
    request: Request, session: SessionDep, actor: SubjectPage, clock: ClockDep, done: str = ""
) -> Response:
    mine = service.my_lists(session, actor=actor, at=clock.now())
    return render(request, "lists/mine.html", {"mine": mine, "done": done})


def _red_list_page(
    request: Request, session: Session, actor: Actor, now: datetime, *,
    problem: Problem | None = None, form: dict[str, str] | None = None, done: str = "",
) -> Response:  # fmt: skip
    items = service.public_red_list(session, at=now).items
    ctx = {"items": items, "form": form or {}, "done": done,
           "office": actor.role is Role.CREDIT_OFFICE}  # fmt: skip
    return render_form(request, "lists/red_list.html", ctx, problem)


@router.get("/red-list", response_class=HTMLResponse)
def red_list_page(
    request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep, done: str = ""
) -> Response:
    return _red_list_page(request, session, actor, clock.now(), done=done)


@router.post("/red-list")
def adopt(
    request: Request, _csrf: CsrfDep, form: FormFields, session: SessionDep, actor: OfficePage,
    clock: ClockDep,
) -> Response:  # fmt: skip
    fields = {k: v for k, v in form.items() if k not in ("csrf_token", "confirm")}
    if form.get("confirm") != "1":
        return render(request, "lists/confirm_red_list.html", {"fields": fields})
    try:
        data = RedListCreate(
            subject=_text(form, "subject"), title=_text(form, "title"), basis=_text(form, "basis"),
            reason=_text(form, "reason"), valid_until=_day(form, "valid_until"),
        )  # fmt: skip
        service.adopt_red_list_entry(session, actor=actor, data=data, at=clock.now())
    except (XinyongError, ValueError) as exc:
        session.rollback()
        return _red_list_page(request, session, actor, clock.now(), problem=_problem(exc),
                              form=fields)  # fmt: skip
    return RedirectResponse("/red-list?done=adopted", status_code=303)
