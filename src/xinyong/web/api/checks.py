"""``/checks``, ``/measures``, ``/me/measures``, ``/spot-checks``, ``/commitments`` (Art. 8,
21–24, 28, 29; MEA-1, MEA-2, MEA-3, MEA-5, MEA-6)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from xinyong.catalogue.models import VersionStatus
from xinyong.measures import service
from xinyong.measures.schemas import (
    AppliedCreate,
    AppliedList,
    AppliedMeasureRead,
    CheckCreate,
    CheckRead,
    CommitmentClose,
    CommitmentCreate,
    CommitmentList,
    CommitmentRead,
    DecisionCreate,
    MeasureCreate,
    MeasureList,
    MeasureRead,
    OpinionCreate,
    PublishCreate,
    SpotCheckCreate,
    SpotCheckList,
    SpotCheckRead,
    StatementAnswerCreate,
    StatementCreate,
)
from xinyong.measures.spotchecks import list_draws
from xinyong.web.api.inquiries import GuardDep, client_address
from xinyong.web.deps import ActingDep, ActorDep, SessionDep
from xinyong.web.params import Id

router = APIRouter(tags=["measures"])


@router.post("/checks")
def run_check(body: CheckCreate, request: Request, acting: ActingDep, guard: GuardDep) -> CheckRead:
    return acting(
        service.run_check,
        subject_code=body.subject,
        matter=body.matter,
        guard=guard,
        address=client_address(request),
    )


@router.post("/checks/{check_id}/applied", status_code=201)
def record_applied(check_id: Id, body: AppliedCreate, acting: ActingDep) -> AppliedList:
    return acting(service.record_applied, check_id=check_id, measure_codes=body.measures)


@router.get("/checks/{check_id}/measures")
def check_measures(check_id: Id, acting: ActingDep) -> AppliedList:
    return acting(service.check_measures, check_id=check_id)


@router.post("/checks/{check_id}/measures/{code}/decision")
def decide_measure(
    check_id: Id, code: str, body: DecisionCreate, acting: ActingDep
) -> AppliedMeasureRead:
    """Apply or withdraw a notified disciplinary measure (Art. 29 para. 2)."""
    return acting(
        service.decide_measure,
        check_id=check_id,
        code=code,
        outcome=body.outcome,
        reason=body.reason,
    )


@router.post("/checks/{check_id}/measures/{code}/statement-answer")
def answer_statement(
    check_id: Id, code: str, body: StatementAnswerCreate, acting: ActingDep
) -> AppliedMeasureRead:
    return acting(service.answer_statement, check_id=check_id, code=code, answer=body.answer)


@router.post("/me/measures/{applied_id}/statement", status_code=201)
def state_defence(applied_id: Id, body: StatementCreate, acting: ActingDep) -> AppliedMeasureRead:
    """The subject states its case and defends itself (Art. 29 para. 2)."""
    return acting(service.state_defence, applied_id=applied_id, statement=body.statement)


@router.get("/measures")
def list_measures(session: SessionDep, actor: ActorDep) -> MeasureList:
    """Published lists for everyone (Art. 24: made public); every state to staff."""
    published_only = actor.is_anonymous or actor.role.value in ("subject", "public")
    return MeasureList(
        items=service.list_measures(session, actor=actor, published_only=published_only)
    )


@router.post("/measures", status_code=201)
def draft_measure(body: MeasureCreate, acting: ActingDep) -> MeasureRead:
    return service.measure_read(acting(service.draft_measure, data=body))


@router.post("/measures/{code}/comment")
def open_comment(code: str, acting: ActingDep) -> MeasureRead:
    to = VersionStatus.PUBLIC_COMMENT
    return service.measure_read(acting(service.advance_measure, code=code, to=to))


@router.post("/measures/{code}/opinions", status_code=201)
def record_opinion(code: str, body: OpinionCreate, acting: ActingDep) -> dict[str, int]:
    return {"id": acting(service.record_measure_opinion, code=code, opinion=body).id}


@router.post("/measures/{code}/report")
def report(code: str, acting: ActingDep) -> MeasureRead:
    to = VersionStatus.REPORTED
    return service.measure_read(acting(service.advance_measure, code=code, to=to))


@router.post("/measures/{code}/publication")
def publish(code: str, body: PublishCreate, acting: ActingDep) -> MeasureRead:
    m = acting(service.publish_measure, code=code, effective_on=body.effective_on)
    return service.measure_read(m)


@router.get("/me/measures")
def my_measures(acting: ActingDep) -> AppliedList:
    return acting(service.my_measures)


@router.post("/spot-checks", status_code=201)
def draw_spot_check(body: SpotCheckCreate, acting: ActingDep) -> SpotCheckRead:
    return acting(
        service.draw_spot_check, ratios=body.ratios, seed=body.seed, subject_codes=body.subjects
    )


@router.get("/spot-checks")
def spot_checks(session: SessionDep, actor: ActorDep) -> SpotCheckList:
    return list_draws(session, actor=actor)


@router.get("/spot-checks/{draw_id}")
def spot_check(draw_id: Id, session: SessionDep, actor: ActorDep) -> SpotCheckRead:
    return service.get_draw(session, actor=actor, draw_id=draw_id)


@router.post("/commitments", status_code=201)
def record_commitment(body: CommitmentCreate, acting: ActingDep) -> CommitmentRead:
    return acting(service.record_commitment, data=body)


@router.get("/commitments")
def commitments(acting: ActingDep, subject: str | None = None) -> CommitmentList:
    return acting(service.list_commitments, subject_code=subject)


@router.post("/commitments/{commitment_id}/fulfilment")
def fulfil(commitment_id: Id, body: CommitmentClose, acting: ActingDep) -> CommitmentRead:
    return acting(service.mark_fulfilled, commitment_id=commitment_id, data=body)


@router.post("/commitments/{commitment_id}/breach")
def breach(commitment_id: Id, body: CommitmentClose, acting: ActingDep) -> CommitmentRead:
    return acting(service.mark_breached, commitment_id=commitment_id, data=body)
