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
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.accounts import administration as admin
from xinyong.accounts import rules
from xinyong.accounts import service as accounts
from xinyong.accounts.schemas import OrganisationRead, UserRead
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import NotFound, XinyongError
from xinyong.inquiry.purposes import published_purposes
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Page
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import (
    Listing,
    PostedForm,
    Problem,
    choice,
    csv_response,
    listing,
    problem_of,
    render_form,
)

router = APIRouter(include_in_schema=False)
T = TypeVar("T")

ROLES = frozenset({Role.SYSADMIN})
AdminPage = Annotated[Actor, Depends(PageGate(ROLES))]
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


def _users(request: Request, session: Session, actor: Actor) -> Listing[UserRead]:
    q = request.query_params
    filters = {
        "role": choice(q.get("role", ""), ACCOUNT_ROLES, ""),
        "org": q.get("org", "").strip()[:64],
        "q": q.get("q", "").strip()[:64],
        "state": choice(q.get("state", ""), ("active", "disabled"), ""),
    }
    found = admin.find_users(
        session,
        actor=actor,
        role=filters["role"] or None,
        org=filters["org"] or None,
        q=filters["q"] or None,
        active={"active": True, "disabled": False}.get(filters["state"]),
    )
    return listing(request, found, filters, USER_SORTS)


def _orgs(request: Request, session: Session, actor: Actor) -> Listing[OrganisationRead]:
    q = request.query_params
    filters = {"kind": choice(q.get("kind", ""), ORG_KINDS, ""), "q": q.get("q", "").strip()[:64]}
    needle = filters["q"].lower()
    rows = [
        o
        for o in _org_choices(session, actor)
        if (not filters["kind"] or o.kind == filters["kind"])
        and (not needle or needle in o.code.lower() or needle in o.name.lower())
    ]
    return listing(request, rows, filters, ORG_SORTS)


def _org_choices(session: Session, actor: Actor) -> list[OrganisationRead]:
    return list(accounts.list_organisations(session, actor=actor))


def _table_page(
    request: Request,
    template: str,
    listed: Listing[Any],
    ctx: dict[str, Any],
    *,
    page: int = 1,
    problem: Problem | None = None,
    form: dict[str, str] | None = None,
    done: str = "",
) -> Response:
    """A desk's table page (``/admin/users``, ``/admin/organisations``) with its add form."""
    rows, table = listed.page(request.url.path, page, PER_PAGE)
    ctx |= {"rows": rows, "table": table, "filters": listed.filters, "form": form or {}}
    return render_form(request, template, ctx | {"done": done}, problem)


def _users_page(request: Request, session: Session, actor: Actor, **shown: Any) -> Response:
    ctx = {
        "roles": ACCOUNT_ROLES,
        "orgs": _org_choices(session, actor),
        "purposes": published_purposes(session).items,
    }
    listed = _users(request, session, actor)
    return _table_page(request, "admin/users.html", listed, ctx, **shown)


@router.get("/admin", response_class=HTMLResponse)
def desk(actor: AdminPage) -> Response:
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request, session: SessionDep, actor: AdminPage, page: Page = 1, done: str = ""
) -> Response:
    return _users_page(request, session, actor, page=page, done=done[:32])


@router.get("/admin/users.csv")
def users_csv(request: Request, session: SessionDep, actor: AdminPage) -> Response:
    def cell(r: UserRead, c: str) -> Any:
        value = getattr(r, c)
        return " ".join(value) if isinstance(value, list) else value

    rows = _users(request, session, actor).rows
    return csv_response("users.csv", USER_CSV, ([cell(r, c) for c in USER_CSV] for r in rows))


def _split(value: str) -> list[str]:
    return [v for v in value.replace(",", " ").replace("，", " ").split() if v]


def _account(session: Session, actor: Actor, username: str) -> UserRead:
    for user in admin.find_users(session, actor=actor):
        if user.username == rules.normalise_username(username):
            return user
    raise NotFound(f"没有账号 {username} / no account {username}", code="user_not_found")


def _user_page(
    request: Request, session: Session, actor: Actor, problem: Problem | None = None, done: str = ""
) -> Response:
    """The account of the path (``/admin/users/{username}``) with its forms."""
    username = request.path_params["username"]
    ctx = {
        "user": _account(session, actor, username),
        "purposes": published_purposes(session).items,
        "authority_roles": [r.value for r in rules.AUTHORITY_ROLES],
        "done": done,
        "is_self": rules.normalise_username(username) == actor.username,
    }
    return render_form(request, "admin/user.html", ctx, problem)


@router.get("/admin/users/{username}", response_class=HTMLResponse)
def user_page(
    request: Request, username: str, session: SessionDep, actor: AdminPage, done: str = ""
) -> Response:
    return _user_page(request, session, actor, done=done[:32])


# --- organisations ------------------------------------------------------------------------------


@router.get("/admin/organisations", response_class=HTMLResponse)
def organisations_page(
    request: Request, session: SessionDep, actor: AdminPage, page: Page = 1, done: str = ""
) -> Response:
    return _orgs_page(request, session, actor, page=page, done=done[:64])


def _orgs_page(request: Request, session: Session, actor: Actor, **shown: Any) -> Response:
    ctx: dict[str, Any] = {"kinds": ORG_KINDS, "organ_kinds": rules.ORGAN_KINDS}
    ctx["parents"] = _org_choices(session, actor)
    listed = _orgs(request, session, actor)
    return _table_page(request, "admin/organisations.html", listed, ctx, **shown)


@router.get("/admin/organisations.csv")
def organisations_csv(request: Request, session: SessionDep, actor: AdminPage) -> Response:
    rows = _orgs(request, session, actor).rows
    return csv_response(
        "organisations.csv", ORG_CSV, ([getattr(r, c) for c in ORG_CSV] for r in rows)
    )


# --- the forms ---------------------------------------------------------------------------------

#: What a form gives its service call, as keywords: (form, ticked purposes) -> arguments.
Fields = Callable[[dict[str, str], list[str]], dict[str, Any]]
#: The page a refused form shows again: (request, session, actor, problem, form) -> page.
Again = Callable[[Request, Session, Actor, Problem, dict[str, str]], Response]


class _Post:
    """One form of the desk, POSTed: the service ``call`` with the ``fields`` it gives (and
    the account of the path, ``{username}``, if any); then a redirect to ``then(result,
    username)``, or, refused, the page ``again`` with the problem. ``confirm``: the page the
    first POST shows once a reason is given (the second, ``confirm=1``, acts)."""

    def __init__(
        self,
        call: Callable[..., Any],
        fields: Fields,
        then: Callable[[Any, str], str],
        again: Again,
        confirm: str | None = None,
    ) -> None:
        self.call, self.fields, self.then, self.again = call, fields, then, again
        self.confirm = confirm

    def __call__(
        self,
        request: Request,
        form: PostedForm,
        session: SessionDep,
        actor: AdminPage,
        clock: ClockDep,
    ) -> Response:
        return self.post(request, form, session, actor, clock, [])

    def post(
        self,
        request: Request,
        form: dict[str, str],
        session: Session,
        actor: Actor,
        clock: Clock,
        chosen: list[str],
    ) -> Response:
        username = request.path_params.get("username", "")
        whose = {"username": username} if username else {}
        if self.confirm and form.get("confirm") != "1" and form.get("reason", "").strip():
            user = _account(session, actor, username)
            return render(request, self.confirm, {"user": user, "reason": form["reason"]})
        try:
            done = self.call(
                session, actor=actor, at=clock.now(), **whose, **self.fields(form, chosen)
            )
        except XinyongError as exc:
            session.rollback()
            return self.again(request, session, actor, problem_of(exc), form)
        return RedirectResponse(self.then(done, username), status_code=303)


def _ticked(purposes: Choices = None) -> list[str]:
    return [p for p in purposes or [] if p]


#: The purposes ticked in a form, blanks aside.
Ticked = Annotated[list[str], Depends(_ticked)]


class _TickedPost(_Post):
    """A form with purposes to tick."""

    def __call__(  # type: ignore[override]
        self,
        request: Request,
        ticked: Ticked,
        form: PostedForm,
        session: SessionDep,
        actor: AdminPage,
        clock: ClockDep,
    ) -> Response:
        return self.post(request, form, session, actor, clock, ticked)


def _account_form(
    done: str, call: Callable[..., Any], fields: Fields, kind: type[_Post] = _Post, **confirm: str
) -> _Post:
    """A form of the account's page: it gives a reason; done, the page says ``done``."""
    return kind(
        call,
        lambda form, chosen: {"reason": form.get("reason", ""), **fields(form, chosen)},
        lambda _, username: f"/admin/users/{quote(username)}?done={done}",
        lambda request, session, actor, problem, _: _user_page(request, session, actor, problem),
        **confirm,
    )


def _given(form: dict[str, str], **names: str) -> dict[str, str | None]:
    """Optional fields, by keyword: ``_given(form, parent_code="parent")`` (empty: ``None``)."""
    return {key: form.get(name, "").strip() or None for key, name in names.items()}


FORMS: dict[str, _Post] = {
    "/admin/users": _TickedPost(
        accounts.add_user,
        lambda form, chosen: {
            **{k: form.get(k, "") for k in ("username", "password", "role", "display_name")},
            **_given(form, org_code="org", subject_code="subject"),
            "purposes": chosen,
            "items": _split(form.get("items", "")),
        },
        lambda user, _: f"/admin/users/{quote(user.username)}?done=created",
        lambda request, session, actor, problem, form: _users_page(
            request,
            session,
            actor,
            problem=problem,
            form={k: v for k, v in form.items() if k != "password"},
        ),
    ),
    "/admin/users/{username}/disable": _account_form(
        "disabled",
        admin.set_active,
        lambda form, chosen: {"active": False},
        confirm="admin/confirm_disable.html",
    ),
    "/admin/users/{username}/enable": _account_form(
        "enabled", admin.set_active, lambda form, chosen: {"active": True}
    ),
    "/admin/users/{username}/password": _account_form(
        "password", admin.reset_password, lambda form, _: {"password": form.get("password", "")}
    ),
    "/admin/users/{username}/subject": _account_form(
        "subject", admin.bind_subject, lambda form, _: {"subject": form.get("subject", "")}
    ),
    "/admin/users/{username}/authority": _account_form(
        "authority",
        admin.set_authority,
        lambda form, chosen: {"purposes": chosen, "items": _split(form.get("items", ""))},
        _TickedPost,
    ),
    "/admin/organisations": _Post(
        accounts.add_organisation,
        lambda form, _: {
            **{k: form.get(k, "") for k in ("code", "name", "kind")},
            **_given(form, region="region", parent_code="parent", uscc="uscc"),
            **_given(form, organ_kind="organ_kind"),
        },
        lambda org, _: f"/admin/organisations?done={quote(org.code)}",
        lambda request, session, actor, problem, form: _orgs_page(
            request, session, actor, problem=problem, form=form
        ),
    ),
}
for _path, _form in FORMS.items():
    router.add_api_route(_path, _form, methods=["POST"])
