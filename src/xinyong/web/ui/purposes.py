"""The public page of inquiry purposes (Art. 19 ¶3) and the credit office's page that manages
them and the inquirers' daily caps (Art. 18). The services authorise; the pages show refusals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput
from xinyong.inquiry import purposes
from xinyong.inquiry.purpose_schemas import PurposeCreate
from xinyong.inquiry.ratelimit import harvesting_policy
from xinyong.inquiry.rules import INTERNAL_PURPOSES
from xinyong.web.deps import ActorDep, SessionDep, read_only
from xinyong.web.pages import render
from xinyong.web.ui.components import (
    PageGate,
    Posted,
    Problem,
    form_route,
    invalid_input,
    render_form,
)

router = APIRouter(include_in_schema=False)

OFFICE = frozenset({Role.CREDIT_OFFICE})
OfficePage = Annotated[Actor, Depends(PageGate(OFFICE))]
PAGE = "/office/inquiry-settings"
#: Where a step done goes on to: the settings page, saying it was done.
DONE = f"{PAGE}?done=1"
PURPOSE_FIELDS = ("code", "name_zh", "name_en", "legal_basis")


@router.get("/purposes", response_class=HTMLResponse)
@read_only
def public_page(request: Request, session: SessionDep, actor: ActorDep) -> HTMLResponse:
    items = purposes.published_purposes(session).items
    return render(
        request, "purposes/public.html", {"purposes": items, "internal": INTERNAL_PURPOSES}
    )


def _office_page(
    request: Request, session: Session, actor: Actor, *, form: dict[str, str] | None = None,
    problem: Problem | None = None,
) -> Response:  # fmt: skip
    ctx = {
        "purposes": purposes.managed_purposes(session, actor=actor).items,
        "caps": purposes.caps(session, actor=actor, default=harvesting_policy().daily_cap),
        "form": form or {}, "done": request.query_params.get("done", ""),
    }  # fmt: skip
    return render_form(request, "purposes/office.html", ctx, problem)


@router.get(PAGE, response_class=HTMLResponse)
def office_page(request: Request, session: SessionDep, actor: OfficePage) -> Response:
    return _office_page(request, session, actor)


def _again(p: Posted, problem: Problem) -> Response:
    """The settings page again, the refused form refilled beside its problem."""
    return _office_page(p.request, p.session, p.actor, form=p.form, problem=problem)


def draft(p: Posted) -> str:
    try:
        data = PurposeCreate(**{k: p.form.get(k, "") for k in PURPOSE_FIELDS})
    except ValidationError as exc:
        raise invalid_input(exc, "用途内容有误 / the purpose is invalid") from exc
    purposes.draft_purpose(p.session, actor=p.actor, data=data, at=p.clock.now())
    return DONE


def _purpose_step(code: str, step: str) -> tuple[str, str]:
    return code, step


def step(p: Posted) -> str:
    code, kind = p.key
    if kind == "publish":
        purposes.publish_purpose(p.session, actor=p.actor, code=code[:64], at=p.clock.now())
    elif kind == "retire":
        purposes.retire_purpose(
            p.session, actor=p.actor, code=code[:64], at=p.clock.now(),
            reason=p.form.get("reason", ""),
        )  # fmt: skip
    else:
        raise InvalidInput(f"未知步骤 {kind[:32]} / unknown step", code="unknown_step")
    return DONE


def cap(p: Posted) -> str:
    per_day, user = p.text("per_day"), p.text("user_id")
    if not per_day.isdigit() or (user and not user.isdigit()) or len(per_day + user) > 18:
        raise InvalidInput(
            "上限和账号编号须为正整数 / the cap and the account id are positive whole numbers",
            code="invalid_cap",
        )
    purposes.set_cap(
        p.session, actor=p.actor, per_day=int(per_day), at=p.clock.now(),
        user_id=int(user) if user else None, default=harvesting_policy().daily_cap,
    )  # fmt: skip
    return DONE


form_route(router, f"{PAGE}/purposes", OfficePage, act=draft, again=_again)
form_route(
    router, PAGE + "/purposes/{code}/{step}", OfficePage, _purpose_step, act=step, again=_again
)
form_route(router, f"{PAGE}/cap", OfficePage, act=cap, again=_again)
