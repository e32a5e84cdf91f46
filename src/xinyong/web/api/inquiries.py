"""``/inquiries``, ``/authorized-inquiries``, ``/window-inquiries``, ``/consents`` and the
subject's ``/me/inquiries`` and ``/me/consents`` (Art. 17–20, 31, 38; INQ-1…3, CSI-2)."""

from __future__ import annotations

import threading
from typing import Annotated

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
from xinyong.web.deps import ActorDep, ClockDep, SessionDep, SettingsDep
from xinyong.web.params import Id, Page
from xinyong.web.ui.support import csv_response

router = APIRouter(tags=["inquiries"])
_guard_lock = threading.Lock()

LOG_CSV = (
    "id", "at", "user_name", "org_code", "org_name", "subject_code", "purpose", "channel",
    "outcome", "refusal_code", "items", "record_ids", "consent_id", "identity_check",
    "request_id",
)  # fmt: skip


def get_guard(request: Request, settings: SettingsDep) -> InquiryGuard:
    """This process's rate limits (INQ-3), made on first use from the settings."""
    with _guard_lock:
        guard = getattr(request.app.state, "inquiry_guard", None)
        if not isinstance(guard, InquiryGuard):
            guard = InquiryGuard(per_minute=settings.rate_limit_per_minute)
            request.app.state.inquiry_guard = guard
    return guard


GuardDep = Annotated[InquiryGuard, Depends(get_guard)]


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.post("/inquiries")
def inquire(
    body: InquiryCreate, request: Request, session: SessionDep, actor: ActorDep,
    clock: ClockDep, guard: GuardDep,
) -> InquiryAnswer:  # fmt: skip
    return service.inquire(
        session, actor=actor, subject_code=body.subject, purpose=body.purpose, at=clock.now(),
        items=body.items, guard=guard, address=client_address(request),
    )  # fmt: skip


@router.post("/authorized-inquiries")
def authorized_inquiry(
    body: AuthorizedInquiryCreate, request: Request, session: SessionDep, actor: ActorDep,
    clock: ClockDep, guard: GuardDep,
) -> InquiryAnswer:  # fmt: skip
    return service.authorized_inquiry(
        session, actor=actor, subject_code=body.subject, purpose=body.purpose, at=clock.now(),
        guard=guard, address=client_address(request),
    )  # fmt: skip


@router.post("/window-inquiries")
def window_inquiry(
    body: WindowInquiryCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> InquiryAnswer:
    return service.window_inquiry(
        session, actor=actor, subject_code=body.subject, identity_check=body.identity_check,
        at=clock.now(),
    )  # fmt: skip


LogQueryDep = Annotated[InquiryLogQuery, Query()]


@router.get("/inquiries")
def inquiry_log(
    q: LogQueryDep, session: SessionDep, actor: ActorDep, clock: ClockDep,
    page: Page = 1, per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InquiryLogPage:  # fmt: skip
    return service.inquiries_for_auditor(
        session, actor=actor, at=clock.now(), filters=q, page=page, per_page=per_page
    )


@router.get("/inquiries.csv")
def inquiry_log_csv(
    q: LogQueryDep, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> Response:
    log = service.inquiries_for_auditor(
        session, actor=actor, at=clock.now(), filters=q, export=True
    )
    rows = (log_row(r.model_dump(mode="json")) for r in log.items)
    return csv_response("inquiry-log.csv", LOG_CSV, rows)


def log_row(row: dict[str, object]) -> list[object]:
    return [" ".join(map(str, v)) if isinstance(v, list) else v for v in (row[c] for c in LOG_CSV)]


@router.get("/me/inquiries")
def my_inquiries(session: SessionDep, actor: ActorDep) -> SubjectInquiries:
    return service.my_inquiries(session, actor=actor)


@router.get("/me/consents")
def my_consents(session: SessionDep, actor: ActorDep, clock: ClockDep) -> ConsentList:
    return service.my_consents(session, actor=actor, at=clock.now())


@router.post("/consents", status_code=201)
def grant_consent(
    body: ConsentCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ConsentRead:
    return service.grant_consent(session, actor=actor, data=body, at=clock.now())


@router.delete("/consents/{consent_id}")
def revoke_consent(
    consent_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ConsentRead:
    return service.revoke_consent(session, actor=actor, consent_id=consent_id, at=clock.now())
