"""Inquiry pages (DESIGN §6): the inquirer's and the institution's query page, the subject's
"who looked at my information" and consents pages, the auditor's inquiry log and the credit
office's violation register (Art. 17–20, 31, 38, 44, 45; INQ-1…3, CSI-2, GOV-1).

The services authorise, log and refuse; a page only shows their answer or their refusal.
Revoking a consent goes through a confirmation page (``confirm=1`` does it).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.accounts.rules import PURPOSES
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.inquiry import consents, service
from xinyong.inquiry.purposes import purposes_in_force
from xinyong.inquiry.ratelimit import InquiryGuard
from xinyong.inquiry.rules import INTERNAL_PURPOSES
from xinyong.inquiry.schemas import ConsentCreate, InquiryLogQuery
from xinyong.violations import service as violations
from xinyong.violations.models import ViolationKind
from xinyong.watches.service import my_watchers
from xinyong.web.api.inquiries import LOG_CSV, GuardDep, client_address, log_row
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id, Page
from xinyong.web.ui.components import PageGate, TableQuery, TableSpec, invalid_input, render_form
from xinyong.web.ui.support import FormFields, Problem, Table, csv_response, problem_of

router = APIRouter(include_in_schema=False)

QUERY_ROLES = frozenset({Role.INQUIRER, Role.INSTITUTION})
AuditorPage = Annotated[Actor, Depends(PageGate(Role.AUDITOR))]
OfficePage = Annotated[Actor, Depends(PageGate(Role.CREDIT_OFFICE))]
QueryRolesPage = Annotated[Actor, Depends(PageGate(QUERY_ROLES))]
SubjectPage = Annotated[Actor, Depends(PageGate(Role.SUBJECT))]
PER_PAGE = 50


# --- the inquirer's / institution's query page ------------------------------------------------


def _query_page(
    request: Request, session: Session, actor: Actor, form: dict[str, str], *,
    answer: Any = None, problem: Problem | None = None,
) -> Response:  # fmt: skip
    in_force = purposes_in_force(session)  # only purposes in force are offered (Art. 19)
    mine = in_force if actor.purposes is None else in_force & set(actor.purposes)
    ctx = {
        "purposes": sorted(mine),
        "form": form, "answer": answer, "authorized": actor.role is Role.INSTITUTION,
    }  # fmt: skip
    return render_form(request, "inquiry/query.html", ctx, problem)


@router.get("/inquiry", response_class=HTMLResponse)
def query_form(request: Request, session: SessionDep, actor: QueryRolesPage) -> Response:
    return _query_page(request, session, actor, {})


def _ask(
    session: Session, actor: Actor, clock: Clock, guard: InquiryGuard, form: dict[str, str],
    address: str | None,
) -> Any:  # fmt: skip
    subject, purpose = form.get("subject", "").strip(), form.get("purpose", "").strip()
    if not subject or not purpose:
        raise InvalidInput(
            "请填写主体代码并选择查询用途 / enter the subject's code and choose a purpose",
            details=[{"field": "subject" if not subject else "purpose", "reason": "required"}],
        )
    ask = service.authorized_inquiry if actor.role is Role.INSTITUTION else service.inquire
    return ask(
        session, actor=actor, subject_code=subject, purpose=purpose, at=clock.now(),
        guard=guard, address=address,
    )  # fmt: skip


@router.post("/inquiry", response_class=HTMLResponse)
def query_submit(
    request: Request, _csrf: CsrfDep, form: FormFields, session: SessionDep, actor: QueryRolesPage,
    clock: ClockDep, guard: GuardDep,
) -> Response:  # fmt: skip
    try:
        answer = _ask(session, actor, clock, guard, form, client_address(request))
    except XinyongError as exc:
        return _query_page(request, session, actor, form, problem=problem_of(exc))
    return _query_page(request, session, actor, form, answer=answer)


# --- the subject: who looked, consents --------------------------------------------------------


@router.get("/me/inquiries", response_class=HTMLResponse)
def who_looked(request: Request, session: SessionDep, actor: SubjectPage) -> Response:
    data = service.my_inquiries(session, actor=actor)
    watchers = my_watchers(session, actor=actor)  # who watches me, beside who looked (关注)
    return render(request, "inquiry/my_inquiries.html", {"data": data, "watchers": watchers})


def _consents_page(
    request: Request, session: Session, actor: Actor, clock: Clock, *,
    form: dict[str, str] | None = None, problem: Problem | None = None,
) -> Response:  # fmt: skip
    ctx = {
        "consents": service.my_consents(session, actor=actor, at=clock.now()).items,
        "items": consents.grantable_items(session, at=clock.now()),
        "purposes": sorted(purposes_in_force(session)), "form": form or {},
        "chosen": set((form or {}).get("items", "").split()),
        "done": request.query_params.get("done", ""),
    }  # fmt: skip
    return render_form(request, "inquiry/consents.html", ctx, problem)


@router.get("/me/consents", response_class=HTMLResponse)
def consents_page(
    request: Request, session: SessionDep, actor: SubjectPage, clock: ClockDep
) -> Response:
    return _consents_page(request, session, actor, clock)


def _consent_data(request_form: dict[str, str], items: list[str]) -> ConsentCreate:
    """The grant form as the API's body: the expiry day is included, to its end."""
    day = request_form.get("expires_on", "")
    try:
        expires = datetime.combine(date.fromisoformat(day), time(0), tzinfo=PLATFORM_ZONE)
    except ValueError:
        raise InvalidInput(
            "请填写有效的到期日期 / enter a valid expiry date",
            details=[{"field": "expires_on", "reason": "a date YYYY-MM-DD"}],
        ) from None
    try:
        return ConsentCreate(
            grantee=request_form.get("grantee", "").strip() or "-", items=items or ["-"],
            purpose=request_form.get("purpose", "") or "-",
            expires_at=expires + timedelta(days=1),
            private_fields=request_form.get("private_fields") == "1",
            not_a_condition_of_service=request_form.get("not_a_condition_of_service") == "1",
        )  # fmt: skip
    except ValidationError as exc:
        raise invalid_input(exc, "授权内容有误 / the consent form has errors") from None


async def _form_items(request: Request) -> list[str]:
    form = await request.form()
    return [v for v in form.getlist("items") if isinstance(v, str)]


#: The items ticked on the grant form (a repeated field, which ``FormFields`` folds).
FormItems = Annotated[list[str], Depends(_form_items)]


@router.post("/me/consents", response_class=HTMLResponse)
def grant(
    request: Request, _csrf: CsrfDep, form: FormFields, items: FormItems, session: SessionDep,
    actor: SubjectPage, clock: ClockDep,
) -> Response:  # fmt: skip
    form = {**form, "items": " ".join(items)}
    try:
        data = _consent_data(form, items)
        read = service.grant_consent(session, actor=actor, data=data, at=clock.now())
    except XinyongError as exc:
        session.rollback()
        return _consents_page(request, session, actor, clock, form=form, problem=problem_of(exc))
    return RedirectResponse(f"/me/consents?done=granted-{read.id}", status_code=303)


@router.post("/me/consents/{consent_id}/revoke", response_class=HTMLResponse)
def revoke(
    request: Request, consent_id: Id, _csrf: CsrfDep, form: FormFields, session: SessionDep,
    actor: SubjectPage, clock: ClockDep,
) -> Response:  # fmt: skip
    if form.get("confirm") != "1":
        mine = service.my_consents(session, actor=actor, at=clock.now()).items
        consent = next((c for c in mine if c.id == consent_id), None)
        if consent is None:
            return _consents_page(request, session, actor, clock, problem=Problem(404, (
                f"授权 {consent_id} 不存在 / no consent {consent_id}"), []))  # fmt: skip
        return render(request, "inquiry/confirm_revoke.html", {"consent": consent})
    try:
        service.revoke_consent(session, actor=actor, consent_id=consent_id, at=clock.now())
    except XinyongError as exc:
        return _consents_page(request, session, actor, clock, problem=problem_of(exc))
    return RedirectResponse(f"/me/consents?done=revoked-{consent_id}", status_code=303)


# --- the auditor's inquiry log ----------------------------------------------------------------


LogQueryDep = Annotated[TableQuery[InquiryLogQuery], Depends(TableSpec(InquiryLogQuery))]


@router.get("/audit/inquiries", response_class=HTMLResponse)
def inquiry_log(
    request: Request, q: LogQueryDep, session: SessionDep, actor: AuditorPage, clock: ClockDep
) -> Response:
    log = service.inquiries_for_auditor(
        session, actor=actor, at=clock.now(), filters=q.filters, page=q.page, per_page=PER_PAGE
    )
    table = q.table(request.url.path, pages=log.pages, total=log.total, page=log.page)
    ctx = {
        "log": log, "table": table, "filters": q.values(), "q": q,
        "purposes": _logged_purposes(session),
    }  # fmt: skip
    return render(request, "inquiry/log.html", ctx)


def _logged_purposes(session: Session) -> list[str]:
    """What the log's purpose filter offers: inquiry purposes, retired ones included, and the
    platform's own purposes of logged looks (Art. 20)."""
    return sorted(PURPOSES | purposes_in_force(session) | set(INTERNAL_PURPOSES) | {"self_query"})


@router.get("/audit/inquiries.csv")
def inquiry_log_csv(
    request: Request, q: LogQueryDep, session: SessionDep, actor: AuditorPage, clock: ClockDep
) -> Response:
    log = service.inquiries_for_auditor(
        session, actor=actor, at=clock.now(), filters=q.filters, export=True
    )
    rows = (log_row(r.model_dump(mode="json")) for r in log.items)
    return csv_response("inquiry-log.csv", LOG_CSV, rows)


# --- the credit office's violation register -------------------------------------------------


VIOLATION_CSV = ("id", "at", "kind", "user_name", "org_code", "org_name", "subject_id",
                 "object_type", "object_id", "detail")  # fmt: skip


@router.get("/office/violations", response_class=HTMLResponse)
def violation_register(
    request: Request, session: SessionDep, actor: OfficePage,
    kind: Annotated[str, Query(max_length=32)] = "", page: Page = 1,
) -> Response:  # fmt: skip
    data = violations.list_violations(session, actor=actor, kind=kind or None, page=page)
    table = Table(request.url.path, "at", "desc", data.page, data.pages, data.total, {"kind": kind})
    ctx = {"data": data, "table": table, "kind": kind, "kinds": [k.value for k in ViolationKind]}
    return render(request, "inquiry/violations.html", ctx)


@router.get("/office/violations.csv")
def violation_csv(
    request: Request, session: SessionDep, actor: OfficePage,
    kind: Annotated[str, Query(max_length=32)] = "",
) -> Response:  # fmt: skip
    data = violations.list_violations(session, actor=actor, kind=kind or None, export=True)
    rows = ([getattr(v, c) for c in VIOLATION_CSV] for v in data.items)
    return csv_response("violations.csv", VIOLATION_CSV, rows)
