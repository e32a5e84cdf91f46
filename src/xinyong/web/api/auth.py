"""``/auth``: bearer tokens for API clients (OAuth2 password flow)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordRequestForm

from xinyong.accounts import service as accounts
from xinyong.accounts.schemas import ActorRead, TokenRead
from xinyong.core.errors import NotAuthenticated
from xinyong.web.deps import ActorDep, ClockDep, SessionDep, SettingsDep

router = APIRouter(prefix="/auth", tags=["auth"])

BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]
PasswordForm = Annotated[OAuth2PasswordRequestForm, Depends()]


@router.post("/token")
def token(
    form: PasswordForm, session: SessionDep, clock: ClockDep, settings: SettingsDep
) -> TokenRead:
    at = clock.now()
    user = accounts.authenticate(
        session, username=form.username, password=form.password, at=at, settings=settings
    )
    value, expires_at = accounts.issue_token(session, user=user, at=at, settings=settings)
    return TokenRead(access_token=value, expires_at=expires_at)


@router.get("/me")
def me(actor: ActorDep) -> ActorRead:
    return ActorRead.of(actor)


@router.post("/logout", status_code=204)
def logout(actor: ActorDep, bearer: BearerDep, session: SessionDep, clock: ClockDep) -> Response:
    if bearer is None or actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in first")
    accounts.revoke_token(session, actor=actor, bearer=bearer.credentials, at=clock.now())
    return Response(status_code=204)
