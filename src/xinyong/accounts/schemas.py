"""What the accounts context shows the outside world (never a password or a hash)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

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
    organ_kind: str | None = None
    uscc: str | None = None
    #: Domain of a department (special credit report); ``accounts/data/sectors.json``.
    sector: str | None = None


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
    #: ``active`` (the login used a code), ``none``, or ``enrolment_required``: the security
    #: policy obliges this administrator to enrol, which the web pages insist on.
    second_factor: str = "none"


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


class SecondFactorRead(BaseModel):
    """An account's TOTP second factor (PLT-1). Never carries the secret."""

    #: The role may enrol (sysadmin, secadmin, credit_office, auditor).
    available: bool
    #: ``none`` | ``pending`` (started, not confirmed) | ``active``.
    status: str
    #: The security policy obliges this account to enrol.
    required: bool
    confirmed_at: LocalDateTime | None
    recovery_codes_left: int


class EnrolmentRead(BaseModel):
    """A started enrolment: what the authenticator app needs. Shown only until confirmed."""

    secret: str
    otpauth_uri: str


class RecoveryCodesRead(BaseModel):
    """The one-time recovery codes, shown once at confirmation."""

    recovery_codes: list[str]


class SecurityPolicyRead(BaseModel):
    require_totp_for_admins: bool
    updated_at: LocalDateTime | None
    updated_by: str | None


class AccountFactorRead(BaseModel):
    """One row of the security administrator's overview of second factors."""

    username: str
    display_name: str
    role: str
    status: str
    required: bool


class CodeCreate(BaseModel):
    """``POST /auth/totp/confirm``: the code the authenticator app shows now."""

    code: str = Field(min_length=1, max_length=32)


class FactorDisable(BaseModel):
    """``POST /auth/totp/disable``: the password, or a current code, proves who asks."""

    password: str = Field(default="", max_length=256)
    code: str = Field(default="", max_length=32)


class FactorReset(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class SecurityPolicyUpdate(BaseModel):
    require_totp_for_admins: bool
