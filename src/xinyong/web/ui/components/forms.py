"""A page's forms: the POSTed fields, the problem a refused form shows, and the route of a form.

A form of a page POSTs; the handler acts through a service and either goes on (303 to the page
that says what was done), shows a confirmation page (the first POST of an irreversible step),
or — refused — shows its page again with the problem beside the form, as it was filled in.
``form_route`` writes that handler once:

    form_route(router, "/office/institutions/{filing_id}/status", OfficePage, _filing,
               act=_change_status, again=_detail_again)

``act(posted)`` answers the next page's URL (a 303) or a page to show; ``again(posted,
problem)`` the page again. ``posted.key`` is what the path names, as its dependency parsed it.

The page of one object with its forms (an item, a record, a filing) is a ``FormPage``: its
GET and every form below it, refused, draw the same page:

    ITEM = FormPage(router, "/office/catalogue/{code}", OfficePage, _code, show=_item_page)
    ITEM.page("item_page")
    ITEM.form("opinions", record_opinion)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.errors import status_for
from xinyong.web.pages import render


async def _form_fields(request: Request) -> dict[str, str]:
    """A POSTed form's text fields (names not known in advance, e.g. an item's fields)."""
    form = await request.form()
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


#: The text fields of a POSTed form, read once by an async dependency so that the router
#: itself can stay synchronous (its database calls must not block the event loop).
FormFields = Annotated[dict[str, str], Depends(_form_fields)]


async def _form_lists(request: Request) -> dict[str, list[str]]:
    """Every value of every text field (a field of ticked boxes has several)."""
    lists: dict[str, list[str]] = {}
    for k, v in (await request.form()).multi_items():
        if isinstance(v, str):
            lists.setdefault(k, []).append(v)
    return lists


async def _posted_form(_csrf: CsrfDep, form: FormFields) -> dict[str, str]:
    return form


#: A page form's POST: the CSRF token checked first (403 ``csrf_failed``), then its text fields.
PostedForm = Annotated[dict[str, str], Depends(_posted_form)]


@dataclass(frozen=True, slots=True)
class Problem:
    """A failure a form shows: the message and the field-level details."""

    status: int
    message: str
    details: list[str]


def problem_of(exc: XinyongError) -> Problem:
    details = []
    for d in exc.details:
        where = " · ".join(str(d[k]) for k in ("line", "field") if d.get(k) is not None)
        reason = d.get("reason") or d.get("message") or ""
        details.append(f"{where}: {reason}" if where else str(reason))
    return Problem(status_for(exc), exc.message, [d for d in details if d])


def invalid_input(exc: ValidationError, message: str, *, whole: str = "") -> InvalidInput:
    """The refusal of a form whose fields a schema refused: ``message``, and a detail per error
    naming its field (``whole``: the name given to an error of the whole form)."""
    details = [
        {"field": ".".join(str(p) for p in e["loc"]) or whole, "reason": e["msg"]}
        for e in exc.errors()
    ]
    return InvalidInput(message, details=details)


def render_form(
    request: Request,
    template: str,
    ctx: dict[str, Any],
    problem: Problem | None = None,
) -> Response:
    """A page with a form: the ``problem`` a refused POST shows beside it sets the status."""
    ctx = {**ctx, "problem": problem}
    return render(request, template, ctx, status_code=problem.status if problem else 200)


@dataclass(frozen=True, slots=True)
class Posted:
    """A form's POST as its ``act`` sees it: ``key`` is what the path names."""

    request: Request
    form: dict[str, str]
    session: Session
    actor: Actor
    clock: Clock
    key: Any
    lists: dict[str, list[str]]

    def text(self, name: str) -> str:
        return self.form.get(name, "").strip()

    def values(self, name: str) -> list[str]:
        """Every value of a field of several (ticked boxes)."""
        return self.lists.get(name, [])


#: What a form does: the URL to go on to (303), or a page to show (a confirmation).
Act = Callable[[Posted], "Response | str"]
#: The form's page again, with the problem of a refused POST.
Again = Callable[[Posted, Problem], Response]


def _no_key() -> None:
    return None


def _admitted(gate: Any) -> Callable[..., Actor]:
    """The dependency of a page's ``Annotated[Actor, Depends(PageGate(...))]``."""
    (admits,) = (m.dependency for m in get_args(gate)[1:] if hasattr(m, "dependency"))
    return admits  # type: ignore[no-any-return]


def form_route(
    router: APIRouter,
    path: str,
    gate: Any,
    key: Callable[..., Any] = _no_key,
    *,
    act: Act,
    again: Again,
    name: str | None = None,
) -> None:
    """Add ``POST path``: checks the CSRF token, reads the form, admits the actor through
    ``gate`` (a page's ``Annotated[Actor, Depends(PageGate(...))]``), parses the path through
    ``key`` (a dependency), then ``act``; a refusal (``XinyongError``) rolls back what was
    flushed and answers ``again``."""
    admits = _admitted(gate)

    def post(
        request: Request,
        form: PostedForm,
        session: SessionDep,
        clock: ClockDep,
        actor: Actor = Depends(admits),
        target: Any = Depends(key),
        lists: dict[str, list[str]] = Depends(_form_lists),
    ) -> Response:
        posted = Posted(request, form, session, actor, clock, target, lists)
        try:
            answer = act(posted)
        except XinyongError as exc:
            session.rollback()
            return again(posted, problem_of(exc))
        if isinstance(answer, Response):
            return answer
        return RedirectResponse(answer, status_code=303)

    router.add_api_route(path, post, methods=["POST"], name=name or act.__name__.lstrip("_"))


#: A page with forms: drawn for a request (``form`` empty on a GET), with the problem of a
#: refused form (or None) and what else it shows (``done``, the refused ``form`` refilled).
Show = Callable[..., Response]


@dataclass(frozen=True, slots=True)
class FormPage:
    """The page of one object at ``path`` (``key``, a dependency, parses it), for the actors
    ``gate`` admits, with forms that POST below it; ``show(posted, problem, **shown)`` draws
    it."""

    router: APIRouter
    path: str
    gate: Any
    key: Callable[..., Any]
    show: Show

    def page(self, name: str) -> None:
        """Add ``GET path``: the page, saying what a form just ``done`` (the query's)."""
        admits, show = _admitted(self.gate), self.show

        def get(
            request: Request,
            session: SessionDep,
            clock: ClockDep,
            actor: Actor = Depends(admits),
            target: Any = Depends(self.key),
            done: str = "",
        ) -> Response:
            return show(Posted(request, {}, session, actor, clock, target, {}), None, done=done)

        self.router.add_api_route(
            self.path, get, methods=["GET"], response_class=HTMLResponse, name=name
        )

    def form(self, path: str, act: Act, *, name: str | None = None, **shown: Any) -> None:
        """Add ``POST <page>/<path>`` (``form_route``): refused, the page again with the problem
        and the form as it was filled in (and ``shown``)."""
        show = self.show

        def again(posted: Posted, problem: Problem) -> Response:
            return show(posted, problem, form=posted.form, **shown)

        form_route(
            self.router, f"{self.path}/{path}", self.gate, self.key, act=act, again=again, name=name
        )
