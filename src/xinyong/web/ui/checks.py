"""Measures pages (DESIGN §6): the inquirer's credit check → measures → what was applied; the
subject's measures; the credit office's measure lists with their lifecycle and spot-check
draws (their page: web/ui/office_desk.py) (Art. 21–24, 28, 29; MEA-1, MEA-2, MEA-3, MEA-5).

The services authorise, refuse and record; a page shows their answer or their refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.accounts.rules import PURPOSES
from xinyong.catalogue.models import VersionStatus
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.measures import service
from xinyong.web.api.inquiries import GuardDep, client_address
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import FormFields, Problem, problem_of

router = APIRouter(include_in_schema=False)

INQUIRER = frozenset({Role.INQUIRER})
OFFICE = frozenset({Role.CREDIT_OFFICE})
InquirerPage = Annotated[Actor, Depends(PageGate(INQUIRER))]
OfficePage = Annotated[Actor, Depends(PageGate(OFFICE))]
SubjectPage = Annotated[Actor, Depends(PageGate(Role.SUBJECT))]
STEPS = {"comment": VersionStatus.PUBLIC_COMMENT, "report": VersionStatus.REPORTED}


def _check_page(
    request: Request, actor: Actor, form: dict[str, str], *, check: Any = None,
    applied: Any = None, problem: Problem | None = None,
) -> Response:  # fmt: skip
    ctx = {
        "matters": sorted(actor.purposes if actor.purposes is not None else PURPOSES),
        "form": form, "check": check, "applied": applied, "problem": problem,
    }  # fmt: skip
    status = problem.status if problem else 200
    return render(request, "checks/check.html", ctx, status_code=status)


@router.get("/checks", response_class=HTMLResponse)
def check_form(request: Request, actor: InquirerPage) -> Response:
    return _check_page(request, actor, {})


@router.post("/checks", response_class=HTMLResponse)
def check_submit(
    request: Request, _csrf: CsrfDep, form: FormFields, session: SessionDep, actor: InquirerPage,
    clock: ClockDep, guard: GuardDep,
) -> Response:  # fmt: skip
    try:
        check = service.run_check(
            session, actor=actor, subject_code=form.get("subject", "").strip(),
            matter=form.get("matter", "").strip(), at=clock.now(), guard=guard,
            address=client_address(request),
        )  # fmt: skip
    except XinyongError as exc:
        return _check_page(request, actor, form, problem=problem_of(exc))
    return _check_page(request, actor, form, check=check)


@router.post("/checks/{check_id}/applied", response_class=HTMLResponse)
def applied_submit(
    check_id: Id, request: Request, _csrf: CsrfDep, form: FormFields, session: SessionDep,
    actor: InquirerPage, clock: ClockDep,
) -> Response:  # fmt: skip
    codes = [k.removeprefix("measure_") for k, v in form.items() if k.startswith("measure_") and v]
    codes += form.get("other", "").split()
    try:
        applied = service.record_applied(
            session, actor=actor, check_id=check_id, measure_codes=codes, at=clock.now()
        )
    except XinyongError as exc:
        return _check_page(request, actor, {}, problem=problem_of(exc))
    return _check_page(request, actor, {}, applied=applied)


def _my_page(
    request: Request, session: SessionDep, actor: Actor, at: Any, problem: Problem | None = None
) -> Response:
    data = service.my_measures(session, actor=actor, at=at)
    status = problem.status if problem else 200
    ctx = {"items": data.items, "problem": problem}
    return render(request, "checks/my_measures.html", ctx, status_code=status)


@router.get("/me/measures", response_class=HTMLResponse)
def my_measures(
    request: Request, session: SessionDep, actor: SubjectPage, clock: ClockDep
) -> Response:
    return _my_page(request, session, actor, clock.now())


@router.post("/me/measures/{applied_id}/statement", response_class=HTMLResponse)
def statement_submit(
    applied_id: Id, request: Request, _csrf: CsrfDep, form: FormFields, session: SessionDep,
    actor: SubjectPage, clock: ClockDep,
) -> Response:  # fmt: skip
    """The subject states and defends against a notified measure (Art. 29 para. 2)."""
    statement = form.get("statement", "").strip()
    try:
        if not statement:
            raise InvalidInput(
                "请填写陈述和申辩 / write your statement",
                details=[{"field": "statement", "reason": "required"}],
            )
        service.state_defence(
            session, actor=actor, applied_id=applied_id, statement=statement, at=clock.now()
        )
    except XinyongError as exc:
        return _my_page(request, session, actor, clock.now(), problem_of(exc))
    return RedirectResponse("/me/measures", status_code=303)


def _office_page(
    request: Request, session: SessionDep, actor: Actor, *, problem: Problem | None = None,
) -> Response:  # fmt: skip
    ctx = {
        "measures": service.list_measures(session, actor=actor),
        "problem": problem,
    }  # fmt: skip
    status = problem.status if problem else 200
    return render(request, "checks/office.html", ctx, status_code=status)


@router.get("/office/measures", response_class=HTMLResponse)
def office_measures(request: Request, session: SessionDep, actor: OfficePage) -> Response:
    return _office_page(request, session, actor)


@router.post("/office/measures/{code}/step", response_class=HTMLResponse)
def measure_step(
    code: str, request: Request, _csrf: CsrfDep, form: FormFields, session: SessionDep,
    actor: OfficePage, clock: ClockDep,
) -> Response:  # fmt: skip
    try:
        _step(session, actor, code, form, clock.now())
    except XinyongError as exc:
        return _office_page(request, session, actor, problem=problem_of(exc))
    return RedirectResponse("/office/measures", status_code=303)


def _step(session: SessionDep, actor: Actor, code: str, form: dict[str, str], at: Any) -> None:
    step = form.get("step", "")
    if step in STEPS:
        service.advance_measure(session, actor=actor, code=code, to=STEPS[step], at=at)
        return
    try:
        effective_on = date.fromisoformat(form.get("effective_on", ""))
    except ValueError:
        raise InvalidInput(
            "请填写生效日期 / give the effective date (YYYY-MM-DD)",
            details=[{"field": "effective_on", "reason": "a date YYYY-MM-DD"}],
        ) from None
    service.publish_measure(session, actor=actor, code=code, effective_on=effective_on, at=at)
