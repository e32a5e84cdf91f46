"""``/repairs``: credit repair applications and decisions (Art. 36; RGT-5)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from xinyong.documents.pdf import render_pdf
from xinyong.repair import notices, service
from xinyong.repair.schemas import (
    EligibilityRead,
    RepairCreate,
    RepairDecisionCreate,
    RepairList,
    RepairRead,
)
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.params import Id, IdQuery

router = APIRouter(tags=["repairs"])


@router.post("/repairs", status_code=201)
def apply_for_repair(
    body: RepairCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> RepairRead:
    """201 with the application; 422 ``repair_not_eligible`` naming every unmet condition."""
    return service.apply_for_repair(
        session, actor=actor, record_id=body.record_id, statement=body.statement,
        evidence=body.evidence, commitment=body.commitment,
        obligations_fulfilled=body.obligations_fulfilled,
        obligations_proof=body.obligations_proof, at=clock.now(),
    )  # fmt: skip


@router.get("/repairs")
def list_repairs(
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    status: Annotated[str | None, Query(max_length=16)] = None,
) -> RepairList:
    return service.list_repairs(session, actor=actor, at=clock.now(), status=status)


@router.get("/repairs/eligibility")
def eligibility(
    record_id: IdQuery, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> EligibilityRead:
    """Whether an own record may be repaired now, and from when."""
    return service.repair_eligibility(session, actor=actor, record_id=record_id, at=clock.now())


@router.get("/repairs/{repair_id}")
def get_repair(repair_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep) -> RepairRead:
    return service.get_repair(session, actor=actor, repair_id=repair_id, at=clock.now())


@router.post("/repairs/{repair_id}/decision")
def decide(
    repair_id: Id,
    body: RepairDecisionCreate,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
) -> RepairRead:
    return service.decide_repair(
        session, actor=actor, repair_id=repair_id, outcome=body.outcome, reason=body.reason,
        at=clock.now(),
    )  # fmt: skip


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
