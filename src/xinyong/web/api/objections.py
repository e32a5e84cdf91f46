"""``/objections`` (Art. 32; RGT-2) and ``/corrections`` (Art. 33, 34; RGT-3, RGT-4)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from xinyong.objections import corrections, scope, service
from xinyong.objections.schemas import (
    AssistanceCreate,
    CorrectionCreate,
    CorrectionFulfil,
    CorrectionRead,
    DecisionCreate,
    ObjectionCreate,
    ObjectionList,
    ObjectionRead,
)
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.params import Id

router = APIRouter(tags=["objections"])


@router.post("/objections", status_code=201)
def file_objection(
    body: ObjectionCreate,
    response: Response,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> ObjectionRead:
    """201 with the new objection; 200 with the same one when it was already filed. A record
    (``record_id``), an omission or a handling (``kind``, ``item``/``channel``): Art. 32."""
    key = body.idempotency_key or idempotency_key
    if body.record_id is None:
        objection, created = scope.file_scope_objection(
            session, actor=actor, kind=body.kind or "", item=body.item, channel=body.channel,
            subject_code=body.subject, reason=body.reason, at=clock.now(),
            idempotency_key=key, identity_check=body.identity_check,
        )  # fmt: skip
    else:
        objection, created = service.file_objection(
            session, actor=actor, record_id=body.record_id, reason=body.reason, at=clock.now(),
            idempotency_key=key, identity_check=body.identity_check,
        )  # fmt: skip
    response.status_code = 201 if created else 200
    return objection


@router.get("/objections")
def list_objections(
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    status: Annotated[str | None, Query(max_length=16)] = None,
) -> ObjectionList:
    return service.list_objections(session, actor=actor, at=clock.now(), status=status)


@router.get("/objections/{objection_id}")
def get_objection(
    objection_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ObjectionRead:
    return service.get_objection(session, actor=actor, objection_id=objection_id, at=clock.now())


@router.post("/objections/{objection_id}/assistance")
def request_assistance(
    objection_id: Id,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    body: AssistanceCreate | None = None,
) -> ObjectionRead:
    return service.request_assistance(
        session, actor=actor, objection_id=objection_id, at=clock.now(),
        assisting_unit=body.assisting_unit if body else "",
    )  # fmt: skip


@router.post("/objections/{objection_id}/decision")
def decide(
    objection_id: Id, body: DecisionCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ObjectionRead:
    return service.decide_objection(
        session, actor=actor, objection_id=objection_id, outcome=body.outcome,
        reason=body.reason, fields=body.fields, action=body.action, at=clock.now(),
    )  # fmt: skip


@router.post("/corrections", status_code=201)
def start_correction(
    body: CorrectionCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> CorrectionRead:
    """Art. 33 (``discovered_error``) or Art. 34 (``revocation``, with the revoking document)."""
    if body.kind == "revocation":
        return corrections.record_revocation_notice(
            session, actor=actor, record_id=body.record_id, description=body.description,
            document_no=body.revoking_document_no or "", received_on=body.started_on,
            at=clock.now(),
        )  # fmt: skip
    return corrections.record_discovered_error(
        session, actor=actor, record_id=body.record_id, description=body.description,
        discovered_on=body.started_on, at=clock.now(),
    )  # fmt: skip


@router.get("/corrections")
def list_corrections(session: SessionDep, actor: ActorDep, clock: ClockDep) -> list[CorrectionRead]:
    return corrections.list_corrections(session, actor=actor, at=clock.now())


@router.post("/corrections/{duty_id}/fulfilment")
def fulfil_correction(
    duty_id: Id, body: CorrectionFulfil, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> CorrectionRead:
    return corrections.fulfil_correction(
        session, actor=actor, duty_id=duty_id, reason=body.reason, fields=body.fields,
        action=body.action, at=clock.now(),
    )  # fmt: skip
