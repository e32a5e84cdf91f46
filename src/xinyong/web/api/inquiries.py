"""``/inquiries``, ``/authorized-inquiries``, ``/window-inquiries``, ``/consents`` and the
subject's ``/me/inquiries`` and ``/me/consents`` (Art. 17–20, 31, 38; INQ-1…3, CSI-2)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from xinyong.inquiry import service
from xinyong.inquiry.ratelimit import InquiryGuard
from xinyong.inquiry.schemas import (
    AuthorizedInquiryCreate,
    ConsentCreate,
    ConsentList,
    ConsentRead,
    InquiryAnswer,
    InquiryCreate,
    InquiryLogPage,
    InquiryLogQuery,
    SubjectInquiries,
    WindowInquiryCreate,
)
from xinyong.web.deps import Acting, ActingDep, ActorDep, SessionDep, SettingsDep
from xinyong.web.params import Id, Page
from xinyong.web.transactions import answer_committed
from xinyong.web.ui.support import csv_response

router = APIRouter(tags=["inquiries"])
_guard_lock = threading.Lock()

LOG_CSV = (
    "id", "at", "user_name", "org_code", "org_name", "subject_code", "purpose", "channel",
    "outcome", "refusal_code", "items", "record_ids", "consent_id", "identity_check",
    "request_id",
)  # fmt: skip


async def get_guard(request: Request, settings: SettingsDep) -> InquiryGuard:
    """This process's rate limits (INQ-3), made on first use from the settings. ``async``:
    no I/O, cheaper than the hand-off to a worker thread a plain dependency costs."""
    with _guard_lock:
        guard = getattr(request.app.state, "inquiry_guard", None)
        if not isinstance(guard, InquiryGuard):
            guard = InquiryGuard(per_minute=settings.rate_limit_per_minute)
            request.app.state.inquiry_guard = guard
    return guard


GuardDep = Annotated[InquiryGuard, Depends(get_guard)]


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def _guarded(
    acting: Acting,
    use_case: Callable[..., InquiryAnswer],
    body: InquiryCreate | AuthorizedInquiryCreate,
    request: Request,
    guard: InquiryGuard,
    **more: Any,
) -> InquiryAnswer:
    """An inquiry under this process's rate limits, from the client's address."""
    address = client_address(request)
    subject, purpose = body.subject, body.purpose
    return acting(
        use_case, subject_code=subject, purpose=purpose, guard=guard, address=address, **more
    )


@router.post("/inquiries", response_model=InquiryAnswer)
def inquire(body: InquiryCreate, request: Request, acting: ActingDep, guard: GuardDep) -> Response:
    answer = _guarded(acting, service.inquire, body, request, guard, items=body.items)
    return answer_committed(request, answer)


@router.post("/authorized-inquiries")
def authorized_inquiry(
    body: AuthorizedInquiryCreate, request: Request, acting: ActingDep, guard: GuardDep
) -> InquiryAnswer:
    return _guarded(acting, service.authorized_inquiry, body, request, guard)


@router.post("/window-inquiries")
def window_inquiry(body: WindowInquiryCreate, acting: ActingDep) -> InquiryAnswer:
    check = body.identity_check
    return acting(service.window_inquiry, subject_code=body.subject, identity_check=check)


LogQueryDep = Annotated[InquiryLogQuery, Query()]


@router.get("/inquiries")
def inquiry_log(
    q: LogQueryDep,
    acting: ActingDep,
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InquiryLogPage:
    return acting(service.inquiries_for_auditor, filters=q, page=page, per_page=per_page)


@router.get("/inquiries.csv")
def inquiry_log_csv(q: LogQueryDep, acting: ActingDep) -> Response:
    log = acting(service.inquiries_for_auditor, filters=q, export=True)
    rows = (log_row(r.model_dump(mode="json")) for r in log.items)
    return csv_response("inquiry-log.csv", LOG_CSV, rows)


def log_row(row: dict[str, object]) -> list[object]:
    return [" ".join(map(str, v)) if isinstance(v, list) else v for v in (row[c] for c in LOG_CSV)]


@router.get("/me/inquiries")
def my_inquiries(session: SessionDep, actor: ActorDep) -> SubjectInquiries:
    return service.my_inquiries(session, actor=actor)


@router.get("/me/consents")
def my_consents(acting: ActingDep) -> ConsentList:
    return acting(service.my_consents)


@router.post("/consents", status_code=201)
def grant_consent(body: ConsentCreate, acting: ActingDep) -> ConsentRead:
    return acting(service.grant_consent, data=body)


@router.delete("/consents/{consent_id}")
def revoke_consent(consent_id: Id, acting: ActingDep) -> ConsentRead:
    return acting(service.revoke_consent, consent_id=consent_id)
