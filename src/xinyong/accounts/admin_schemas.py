"""Bodies of the system administrator's API (``/api/v1/admin``; docs/api-additions.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from xinyong.accounts.schemas import OrganisationRead, UserRead
from xinyong.core.wire import Closed, Text64, Text300

Reason = Annotated[str, Field(min_length=1, max_length=500)]


class UserCreate(Closed):
    """``POST /admin/users``: as ``xinyong user add``."""

    username: Text64
    password: str = Field(min_length=1, max_length=256)
    role: str = Field(min_length=1, max_length=32)
    org: Text64 | None = None
    display_name: str | None = Field(default=None, max_length=200)
    subject: str | None = Field(default=None, max_length=64)
    purposes: list[Text64] = Field(default_factory=list, max_length=50)
    items: list[Text64] = Field(default_factory=list, max_length=200)


class OrganisationCreate(Closed):
    """``POST /admin/organisations``: as ``xinyong org add``."""

    code: Text64
    name: Text300
    kind: str = Field(min_length=1, max_length=16)
    region: str | None = Field(default=None, max_length=6)
    parent: Text64 | None = None
    uscc: str | None = Field(default=None, max_length=18)
    organ_kind: str | None = Field(default=None, max_length=32)


class StateChange(Closed):
    reason: Reason


class PasswordReset(Closed):
    password: str = Field(min_length=1, max_length=256)
    reason: Reason


class SubjectBinding(Closed):
    subject: Text64
    reason: Reason


class AuthorityUpdate(Closed):
    """Empty lists: every published purpose / item (Art. 20)."""

    purposes: list[Text64] = Field(default_factory=list, max_length=50)
    items: list[Text64] = Field(default_factory=list, max_length=200)
    reason: Reason


class UserList(BaseModel):
    items: list[UserRead]


class OrganisationList(BaseModel):
    items: list[OrganisationRead]
