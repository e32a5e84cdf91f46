"""``/objections`` (Art. 32; RGT-2) and ``/corrections`` (Art. 33, 34; RGT-3, RGT-4)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

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
from xinyong.web.deps import ActingDep
from xinyong.web.params import CaseStatus, Id

router = APIRouter(tags=["objections"])


@router.post("/objections", status_code=201)
def file_objection(
    body: ObjectionCreate,
    response: Response,
    acting: ActingDep,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> ObjectionRead:
    """201 with the new objection; 200 with the same one when it was already filed. A record
    (``record_id``), an omission or a handling (``kind``, ``item``/``channel``): Art. 32."""
    key = body.idempotency_key or idempotency_key
    common = {"reason": body.reason, "idempotency_key": key, "identity_check": body.identity_check}
    if body.record_id is None:
        objection, created = acting(
            scope.file_scope_objection,
            kind=body.kind or "",
            item=body.item,
            channel=body.channel,
            subject_code=body.subject,
            **common,
        )
    else:
        objection, created = acting(service.file_objection, record_id=body.record_id, **common)
    response.status_code = 201 if created else 200
    return objection


@router.get("/objections")
def list_objections(acting: ActingDep, status: CaseStatus = None) -> ObjectionList:
    return acting(service.list_objections, status=status)


@router.get("/objections/{objection_id}")
def get_objection(objection_id: Id, acting: ActingDep) -> ObjectionRead:
    return acting(service.get_objection, objection_id=objection_id)


@router.post("/objections/{objection_id}/assistance")
def request_assistance(
    objection_id: Id, acting: ActingDep, body: AssistanceCreate | None = None
) -> ObjectionRead:
    unit = body.assisting_unit if body else ""
    return acting(service.request_assistance, objection_id=objection_id, assisting_unit=unit)


@router.post("/objections/{objection_id}/decision")
def decide(objection_id: Id, body: DecisionCreate, acting: ActingDep) -> ObjectionRead:
    return acting(service.decide_objection, objection_id=objection_id, **body.model_dump())


@router.post("/corrections", status_code=201)
def start_correction(body: CorrectionCreate, acting: ActingDep) -> CorrectionRead:
    """Art. 33 (``discovered_error``) or Art. 34 (``revocation``, with the revoking document)."""
    record = {"record_id": body.record_id, "description": body.description}
    if body.kind == "revocation":
        document_no = body.revoking_document_no or ""
        return acting(
            corrections.record_revocation_notice,
            document_no=document_no,
            received_on=body.started_on,
            **record,
        )
    return acting(corrections.record_discovered_error, discovered_on=body.started_on, **record)


@router.get("/corrections")
def list_corrections(acting: ActingDep) -> list[CorrectionRead]:
    return acting(corrections.list_corrections)


@router.post("/corrections/{duty_id}/fulfilment")
def fulfil_correction(duty_id: Id, body: CorrectionFulfil, acting: ActingDep) -> CorrectionRead:
    return acting(corrections.fulfil_correction, duty_id=duty_id, **body.model_dump())
