"""``/auth``: bearer tokens for API clients (OAuth2 password flow) and the caller's own TOTP
second factor (PLT-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordRequestForm

from xinyong.accounts import second_factor
from xinyong.accounts import service as accounts
from xinyong.accounts.schemas import (
    ActorRead,
    CodeCreate,
    EnrolmentRead,
    FactorDisable,
    RecoveryCodesRead,
    SecondFactorRead,
    TokenRead,
)
from xinyong.core.errors import NotAuthenticated
from xinyong.web.deps import ActingDep, ActorDep, ClockDep, SessionDep, SettingsDep

router = APIRouter(prefix="/auth", tags=["auth"])

BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]
PasswordForm = Annotated[OAuth2PasswordRequestForm, Depends()]


@router.post("/token")
def token(
    form: PasswordForm,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    totp: Annotated[str | None, Form(max_length=32)] = None,
) -> TokenRead:
    """OAuth2 password flow. An account with an active second factor also sends ``totp``: the
    6-digit code of its authenticator app, or one of its recovery codes."""
    at = clock.now()
    user = accounts.authenticate(
        session, username=form.username, password=form.password, at=at, settings=settings,
        totp=totp,
    )  # fmt: skip
    value, expires_at = accounts.issue_token(session, user=user, at=at, settings=settings)
    state = second_factor.state_of(session, user=user)
    return TokenRead(access_token=value, expires_at=expires_at, second_factor=state)


@router.get("/totp")
def totp_status(session: SessionDep, actor: ActorDep) -> SecondFactorRead:
    return second_factor.status(session, actor=actor)


@router.post("/totp", status_code=201)
def totp_start(acting: ActingDep, settings: SettingsDep) -> EnrolmentRead:
    """Start enrolment: the secret and ``otpauth://`` URI for the authenticator app."""
    return acting(second_factor.start_enrolment, settings=settings)


@router.post("/totp/confirm")
def totp_confirm(body: CodeCreate, acting: ActingDep, settings: SettingsDep) -> RecoveryCodesRead:
    codes = acting(second_factor.confirm_enrolment, code=body.code, settings=settings)
    return RecoveryCodesRead(recovery_codes=codes)


@router.post("/totp/disable", status_code=204)
def totp_disable(body: FactorDisable, acting: ActingDep, settings: SettingsDep) -> Response:
    acting(second_factor.disable, settings=settings, **body.model_dump())
    return Response(status_code=204)


@router.get("/me")
def me(actor: ActorDep) -> ActorRead:
    return ActorRead.of(actor)


@router.post("/logout", status_code=204)
def logout(actor: ActorDep, bearer: BearerDep, session: SessionDep, clock: ClockDep) -> Response:
    if bearer is None or actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in first")
    accounts.revoke_token(session, actor=actor, bearer=bearer.credentials, at=clock.now())
    return Response(status_code=204)
