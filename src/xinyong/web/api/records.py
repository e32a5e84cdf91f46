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
from xinyong.web.deps import Acting, ActingDep
from xinyong.web.params import Id

router = APIRouter(prefix="/records", tags=["records"])


def _notify(acting: Acting) -> None:
    """Serve the consequences of a delivery at once (两书同达: the repair notice with the
    decision); the worker's pass catches anything a failure here leaves."""
    run_feed_passes(acting.session, at=acting.at)


@router.post("", status_code=201)
def deliver(
    body: RecordCreate | RecordBatchCreate, response: Response, acting: ActingDep
) -> RecordRead | RecordBatchRead:
    """One record (201; 200 when the same content was already delivered), or a batch."""
    if isinstance(body, RecordBatchCreate):
        response.status_code = 200
        batch = acting(service.deliver_records, data=body)
        _notify(acting)
        return batch
    record, created = acting(service.deliver_record, data=body)
    _notify(acting)
    response.status_code = 201 if created else 200
    return record


@router.post("/batches")
def deliver_file(
    file: Annotated[UploadFile, File()],
    item: Annotated[str, Form(min_length=1, max_length=64)],
    acting: ActingDep,
) -> DeliveryBatchRead:
    batch = acting(import_file, item_code=item, stream=file.file, filename=file.filename)
    _notify(acting)
    return batch


@router.get("/{record_id}", response_model_exclude_none=False)
def get_record(record_id: Id, acting: ActingDep) -> RecordRead:
    """The record with its versions; a look at a non-public record is logged (Art. 20, 31)."""
    return acting(service.look_at_record, record_id=record_id)


@router.post("/{record_id}/amendments")
def amend(record_id: Id, body: AmendmentCreate, acting: ActingDep) -> RecordRead:
    return acting(service.amend_record, record_id=record_id, data=body)


@router.post("/{record_id}/withdrawal")
def withdraw(record_id: Id, body: WithdrawalCreate, acting: ActingDep) -> RecordRead:
    return acting(service.withdraw_record, record_id=record_id, data=body)


@router.delete("/{record_id}", status_code=405)
def delete(record_id: Id, acting: ActingDep) -> None:
    """Always 405: records are never deleted (Art. 18, 44). The attempt is recorded."""
    acting(service.attempt_delete, record_id=record_id)
