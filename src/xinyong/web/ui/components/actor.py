"""Who may open a page: one dependency instead of a check written out in every handler.

Pages only establish the actor; the services authorise each action. What the gate does is the
browser's courtesy: the public is sent to the login page (and back afterwards), an account of
another role gets the 403 page instead of a form that every service call would refuse.

    SubjectPage = Annotated[Actor, Depends(PageGate(Role.SUBJECT))]

    @router.get("/me/things")
    def my_things(request: Request, actor: SubjectPage) -> Response: ...
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from xinyong.core.actor import Actor, Role
from xinyong.web.deps import ActorDep
from xinyong.web.errors import Answered
from xinyong.web.pages import render_error_page


def page_gate(request: Request, actor: Actor, roles: frozenset[Role]) -> Response | None:
    """``None`` when ``actor`` may open this page; else the redirect to the login page (the
    public) or the 403 page (another role)."""
    if actor.is_anonymous:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    if actor.role not in roles:
        names = sorted(r.value for r in roles)
        message = (
            f"此页面仅供{'、'.join(names)}使用 / this page is for {', '.join(names)} accounts only"
        )
        return render_error_page(request, 403, "forbidden", message)
    return None


class PageGate:
    """A dependency answering the page's actor, or refusing with the mapped answer."""

    def __init__(self, *roles: Role | frozenset[Role]) -> None:
        admitted: set[Role] = set()
        for r in roles:
            admitted |= {r} if isinstance(r, Role) else set(r)
        self.roles = frozenset(admitted)

    def __call__(self, request: Request, actor: ActorDep) -> Actor:
        refusal = page_gate(request, actor, self.roles)
        if refusal is not None:
            raise Answered(refusal)
        return actor
