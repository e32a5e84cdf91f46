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
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.params import Id

router = APIRouter(tags=["measures"])


@router.post("/checks")
def run_check(
    body: CheckCreate, request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep,
    guard: GuardDep,
) -> CheckRead:  # fmt: skip
    return service.run_check(
        session, actor=actor, subject_code=body.subject, matter=body.matter, at=clock.now(),
        guard=guard, address=client_address(request),
    )  # fmt: skip


@router.post("/checks/{check_id}/applied", status_code=201)
def record_applied(
    check_id: Id, body: AppliedCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> AppliedList:
    return service.record_applied(
        session, actor=actor, check_id=check_id, measure_codes=body.measures, at=clock.now()
    )


@router.get("/checks/{check_id}/measures")
def check_measures(
    check_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> AppliedList:
    return service.check_measures(session, actor=actor, check_id=check_id, at=clock.now())


@router.post("/checks/{check_id}/measures/{code}/decision")
def decide_measure(
    check_id: Id, code: str, body: DecisionCreate, session: SessionDep, actor: ActorDep,
    clock: ClockDep,
) -> AppliedMeasureRead:  # fmt: skip
    """Apply or withdraw a notified disciplinary measure (Art. 29 para. 2)."""
    return service.decide_measure(
        session, actor=actor, check_id=check_id, code=code, outcome=body.outcome,
        reason=body.reason, at=clock.now(),
    )  # fmt: skip


@router.post("/checks/{check_id}/measures/{code}/statement-answer")
def answer_statement(
    check_id: Id, code: str, body: StatementAnswerCreate, session: SessionDep, actor: ActorDep,
    clock: ClockDep,
) -> AppliedMeasureRead:  # fmt: skip
    return service.answer_statement(
        session, actor=actor, check_id=check_id, code=code, answer=body.answer, at=clock.now()
    )


@router.post("/me/measures/{applied_id}/statement", status_code=201)
def state_defence(
    applied_id: Id, body: StatementCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> AppliedMeasureRead:
    """The subject states its case and defends itself (Art. 29 para. 2)."""
    return service.state_defence(
        session, actor=actor, applied_id=applied_id, statement=body.statement, at=clock.now()
    )


@router.get("/measures")
def list_measures(session: SessionDep, actor: ActorDep) -> MeasureList:
    """Published lists for everyone (Art. 24: made public); every state to staff."""
    published_only = actor.is_anonymous or actor.role.value in ("subject", "public")
    return MeasureList(
        items=service.list_measures(session, actor=actor, published_only=published_only)
    )


@router.post("/measures", status_code=201)
def draft_measure(
    body: MeasureCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> MeasureRead:
    m = service.draft_measure(session, actor=actor, data=body, at=clock.now())
    return service.measure_read(m)


@router.post("/measures/{code}/comment")
def open_comment(code: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> MeasureRead:
    to = VersionStatus.PUBLIC_COMMENT
    m = service.advance_measure(session, actor=actor, code=code, to=to, at=clock.now())
    return service.measure_read(m)


@router.post("/measures/{code}/opinions", status_code=201)
def record_opinion(
    code: str, body: OpinionCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> dict[str, int]:
    row = service.record_measure_opinion(
        session, actor=actor, code=code, opinion=body, at=clock.now()
    )
    return {"id": row.id}


@router.post("/measures/{code}/report")
def report(code: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> MeasureRead:
    to = VersionStatus.REPORTED
    m = service.advance_measure(session, actor=actor, code=code, to=to, at=clock.now())
    return service.measure_read(m)


@router.post("/measures/{code}/publication")
def publish(
    code: str, body: PublishCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> MeasureRead:
    m = service.publish_measure(
        session, actor=actor, code=code, effective_on=body.effective_on, at=clock.now()
    )
    return service.measure_read(m)


@router.get("/me/measures")
def my_measures(session: SessionDep, actor: ActorDep, clock: ClockDep) -> AppliedList:
    return service.my_measures(session, actor=actor, at=clock.now())


@router.post("/spot-checks", status_code=201)
def draw_spot_check(
    body: SpotCheckCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> SpotCheckRead:
    return service.draw_spot_check(
        session, actor=actor, at=clock.now(), ratios=body.ratios, seed=body.seed,
        subject_codes=body.subjects,
    )  # fmt: skip


@router.get("/spot-checks")
def spot_checks(session: SessionDep, actor: ActorDep) -> SpotCheckList:
    return list_draws(session, actor=actor)


@router.get("/spot-checks/{draw_id}")
def spot_check(draw_id: Id, session: SessionDep, actor: ActorDep) -> SpotCheckRead:
    return service.get_draw(session, actor=actor, draw_id=draw_id)


@router.post("/commitments", status_code=201)
def record_commitment(
    body: CommitmentCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> CommitmentRead:
    return service.record_commitment(session, actor=actor, data=body, at=clock.now())


@router.get("/commitments")
def commitments(
    session: SessionDep, actor: ActorDep, clock: ClockDep, subject: str | None = None
) -> CommitmentList:
    return service.list_commitments(session, actor=actor, at=clock.now(), subject_code=subject)


@router.post("/commitments/{commitment_id}/fulfilment")
def fulfil(
    commitment_id: Id, body: CommitmentClose, session: SessionDep, actor: ActorDep,
    clock: ClockDep,
) -> CommitmentRead:  # fmt: skip
    return service.mark_fulfilled(
        session, actor=actor, commitment_id=commitment_id, data=body, at=clock.now()
    )


@router.post("/commitments/{commitment_id}/breach")
def breach(
    commitment_id: Id, body: CommitmentClose, session: SessionDep, actor: ActorDep,
    clock: ClockDep,
) -> CommitmentRead:  # fmt: skip
    return service.mark_breached(
        session, actor=actor, commitment_id=commitment_id, data=body, at=clock.now()
    )
