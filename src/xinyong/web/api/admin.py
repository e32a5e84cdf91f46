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
from xinyong.web.deps import ActorDep, ClockDep, SessionDep

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
def add_user(body: UserCreate, session: SessionDep, actor: ActorDep, clock: ClockDep) -> UserRead:
    user = accounts.add_user(
        session,
        actor=actor,
        username=body.username,
        password=body.password,
        role=body.role,
        org_code=body.org,
        display_name=body.display_name,
        subject_code=body.subject,
        purposes=body.purposes,
        items=body.items,
        at=clock.now(),
    )
    return accounts.user_read(user)


@router.post("/users/{username}/disable")
def disable(
    username: str, body: StateChange, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> UserRead:
    read = admin.set_active(
        session, actor=actor, username=username, active=False, reason=body.reason, at=clock.now()
    )
    return read


@router.post("/users/{username}/enable")
def enable(
    username: str, body: StateChange, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> UserRead:
    read = admin.set_active(
        session, actor=actor, username=username, active=True, reason=body.reason, at=clock.now()
    )
    return read


@router.post("/users/{username}/password")
def reset_password(
    username: str, body: PasswordReset, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> UserRead:
    read = admin.reset_password(
        session,
        actor=actor,
        username=username,
        password=body.password,
        reason=body.reason,
        at=clock.now(),
    )
    return read


@router.put("/users/{username}/subject")
def bind_subject(
    username: str, body: SubjectBinding, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> UserRead:
    read = admin.bind_subject(
        session,
        actor=actor,
        username=username,
        subject=body.subject,
        reason=body.reason,
        at=clock.now(),
    )
    return read


@router.put("/users/{username}/authority")
def set_authority(
    username: str, body: AuthorityUpdate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> UserRead:
    read = admin.set_authority(
        session,
        actor=actor,
        username=username,
        purposes=body.purposes,
        items=body.items,
        reason=body.reason,
        at=clock.now(),
    )
    return read


@router.get("/organisations")
def list_organisations(session: SessionDep, actor: ActorDep) -> OrganisationList:
    return OrganisationList(items=list(accounts.list_organisations(session, actor=actor)))


@router.post("/organisations", status_code=201)
def add_organisation(
    body: OrganisationCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> OrganisationRead:
    org = accounts.add_organisation(
        session,
        actor=actor,
        code=body.code,
        name=body.name,
        kind=body.kind,
        region=body.region,
        parent_code=body.parent,
        uscc=body.uscc,
        organ_kind=body.organ_kind,
        at=clock.now(),
    )
    return accounts.organisation_read(session, org)
