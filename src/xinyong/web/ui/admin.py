"""The system administrator's desk (DESIGN §6, PLT-1): accounts and organisations.

``/admin/users`` lists accounts (filter by role, organisation, name and state; sort, pages, CSV)
with a form to add one; ``/admin/users/{username}`` shows one account with its actions —
disable / enable, reset the password, bind a subject, set an inquirer's authority — each with a
reason; disabling goes through a confirmation page. ``/admin/organisations`` lists the tree's
organisations (CSV) with a form to add one, an institution included (the credit office then
files it, Art. 37). Services flush and audit; each POST commits once, here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.accounts import administration as admin
from xinyong.accounts import rules
from xinyong.accounts import service as accounts
from xinyong.accounts.schemas import OrganisationRead, UserRead
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import NotFound, XinyongError
from xinyong.inquiry.purposes import published_purposes
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Page
from xinyong.web.ui.support import (
    FormFields,
    Problem,
    Table,
    csv_response,
    gate,
    paged,
    problem_of,
    sorted_by,
)

router = APIRouter(include_in_schema=False)

ROLES = frozenset({Role.SYSADMIN})
PER_PAGE = 50
USER_SORTS = ("username", "display_name", "role", "org_code", "is_active", "last_login_at")
ORG_SORTS = ("code", "name", "kind", "region", "parent_code")
ACCOUNT_ROLES = [r.value for r in Role if r is not Role.PUBLIC]
ORG_KINDS = [k.value for k in rules.OrgKind]
USER_CSV = (
    "username",
    "display_name",
    "role",
    "org_code",
    "subject_code",
    "purposes",
    "items",
    "is_active",
    "locked_until",
    "last_login_at",
)
#: The purposes ticked in a form (several fields of one name).
Choices = Annotated[list[str] | None, Form(max_length=64)]
ORG_CSV = ("code", "name", "kind", "region", "parent_code", "organ_kind", "uscc")


def _choice(value: str, allowed: tuple[str, ...] | list[str], default: str) -> str:
    """A query value from a fixed set; anything else is the default (never a 422 page)."""
    return value if value in allowed else default


def _user_filters(request: Request) -> dict[str, str]:
    q = request.query_params
    return {
        "role": _choice(q.get("role", ""), ACCOUNT_ROLES, ""),
        "org": q.get("org", "").strip()[:64],
        "q": q.get("q", "").strip()[:64],
        "state": _choice(q.get("state", ""), ("active", "disabled"), ""),
    }


def _users(session: Session, actor: Actor, filters: dict[str, str]) -> list[UserRead]:
    active = {"active": True, "disabled": False}.get(filters["state"])
    return list(
        admin.find_users(
            session,
            actor=actor,
            role=filters["role"] or None,
            org=filters["org"] or None,
            q=filters["q"] or None,
            active=active,
        )
    )


def _sorting(request: Request, allowed: tuple[str, ...], default: str) -> tuple[str, str]:
    sort = _choice(request.query_params.get("sort", ""), allowed, default)
    order = _choice(request.query_params.get("order", ""), ("asc", "desc"), "asc")
    return sort, order


def _org_choices(session: Session, actor: Actor) -> list[OrganisationRead]:
    return list(accounts.list_organisations(session, actor=actor))


def _users_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    page: int = 1,
    problem: Problem | None = None,
    form: dict[str, str] | None = None,
    done: str = "",
) -> Response:
    filters = _user_filters(request)
    sort, order = _sorting(request, USER_SORTS, "username")
    rows = sorted_by(_users(session, actor, filters), lambda r: getattr(r, sort), order == "desc")
    shown, page, pages = paged(rows, page, PER_PAGE)
    ctx = {
        "rows": shown,
        "table": Table("/admin/users", sort, order, page, pages, len(rows), filters),
        "filters": filters,
        "roles": ACCOUNT_ROLES,
        "orgs": _org_choices(session, actor),
        "purposes": published_purposes(session).items,
        "problem": problem,
        "form": form or {},
        "done": done,
    }
    return render(request, "admin/users.html", ctx, status_code=problem.status if problem else 200)


@router.get("/admin", response_class=HTMLResponse)
def desk(request: Request, actor: ActorDep) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request, session: SessionDep, actor: ActorDep, page: Page = 1, done: str = ""
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    return _users_page(request, session, actor, page=page, done=done[:32])


@router.get("/admin/users.csv")
def users_csv(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    filters = _user_filters(request)
    sort, order = _sorting(request, USER_SORTS, "username")
    rows = sorted_by(_users(session, actor, filters), lambda r: getattr(r, sort), order == "desc")

    def cell(r: UserRead, c: str) -> Any:
        value = getattr(r, c)
        return " ".join(value) if isinstance(value, list) else value

    return csv_response("users.csv", USER_CSV, ([cell(r, c) for c in USER_CSV] for r in rows))


def _split(value: str) -> list[str]:
    return [v for v in value.replace(",", " ").replace("，", " ").split() if v]


@router.post("/admin/users")
def add_user(
    request: Request,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    purposes: Choices = None,
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    purposes = [p for p in purposes or [] if p]
    try:
        user = accounts.add_user(
            session,
            actor=actor,
            username=form.get("username", ""),
            password=form.get("password", ""),
            role=form.get("role", ""),
            org_code=form.get("org", "").strip() or None,
            display_name=form.get("display_name", ""),
            subject_code=form.get("subject", "").strip() or None,
            purposes=purposes,
            items=_split(form.get("items", "")),
            at=clock.now(),
        )
    except XinyongError as exc:
        session.rollback()
        kept = {k: v for k, v in form.items() if k != "password"}
        return _users_page(request, session, actor, problem=problem_of(exc), form=kept)
    return RedirectResponse(f"/admin/users/{quote(user.username)}?done=created", status_code=303)


def _account(session: Session, actor: Actor, username: str) -> UserRead:
    for user in admin.find_users(session, actor=actor):
        if user.username == rules.normalise_username(username):
            return user
    raise NotFound(f"没有账号 {username} / no account {username}", code="user_not_found")


def _user_page(
    request: Request,
    session: Session,
    actor: Actor,
    username: str,
    *,
    problem: Problem | None = None,
    done: str = "",
) -> Response:
    ctx = {
        "user": _account(session, actor, username),
        "purposes": published_purposes(session).items,
        "authority_roles": [r.value for r in rules.AUTHORITY_ROLES],
        "problem": problem,
        "done": done,
        "is_self": rules.normalise_username(username) == actor.username,
    }
    status = problem.status if problem else 200
    return render(request, "admin/user.html", ctx, status_code=status)


@router.get("/admin/users/{username}", response_class=HTMLResponse)
def user_page(
    request: Request, username: str, session: SessionDep, actor: ActorDep, done: str = ""
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    return _user_page(request, session, actor, username, done=done[:32])


def _act(
    request: Request,
    session: Session,
    actor: Actor,
    username: str,
    done: str,
    action: Callable[[], object],
) -> Response:
    try:
        action()
    except XinyongError as exc:
        session.rollback()
        return _user_page(request, session, actor, username, problem=problem_of(exc))
    return RedirectResponse(f"/admin/users/{quote(username)}?done={done}", status_code=303)


@router.post("/admin/users/{username}/disable")
def disable_user(
    request: Request,
    username: str,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    reason = form.get("reason", "")
    if form.get("confirm") != "1" and reason.strip():
        user = _account(session, actor, username)
        return render(request, "admin/confirm_disable.html", {"user": user, "reason": reason})
    return _act(
        request,
        session,
        actor,
        username,
        "disabled",
        lambda: admin.set_active(
            session, actor=actor, username=username, active=False, reason=reason, at=clock.now()
        ),
    )


@router.post("/admin/users/{username}/enable")
def enable_user(
    request: Request,
    username: str,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    reason = form.get("reason", "")
    return _act(
        request,
        session,
        actor,
        username,
        "enabled",
        lambda: admin.set_active(
            session, actor=actor, username=username, active=True, reason=reason, at=clock.now()
        ),
    )


@router.post("/admin/users/{username}/password")
def reset_password(
    request: Request,
    username: str,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    return _act(
        request,
        session,
        actor,
        username,
        "password",
        lambda: admin.reset_password(
            session,
            actor=actor,
            username=username,
            password=form.get("password", ""),
            reason=form.get("reason", ""),
            at=clock.now(),
        ),
    )


@router.post("/admin/users/{username}/subject")
def bind_subject(
    request: Request,
    username: str,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    return _act(
        request,
        session,
        actor,
        username,
        "subject",
        lambda: admin.bind_subject(
            session,
            actor=actor,
            username=username,
            subject=form.get("subject", ""),
            reason=form.get("reason", ""),
            at=clock.now(),
        ),
    )


@router.post("/admin/users/{username}/authority")
def set_authority(
    request: Request,
    username: str,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    purposes: Choices = None,
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    chosen = [p for p in purposes or [] if p]
    return _act(
        request,
        session,
        actor,
        username,
        "authority",
        lambda: admin.set_authority(
            session,
            actor=actor,
            username=username,
            purposes=chosen,
            items=_split(form.get("items", "")),
            reason=form.get("reason", ""),
            at=clock.now(),
        ),
    )


# --- organisations ------------------------------------------------------------------------------


def _orgs(
    session: Session, actor: Actor, request: Request
) -> tuple[list[OrganisationRead], dict[str, str], str, str]:
    q = request.query_params
    filters = {"kind": _choice(q.get("kind", ""), ORG_KINDS, ""), "q": q.get("q", "").strip()[:64]}
    sort, order = _sorting(request, ORG_SORTS, "code")
    needle = filters["q"].lower()
    rows = [
        o
        for o in _org_choices(session, actor)
        if (not filters["kind"] or o.kind == filters["kind"])
        and (not needle or needle in o.code.lower() or needle in o.name.lower())
    ]
    return sorted_by(rows, lambda r: getattr(r, sort), order == "desc"), filters, sort, order


def _orgs_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    page: int = 1,
    problem: Problem | None = None,
    form: dict[str, str] | None = None,
    done: str = "",
) -> Response:
    rows, filters, sort, order = _orgs(session, actor, request)
    shown, page, pages = paged(rows, page, PER_PAGE)
    ctx = {
        "rows": shown,
        "table": Table("/admin/organisations", sort, order, page, pages, len(rows), filters),
        "filters": filters,
        "kinds": ORG_KINDS,
        "organ_kinds": rules.ORGAN_KINDS,
        "parents": _org_choices(session, actor),
        "problem": problem,
        "form": form or {},
        "done": done,
    }
    status = problem.status if problem else 200
    return render(request, "admin/organisations.html", ctx, status_code=status)


@router.get("/admin/organisations", response_class=HTMLResponse)
def organisations_page(
    request: Request, session: SessionDep, actor: ActorDep, page: Page = 1, done: str = ""
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    return _orgs_page(request, session, actor, page=page, done=done[:64])


@router.get("/admin/organisations.csv")
def organisations_csv(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied
    rows, *_ = _orgs(session, actor, request)
    return csv_response(
        "organisations.csv", ORG_CSV, ([getattr(r, c) for c in ORG_CSV] for r in rows)
    )


@router.post("/admin/organisations")
def add_organisation(
    request: Request,
    _csrf: CsrfDep,
    form: FormFields,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
) -> Response:
    if (denied := gate(request, actor, ROLES)) is not None:
        return denied

    def opt(name: str) -> str | None:
        return form.get(name, "").strip() or None

    try:
        org = accounts.add_organisation(
            session,
            actor=actor,
            code=form.get("code", ""),
            name=form.get("name", ""),
            kind=form.get("kind", ""),
            region=opt("region"),
            parent_code=opt("parent"),
            uscc=opt("uscc"),
            organ_kind=opt("organ_kind"),
            at=clock.now(),
        )
    except XinyongError as exc:
        session.rollback()
        return _orgs_page(request, session, actor, problem=problem_of(exc), form=form)
    return RedirectResponse(f"/admin/organisations?done={quote(org.code)}", status_code=303)
