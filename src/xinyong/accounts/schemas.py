"""What the accounts context shows the outside world (never a password or a hash)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel

from xinyong.core.actor import Actor
from xinyong.core.clock import PLATFORM_ZONE


def _platform_time(value: datetime) -> datetime:
    return value.astimezone(PLATFORM_ZONE)


#: Shown in the platform zone (API.md: ISO 8601 with offset, Asia/Shanghai).
LocalDateTime = Annotated[datetime, AfterValidator(_platform_time)]


class OrganisationRead(BaseModel):
    code: str
    name: str
    kind: str
    region: str | None
    parent_code: str | None


class UserRead(BaseModel):
    username: str
    display_name: str
    role: str
    org_code: str | None
    subject_code: str | None
    purposes: list[str]
    items: list[str]
    is_active: bool
    locked_until: LocalDateTime | None
    last_login_at: LocalDateTime | None


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: LocalDateTime


class OrgRef(BaseModel):
    code: str | None
    name: str | None


class ActorRead(BaseModel):
    """``GET /auth/me``: who the request acts as (the public when not logged in)."""

    authenticated: bool
    username: str
    display_name: str
    role: str
    organisation: OrgRef | None
    subject_id: int | None
    subject_code: str | None
    #: ``null``: every published purpose / item.
    purposes: list[str] | None
    items: list[str] | None

    @classmethod
    def of(cls, actor: Actor) -> ActorRead:
        return cls(
            authenticated=not actor.is_anonymous,
            username=actor.username,
            display_name=actor.display_name,
            role=actor.role.value,
            organisation=OrgRef(code=actor.org_code, name=actor.org_name)
            if actor.org_id is not None
            else None,
            subject_id=actor.subject_id,
            subject_code=actor.extra.get("subject_code"),
            purposes=None if actor.purposes is None else sorted(actor.purposes),
            items=None if actor.items is None else sorted(actor.items),
        )
