"""``/repairs``: credit repair applications and decisions (Art. 36; RGT-5)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response

from xinyong.documents.pdf import render_pdf
from xinyong.repair import notices, service
from xinyong.repair.schemas import (
    EligibilityRead,
    RepairCreate,
    RepairDecisionCreate,
    RepairList,
    RepairRead,
)
from xinyong.web.deps import ActingDep, ActorDep, SessionDep
from xinyong.web.params import CaseStatus, Id, IdQuery

router = APIRouter(tags=["repairs"])


@router.post("/repairs", status_code=201)
def apply_for_repair(body: RepairCreate, acting: ActingDep) -> RepairRead:
    """201 with the application; 422 ``repair_not_eligible`` naming every unmet condition."""
    return acting(service.apply_for_repair, **body.model_dump())


@router.get("/repairs")
def list_repairs(acting: ActingDep, status: CaseStatus = None) -> RepairList:
    return acting(service.list_repairs, status=status)


@router.get("/repairs/eligibility")
def eligibility(record_id: IdQuery, acting: ActingDep) -> EligibilityRead:
    """Whether an own record may be repaired now, and from when."""
    return acting(service.repair_eligibility, record_id=record_id)


@router.get("/repairs/{repair_id}")
def get_repair(repair_id: Id, acting: ActingDep) -> RepairRead:
    return acting(service.get_repair, repair_id=repair_id)


@router.post("/repairs/{repair_id}/decision")
def decide(repair_id: Id, body: RepairDecisionCreate, acting: ActingDep) -> RepairRead:
    return acting(service.decide_repair, repair_id=repair_id, **body.model_dump())


@router.get("/repairs/{repair_id}/evidence/{file_id}")
def evidence_file(repair_id: Id, file_id: Id, session: SessionDep, actor: ActorDep) -> Response:
    found = service.evidence_file(session, actor=actor, repair_id=repair_id, file_id=file_id)
    disposition = f"attachment; filename*=UTF-8''{quote(found.name)}"
    return Response(found.content, media_type=found.content_type,
                    headers={"Content-Disposition": disposition,
                             "X-Content-Type-Options": "nosniff"})  # fmt: skip


@router.get("/records/{record_id}/repair-notice.pdf", response_class=Response)
def repair_notice_pdf(record_id: Id, session: SessionDep, actor: ActorDep) -> Response:
    """The credit-repair notice of a record, for its provider to serve with its decision."""
    doc = notices.notice_of_record(session, actor=actor, record_id=record_id)
    disposition = f'attachment; filename="{doc.number}.pdf"'
    return Response(render_pdf(doc.html), media_type="application/pdf",
                    headers={"Content-Disposition": disposition})  # fmt: skip
