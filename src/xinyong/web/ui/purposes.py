"""The public page of inquiry purposes (Art. 19 ¶3) and the credit office's page that manages
them and the inquirers' daily caps (Art. 18). The services authorise; the pages show refusals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.inquiry import purposes
from xinyong.inquiry.purpose_schemas import PurposeCreate
from xinyong.inquiry.ratelimit import harvesting_policy
from xinyong.inquiry.rules import INTERNAL_PURPOSES
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ActorDep, ClockDep, SessionDep, read_only
from xinyong.web.pages import render
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import FormFields, Problem, problem_of

router = APIRouter(include_in_schema=False)

OFFICE = frozenset({Role.CREDIT_OFFICE})
OfficePage = Annotated[Actor, Depends(PageGate(OFFICE))]
PAGE = "/office/inquiry-settings"


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
        "form": form or {}, "problem": problem, "done": request.query_params.get("done", ""),
    }  # fmt: skip
    return render(
        request, "purposes/office.html", ctx, status_code=problem.status if problem else 200
    )


@router.get(PAGE, response_class=HTMLResponse)
def office_page(request: Request, session: SessionDep, actor: OfficePage) -> Response:
    return _office_page(request, session, actor)


def _done() -> Response:
    return RedirectResponse(f"{PAGE}?done=1", status_code=303)


@router.post(f"{PAGE}/purposes")
def draft(
    request: Request, _csrf: CsrfDep, form: FormFields, session: SessionDep, actor: OfficePage,
    clock: ClockDep,
) -> Response:  # fmt: skip
    try:
        try:
            data = PurposeCreate(
                **{k: form.get(k, "") for k in ("code", "name_zh", "name_en", "legal_basis")}
            )
        except ValidationError as exc:
            raise InvalidInput(
                "用途内容有误 / the purpose is invalid",
                details=[
                    {"field": ".".join(map(str, e["loc"])), "reason": e["msg"]}
                    for e in exc.errors()
                ],
            ) from exc
        purposes.draft_purpose(session, actor=actor, data=data, at=clock.now())
    except XinyongError as exc:
        return _office_page(request, session, actor, form=form, problem=problem_of(exc))
    return _done()


@router.post(PAGE + "/purposes/{code}/{step}")
def step(
    request: Request, code: str, step: str, _csrf: CsrfDep, form: FormFields,
    session: SessionDep, actor: OfficePage, clock: ClockDep,
) -> Response:  # fmt: skip
    try:
        if step == "publish":
            purposes.publish_purpose(session, actor=actor, code=code[:64], at=clock.now())
        elif step == "retire":
            purposes.retire_purpose(
                session, actor=actor, code=code[:64], at=clock.now(), reason=form.get("reason", "")
            )
        else:
            raise InvalidInput(f"未知步骤 {step[:32]} / unknown step", code="unknown_step")
    except XinyongError as exc:
        return _office_page(request, session, actor, form=form, problem=problem_of(exc))
    return _done()


@router.post(f"{PAGE}/cap")
def cap(
    request: Request, _csrf: CsrfDep, form: FormFields, session: SessionDep, actor: OfficePage,
    clock: ClockDep,
) -> Response:  # fmt: skip
    try:
        per_day, user = form.get("per_day", "").strip(), form.get("user_id", "").strip()
        if not per_day.isdigit() or (user and not user.isdigit()) or len(per_day + user) > 18:
            raise InvalidInput(
                "上限和账号编号须为正整数 / the cap and the account id are positive whole numbers",
                code="invalid_cap",
            )
        purposes.set_cap(
            session, actor=actor, per_day=int(per_day), at=clock.now(),
            user_id=int(user) if user else None, default=harvesting_policy().daily_cap,
        )  # fmt: skip
    except XinyongError as exc:
        return _office_page(request, session, actor, form=form, problem=problem_of(exc))
    return _done()
