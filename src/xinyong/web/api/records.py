"""``/records``: delivery, reading and correction of credit records (COL-1, COL-2, COL-5)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile

from xinyong.bootstrap import run_feed_passes
from xinyong.records import service
from xinyong.records.importing.bulk import import_file
from xinyong.records.schemas import (
    AmendmentCreate,
    DeliveryBatchRead,
    RecordBatchCreate,
    RecordBatchRead,
    RecordCreate,
    RecordRead,
    WithdrawalCreate,
)
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.params import Id

router = APIRouter(prefix="/records", tags=["records"])


def _notify(session: SessionDep, clock: ClockDep) -> None:
    """Serve the consequences of a delivery at once (两书同达: the repair notice with the
    decision); the worker's pass catches anything a failure here leaves."""
    run_feed_passes(session, at=clock.now())


@router.post("", status_code=201)
def deliver(
    body: RecordCreate | RecordBatchCreate,
    response: Response,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
) -> RecordRead | RecordBatchRead:
    """One record (201; 200 when the same content was already delivered), or a batch."""
    if isinstance(body, RecordBatchCreate):
        response.status_code = 200
        batch = service.deliver_records(session, actor=actor, data=body, at=clock.now())
        _notify(session, clock)
        return batch
    record, created = service.deliver_record(session, actor=actor, data=body, at=clock.now())
    _notify(session, clock)
    response.status_code = 201 if created else 200
    return record


@router.post("/batches")
def deliver_file(
    file: Annotated[UploadFile, File()],
    item: Annotated[str, Form(min_length=1, max_length=64)],
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
) -> DeliveryBatchRead:
    batch = import_file(
        session, actor=actor, item_code=item, stream=file.file, filename=file.filename,
        at=clock.now(),
    )  # fmt: skip
    _notify(session, clock)
    return batch


@router.get("/{record_id}", response_model_exclude_none=False)
def get_record(record_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep) -> RecordRead:
    """The record with its versions; a look at a non-public record is logged (Art. 20, 31)."""
    return service.look_at_record(session, actor=actor, record_id=record_id, at=clock.now())


@router.post("/{record_id}/amendments")
def amend(
    record_id: Id, body: AmendmentCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> RecordRead:
    return service.amend_record(
        session, actor=actor, record_id=record_id, data=body, at=clock.now()
    )


@router.post("/{record_id}/withdrawal")
def withdraw(
    record_id: Id, body: WithdrawalCreate, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> RecordRead:
    return service.withdraw_record(
        session, actor=actor, record_id=record_id, data=body, at=clock.now()
    )


@router.delete("/{record_id}", status_code=405)
def delete(record_id: Id, session: SessionDep, actor: ActorDep, clock: ClockDep) -> None:
    """Always 405: records are never deleted (Art. 18, 44). The attempt is recorded."""
    service.attempt_delete(session, actor=actor, record_id=record_id, at=clock.now())
