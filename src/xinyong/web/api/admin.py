"""``/admin``: the system administrator's accounts and organisations (PLT-1, DESIGN §6).
Each write is one use case: the service flushes and audits, the handler commits once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from xinyong.accounts import administration as admin
from xinyong.accounts import service as accounts
from xinyong.accounts.admin_schemas import (
    AuthorityUpdate,
    OrganisationCreate,
    OrganisationList,
    PasswordReset,
    StateChange,
    SubjectBinding,
    UserCreate,
    UserList,
)
from xinyong.accounts.schemas import OrganisationRead, UserRead
from xinyong.web.deps import ActingDep, ActorDep, SessionDep

router = APIRouter(prefix="/admin", tags=["administration"])
Filter = Annotated[str | None, Query(max_length=64)]


@router.get("/users")
def list_users(
    session: SessionDep,
    actor: ActorDep,
    role: Filter = None,
    org: Filter = None,
    q: Filter = None,
    active: bool | None = None,
) -> UserList:
    found = admin.find_users(session, actor=actor, role=role, org=org, q=q, active=active)
    return UserList(items=list(found))


@router.post("/users", status_code=201)
def add_user(body: UserCreate, acting: ActingDep) -> UserRead:
    fields = body.model_dump(exclude={"org", "subject"})
    user = acting(accounts.add_user, org_code=body.org, subject_code=body.subject, **fields)
    return accounts.user_read(user)


@router.post("/users/{username}/disable")
def disable(username: str, body: StateChange, acting: ActingDep) -> UserRead:
    return acting(admin.set_active, username=username, active=False, reason=body.reason)


@router.post("/users/{username}/enable")
def enable(username: str, body: StateChange, acting: ActingDep) -> UserRead:
    return acting(admin.set_active, username=username, active=True, reason=body.reason)


@router.post("/users/{username}/password")
def reset_password(username: str, body: PasswordReset, acting: ActingDep) -> UserRead:
    return acting(admin.reset_password, username=username, **body.model_dump())


@router.put("/users/{username}/subject")
def bind_subject(username: str, body: SubjectBinding, acting: ActingDep) -> UserRead:
    return acting(admin.bind_subject, username=username, **body.model_dump())


@router.put("/users/{username}/authority")
def set_authority(username: str, body: AuthorityUpdate, acting: ActingDep) -> UserRead:
    return acting(admin.set_authority, username=username, **body.model_dump())


@router.get("/organisations")
def list_organisations(session: SessionDep, actor: ActorDep) -> OrganisationList:
    return OrganisationList(items=list(accounts.list_organisations(session, actor=actor)))


@router.post("/organisations", status_code=201)
def add_organisation(body: OrganisationCreate, acting: ActingDep) -> OrganisationRead:
    org = acting(
        accounts.add_organisation, parent_code=body.parent, **body.model_dump(exclude={"parent"})
    )
    return accounts.organisation_read(acting.session, org)
