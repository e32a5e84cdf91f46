"""``/lists`` — the serious dishonesty list procedure (Art. 25–27, 29, 36; LST-1…4) — and
``/red-list`` (Art. 22; MEA-4). One route per procedure step; the services authorise."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from xinyong.lists import service
from xinyong.lists.schemas import (
    DecisionCreate,
    EntryList,
    EntryRead,
    MyLists,
    ObjectionAnswer,
    ObjectionCreate,
    ProcedureCreate,
    ProcedureList,
    ProcedureRead,
    ReasonBody,
    RedList,
    RedListCreate,
    RedListRead,
    ServiceCreate,
    StatementCreate,
    StepBody,
)
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.params import Id

router = APIRouter(tags=["lists"])
P = "/lists/procedures/{procedure_id}"


@router.post("/lists/procedures", status_code=201)
def propose(
    body: ProcedureCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ProcedureRead:
    return service.propose(session, actor=actor, data=body, at=clock.now())


@router.get("/lists/procedures")
def list_procedures(
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    state: Annotated[str | None, Query(max_length=32)] = None,
) -> ProcedureList:
    return service.list_procedures(session, actor=actor, at=clock.now(), state=state)


@router.get(P)
def get_procedure(
    procedure_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ProcedureRead:
    return service.get_procedure(session, actor=actor, procedure_id=procedure_id, at=clock.now())


@router.post(f"{P}/notice")
def send_prior_notice(
    procedure_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep,
    body: StepBody | None = None,
) -> ProcedureRead:  # fmt: skip
    return service.send_prior_notice(
        session, actor=actor, procedure_id=procedure_id, at=clock.now(),
        reason=body.reason if body else "",
    )  # fmt: skip


@router.post(f"{P}/statements")
def record_statement(
    procedure_id: Id, body: StatementCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ProcedureRead:
    return service.record_statement(
        session, actor=actor, procedure_id=procedure_id, kind=body.kind, text=body.text,
        at=clock.now(),
    )  # fmt: skip


@router.post(f"{P}/objection")
def file_objection(
    procedure_id: Id, body: ObjectionCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ProcedureRead:
    return service.file_procedure_objection(
        session, actor=actor, procedure_id=procedure_id, text=body.text, at=clock.now()
    )


@router.post(f"{P}/objection-answer")
def answer_objection(
    procedure_id: Id, body: ObjectionAnswer, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ProcedureRead:
    return service.answer_objection(
        session, actor=actor, procedure_id=procedure_id, outcome=body.outcome,
        answer=body.answer, at=clock.now(),
    )  # fmt: skip


@router.post(f"{P}/decision")
def decide(
    procedure_id: Id, body: DecisionCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ProcedureRead:
    return service.decide(
        session, actor=actor, procedure_id=procedure_id, data=body, at=clock.now()
    )


@router.post(f"{P}/service")
def record_service(
    procedure_id: Id, body: ServiceCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ProcedureRead:
    return service.record_service(
        session, actor=actor, procedure_id=procedure_id, data=body, at=clock.now()
    )


@router.post(f"{P}/publication")
def publish_entry(
    procedure_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep,
    body: StepBody | None = None,
) -> ProcedureRead:  # fmt: skip
    return service.publish_entry(
        session, actor=actor, procedure_id=procedure_id, at=clock.now(),
        reason=body.reason if body else "",
    )  # fmt: skip


@router.post(f"{P}/drop")
def drop_procedure(
    procedure_id: Id, body: ReasonBody, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> ProcedureRead:
    return service.drop_procedure(
        session, actor=actor, procedure_id=procedure_id, reason=body.reason, at=clock.now()
    )


@router.get("/lists/entries")
def list_entries(
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    subject: Annotated[str | None, Query(max_length=64)] = None,
) -> EntryList:
    return service.list_entries(session, actor=actor, subject=subject, at=clock.now())


@router.post("/lists/entries/{entry_id}/removal")
def remove_entry(
    entry_id: Id, body: ReasonBody, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> EntryRead:
    return service.end_entry_early(
        session, actor=actor, entry_id=entry_id, reason=body.reason, at=clock.now()
    )


@router.get("/me/lists")
def my_lists(session: SessionDep, actor: ActorDep, clock: ClockDep) -> MyLists:
    return service.my_lists(session, actor=actor, at=clock.now())


@router.post("/red-list", status_code=201)
def adopt_red_list_entry(
    body: RedListCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> RedListRead:
    return service.adopt_red_list_entry(session, actor=actor, data=body, at=clock.now())


@router.post("/red-list/{entry_id}/publication")
def publish_red_list_entry(
    entry_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> RedListRead:
    return service.publish_red_list_entry(session, actor=actor, entry_id=entry_id, at=clock.now())


@router.get("/red-list")
def red_list(session: SessionDep, clock: ClockDep) -> RedList:
    return service.public_red_list(session, at=clock.now())
