"""Measures pages (DESIGN §6): the inquirer's credit check → measures → what was applied; the
subject's measures; the credit office's measure lists with their lifecycle and spot-check
draws (their page: web/ui/office_desk.py) (Art. 21–24, 28, 29; MEA-1, MEA-2, MEA-3, MEA-5).

The services authorise, refuse and record; a page shows their answer or their refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.accounts.rules import PURPOSES
from xinyong.catalogue.models import VersionStatus
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.measures import service
from xinyong.web.api.inquiries import GuardDep, client_address
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.params import Id
from xinyong.web.ui.components import PageGate, Posted, form_route, render_form
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
        "form": form, "check": check, "applied": applied,
    }  # fmt: skip
    return render_form(request, "checks/check.html", ctx, problem)


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


def _check_id(check_id: Id) -> int:
    return check_id


def applied_submit(p: Posted) -> Response:
    """What the inquirer applied of the measures its check listed."""
    codes = [
        k.removeprefix("measure_") for k, v in p.form.items() if k.startswith("measure_") and v
    ]
    codes += p.form.get("other", "").split()
    applied = service.record_applied(
        p.session, actor=p.actor, check_id=p.key, measure_codes=codes, at=p.clock.now()
    )
    return _check_page(p.request, p.actor, {}, applied=applied)


form_route(
    router, "/checks/{check_id}/applied", InquirerPage, _check_id, act=applied_submit,
    again=lambda p, problem: _check_page(p.request, p.actor, {}, problem=problem),
)  # fmt: skip


def _my_page(
    request: Request, session: SessionDep, actor: Actor, at: Any, problem: Problem | None = None
) -> Response:
    data = service.my_measures(session, actor=actor, at=at)
    return render_form(request, "checks/my_measures.html", {"items": data.items}, problem)


@router.get("/me/measures", response_class=HTMLResponse)
def my_measures(
    request: Request, session: SessionDep, actor: SubjectPage, clock: ClockDep
) -> Response:
    return _my_page(request, session, actor, clock.now())


def _applied_id(applied_id: Id) -> int:
    return applied_id


def statement_submit(p: Posted) -> str:
    """The subject states and defends against a notified measure (Art. 29 para. 2)."""
    statement = p.text("statement")
    if not statement:
        raise InvalidInput(
            "请填写陈述和申辩 / write your statement",
            details=[{"field": "statement", "reason": "required"}],
        )
    service.state_defence(
        p.session, actor=p.actor, applied_id=p.key, statement=statement, at=p.clock.now()
    )
    return "/me/measures"


form_route(
    router, "/me/measures/{applied_id}/statement", SubjectPage, _applied_id,
    act=statement_submit,
    again=lambda p, problem: _my_page(p.request, p.session, p.actor, p.clock.now(), problem),
)  # fmt: skip


def _office_page(
    request: Request, session: SessionDep, actor: Actor, *, problem: Problem | None = None,
) -> Response:  # fmt: skip
    ctx = {"measures": service.list_measures(session, actor=actor)}
    return render_form(request, "checks/office.html", ctx, problem)


@router.get("/office/measures", response_class=HTMLResponse)
def office_measures(request: Request, session: SessionDep, actor: OfficePage) -> Response:
    return _office_page(request, session, actor)


def _code(code: str) -> str:
    return code


def measure_step(p: Posted) -> str:
    _step(p.session, p.actor, p.key, p.form, p.clock.now())
    return "/office/measures"


form_route(
    router, "/office/measures/{code}/step", OfficePage, _code, act=measure_step,
    again=lambda p, problem: _office_page(p.request, p.session, p.actor, problem=problem),
)  # fmt: skip


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
