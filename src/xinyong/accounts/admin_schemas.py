"""Bodies of the system administrator's API (``/api/v1/admin``; docs/api-additions.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from xinyong.accounts.schemas import OrganisationRead, UserRead

_Strict = ConfigDict(extra="forbid")
Code = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(min_length=1, max_length=500)]


class UserCreate(BaseModel):
    """``POST /admin/users``: as ``xinyong user add``."""

    model_config = _Strict

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    role: str = Field(min_length=1, max_length=32)
    org: Code | None = None
    display_name: str | None = Field(default=None, max_length=200)
    subject: str | None = Field(default=None, max_length=64)
    purposes: list[Code] = Field(default_factory=list, max_length=50)
    items: list[Code] = Field(default_factory=list, max_length=200)


class OrganisationCreate(BaseModel):
    """``POST /admin/organisations``: as ``xinyong org add``."""

    model_config = _Strict

    code: Code
    name: str = Field(min_length=1, max_length=300)
    kind: str = Field(min_length=1, max_length=16)
    region: str | None = Field(default=None, max_length=6)
    parent: Code | None = None
    uscc: str | None = Field(default=None, max_length=18)
    organ_kind: str | None = Field(default=None, max_length=32)


class StateChange(BaseModel):
    model_config = _Strict

    reason: Reason


class PasswordReset(BaseModel):
    model_config = _Strict

    password: str = Field(min_length=1, max_length=256)
    reason: Reason


class SubjectBinding(BaseModel):
    model_config = _Strict

    subject: str = Field(min_length=1, max_length=64)
    reason: Reason


class AuthorityUpdate(BaseModel):
    """Empty lists: every published purpose / item (Art. 20)."""

    model_config = _Strict

    purposes: list[Code] = Field(default_factory=list, max_length=50)
    items: list[Code] = Field(default_factory=list, max_length=200)
    reason: Reason


class UserList(BaseModel):
    items: list[UserRead]


class OrganisationList(BaseModel):
    items: list[OrganisationRead]
