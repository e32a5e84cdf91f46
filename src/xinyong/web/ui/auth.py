"""Log in and log out in the browser: a session cookie, CSRF-checked forms."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.accounts import second_factor
from xinyong.accounts import service as accounts
from xinyong.accounts.models import UserAccount
from xinyong.core.errors import NotAuthenticated
from xinyong.web.csrf import CsrfDep, set_csrf_cookie
from xinyong.web.deps import ClockDep, SessionDep, SettingsDep
from xinyong.web.pages import render
from xinyong.web.ui.desks import landing

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]


def _local_path(target: str | None) -> str:
    """Only redirect inside the site: ``//host`` and ``https://host`` would be open redirects."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _login_page(
    request: Request,
    *,
    next_url: str,
    username: str = "",
    error: str | None = None,
    error_code: str = "invalid_credentials",
    ticket: str | None = None,
) -> HTMLResponse:
    """The login form; with a ``ticket``, its second step: the code of the second factor."""
    context = {
        "next": next_url,
        "username": username,
        "error": error,
        "error_code": error_code,
        "ticket": ticket,
    }
    response = render(request, "auth/login.html", context, status_code=401 if error else 200)
    set_csrf_cookie(request, response)
    return response


def _logged_in(
    request: Request, session: SessionDep, user: UserAccount, at: datetime, target: str
) -> Response:
    """Start the browser session; an administrator the security policy obliges to enrol a
    second factor, and who has none, goes to the set-up page first."""
    cookie = accounts.start_web_session(session, user=user, at=at)
    target = landing(user.role, target)
    if second_factor.state_of(session, user=user) == "enrolment_required":
        target = "/account/two-step"
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(
        accounts.SESSION_COOKIE, cookie, httponly=True, samesite="lax", secure=secure
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return _login_page(request, next_url=_local_path(next))


@router.post("/login")
def login(
    request: Request,
    _csrf: CsrfDep,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    username: FormText = "",
    password: FormText = "",
    next: FormText = "/",
) -> Response:
    at, target = clock.now(), _local_path(next)
    try:
        user = accounts.authenticate(
            session, username=username, password=password, at=at, settings=settings
        )
    except accounts.TotpRequired as exc:
        return _login_page(request, next_url=target, username=username, ticket=exc.ticket)
    except NotAuthenticated as exc:
        return _login_page(request, next_url=target, username=username, error=exc.message)
    return _logged_in(request, session, user, at, target)


@router.post("/login/code")
def login_code(
    request: Request,
    _csrf: CsrfDep,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    ticket: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=32)] = "",
    username: FormText = "",
    next: FormText = "/",
) -> Response:
    """The login's second step: the code of the account's authenticator app (PLT-1)."""
    at, target = clock.now(), _local_path(next)
    try:
        user = accounts.authenticate_second_step(
            session, ticket=ticket, code=code, at=at, settings=settings
        )
    except NotAuthenticated as exc:
        # The ticket stays good for its few minutes; once locked or expired, every try fails
        # the same way and the visitor starts again from the password.
        return _login_page(
            request, next_url=target, username=username, error=exc.message,
            error_code=exc.code, ticket=ticket,
        )  # fmt: skip
    return _logged_in(request, session, user, at, target)


@router.post("/logout")
def logout(request: Request, _csrf: CsrfDep, session: SessionDep, clock: ClockDep) -> Response:
    cookie = request.cookies.get(accounts.SESSION_COOKIE)
    accounts.end_web_session(session, session_cookie=cookie, at=clock.now())
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(accounts.SESSION_COOKIE)
    return response
