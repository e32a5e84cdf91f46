"""Two-step verification pages (PLT-1): an account enrols, confirms and disables its TOTP
second factor; the security administrator sets the policy and resets lost factors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.accounts import second_factor, totp
from xinyong.core.actor import Actor, Role
from xinyong.core.config import Settings
from xinyong.core.errors import XinyongError
from xinyong.reports.document import qr_data_uri
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep, SettingsDep
from xinyong.web.pages import render
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import problem_of

router = APIRouter(include_in_schema=False)

ENROLLERS = totp.TOTP_ROLES
SECADMIN = frozenset({Role.SECADMIN})
EnrollersPage = Annotated[Actor, Depends(PageGate(ENROLLERS))]
SecadminPage = Annotated[Actor, Depends(PageGate(SECADMIN))]
Text = Annotated[str, Form(max_length=500)]
PAGE = "/account/two-step"


def _own_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    settings: Settings,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    enrolment = second_factor.pending_enrolment(session, actor=actor, settings=settings)
    ctx = {
        "factor": second_factor.status(session, actor=actor),
        "enrolment": enrolment,
        "qr": qr_data_uri(enrolment.otpauth_uri) if enrolment else None,
        **extra,
    }
    return render(request, "security/two_step.html", ctx, status_code=status)


@router.get(PAGE, response_class=HTMLResponse)
def two_step(
    request: Request, session: SessionDep, actor: EnrollersPage, settings: SettingsDep
) -> Response:
    return _own_page(request, session, actor, settings)


@router.post(f"{PAGE}/start", response_class=HTMLResponse)
def start(
    request: Request, _csrf: CsrfDep, session: SessionDep, actor: EnrollersPage, clock: ClockDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    try:
        second_factor.start_enrolment(session, actor=actor, at=clock.now(), settings=settings)
    except XinyongError as exc:
        return _own_page(request, session, actor, settings, problem=problem_of(exc), status=409)
    return RedirectResponse(PAGE, status_code=303)


@router.post(f"{PAGE}/confirm", response_class=HTMLResponse)
def confirm(
    request: Request, _csrf: CsrfDep, session: SessionDep, actor: EnrollersPage, clock: ClockDep,
    settings: SettingsDep, code: Annotated[str, Form(max_length=32)] = "",
) -> Response:  # fmt: skip
    try:
        codes = second_factor.confirm_enrolment(
            session, actor=actor, code=code, at=clock.now(), settings=settings
        )
    except XinyongError as exc:
        problem = problem_of(exc)
        return _own_page(request, session, actor, settings, problem=problem, status=problem.status)
    return _own_page(request, session, actor, settings, recovery_codes=codes)


@router.post(f"{PAGE}/disable", response_class=HTMLResponse)
def disable(
    request: Request, _csrf: CsrfDep, session: SessionDep, actor: EnrollersPage, clock: ClockDep,
    settings: SettingsDep, password: Annotated[str, Form(max_length=256)] = "",
    code: Annotated[str, Form(max_length=32)] = "",
) -> Response:  # fmt: skip
    try:
        second_factor.disable(
            session, actor=actor, password=password, code=code, at=clock.now(), settings=settings
        )
    except XinyongError as exc:
        problem = problem_of(exc)
        return _own_page(request, session, actor, settings, problem=problem, status=problem.status)
    return _own_page(request, session, actor, settings, disabled=True)


# --- the security administrator --------------------------------------------------------------


def _admin_page(
    request: Request, session: SessionDep, actor: Actor, *, status: int = 200, **extra: Any
) -> Response:
    ctx = {
        "policy": second_factor.read_policy(session, actor=actor),
        "accounts": second_factor.factor_overview(session, actor=actor),
        **extra,
    }
    return render(request, "security/admin.html", ctx, status_code=status)


@router.get("/security", response_class=HTMLResponse)
def security(request: Request, session: SessionDep, actor: SecadminPage) -> Response:
    return _admin_page(request, session, actor)


@router.post("/security/policy", response_class=HTMLResponse)
def set_policy(
    request: Request, _csrf: CsrfDep, session: SessionDep, actor: SecadminPage, clock: ClockDep,
    require_totp_for_admins: Annotated[str, Form(max_length=8)] = "",
) -> Response:  # fmt: skip
    second_factor.set_policy(
        session, actor=actor, require_totp_for_admins=bool(require_totp_for_admins), at=clock.now()
    )
    return _admin_page(request, session, actor, saved=True)


@router.post("/security/two-step/{username}/reset", response_class=HTMLResponse)
def reset(
    request: Request, username: str, _csrf: CsrfDep, session: SessionDep, actor: SecadminPage,
    clock: ClockDep, reason: Text = "", confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:  # fmt: skip
    if not confirm:
        ctx = {"username": username, "reason": reason}
        return render(request, "security/confirm_reset.html", ctx)
    try:
        second_factor.reset(session, actor=actor, username=username, reason=reason, at=clock.now())
    except XinyongError as exc:
        problem = problem_of(exc)
        return _admin_page(request, session, actor, problem=problem, status=problem.status)
    return _admin_page(request, session, actor, reset_done=username)
