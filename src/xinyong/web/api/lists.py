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
from xinyong.web.deps import ActingDep, ClockDep, SessionDep
from xinyong.web.params import Id

router = APIRouter(tags=["lists"])
P = "/lists/procedures/{procedure_id}"


@router.post("/lists/procedures", status_code=201)
def propose(body: ProcedureCreate, acting: ActingDep) -> ProcedureRead:
    return acting(service.propose, data=body)


@router.get("/lists/procedures")
def list_procedures(
    acting: ActingDep, state: Annotated[str | None, Query(max_length=32)] = None
) -> ProcedureList:
    return acting(service.list_procedures, state=state)


@router.get(P)
def get_procedure(procedure_id: Id, acting: ActingDep) -> ProcedureRead:
    return acting(service.get_procedure, procedure_id=procedure_id)


@router.post(f"{P}/notice")
def send_prior_notice(
    procedure_id: Id, acting: ActingDep, body: StepBody | None = None
) -> ProcedureRead:
    reason = body.reason if body else ""
    return acting(service.send_prior_notice, procedure_id=procedure_id, reason=reason)


@router.post(f"{P}/statements")
def record_statement(procedure_id: Id, body: StatementCreate, acting: ActingDep) -> ProcedureRead:
    return acting(service.record_statement, procedure_id=procedure_id, **body.model_dump())


@router.post(f"{P}/objection")
def file_objection(procedure_id: Id, body: ObjectionCreate, acting: ActingDep) -> ProcedureRead:
    return acting(service.file_procedure_objection, procedure_id=procedure_id, text=body.text)


@router.post(f"{P}/objection-answer")
def answer_objection(procedure_id: Id, body: ObjectionAnswer, acting: ActingDep) -> ProcedureRead:
    return acting(service.answer_objection, procedure_id=procedure_id, **body.model_dump())


@router.post(f"{P}/decision")
def decide(procedure_id: Id, body: DecisionCreate, acting: ActingDep) -> ProcedureRead:
    return acting(service.decide, procedure_id=procedure_id, data=body)


@router.post(f"{P}/service")
def record_service(procedure_id: Id, body: ServiceCreate, acting: ActingDep) -> ProcedureRead:
    return acting(service.record_service, procedure_id=procedure_id, data=body)


@router.post(f"{P}/publication")
def publish_entry(
    procedure_id: Id, acting: ActingDep, body: StepBody | None = None
) -> ProcedureRead:
    reason = body.reason if body else ""
    return acting(service.publish_entry, procedure_id=procedure_id, reason=reason)


@router.post(f"{P}/drop")
def drop_procedure(procedure_id: Id, body: ReasonBody, acting: ActingDep) -> ProcedureRead:
    return acting(service.drop_procedure, procedure_id=procedure_id, reason=body.reason)


@router.get("/lists/entries")
def list_entries(
    acting: ActingDep, subject: Annotated[str | None, Query(max_length=64)] = None
) -> EntryList:
    return acting(service.list_entries, subject=subject)


@router.post("/lists/entries/{entry_id}/removal")
def remove_entry(entry_id: Id, body: ReasonBody, acting: ActingDep) -> EntryRead:
    return acting(service.end_entry_early, entry_id=entry_id, reason=body.reason)


@router.get("/me/lists")
def my_lists(acting: ActingDep) -> MyLists:
    return acting(service.my_lists)


@router.post("/red-list", status_code=201)
def adopt_red_list_entry(body: RedListCreate, acting: ActingDep) -> RedListRead:
    return acting(service.adopt_red_list_entry, data=body)


@router.post("/red-list/{entry_id}/publication")
def publish_red_list_entry(entry_id: Id, acting: ActingDep) -> RedListRead:
    return acting(service.publish_red_list_entry, entry_id=entry_id)


@router.get("/red-list")
def red_list(session: SessionDep, clock: ClockDep) -> RedList:
    return service.public_red_list(session, at=clock.now())
