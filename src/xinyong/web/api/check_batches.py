"""``/checks/batches`` (批量比对 / 信易贷): an inquirer or a credit service institution checks a
file of subjects for one matter; small files are answered at once, large ones in the background
(issue 17 item 2; Art. 16, 18–20, 31, 38)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from sqlalchemy.orm import Session

from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput
from xinyong.db.uow import Kept, commit_kept
from xinyong.measures import batches
from xinyong.measures.models import CheckBatch
from xinyong.web.api.inquiries import client_address
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.hardening import FileTooLarge
from xinyong.web.params import Id
from xinyong.web.ui.support import csv_response

router = APIRouter(tags=["measures"])

#: A batch file of 10,000 codes and names is far below this.
MAX_FILE_BYTES = 8 * 1024 * 1024


def read_upload(upload: UploadFile | None) -> bytes:
    if upload is None or not upload.filename:
        raise InvalidInput("请选择要上传的文件 / choose a file to upload", code="file_missing")
    data = upload.file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(MAX_FILE_BYTES)  # 413 file_too_large, as for any upload
    return data


def answer_or_queue(request: Request, session: Session, batch: CheckBatch, clock: Clock) -> bool:
    """Answer a small batch now (in the request's transaction); queue a large one, commit it
    (a named kept write) and, in single-process mode, start the background thread on it.
    ``True`` when answered."""
    if batch.total <= batches.INLINE_ROWS:
        batches.process_all(session, batch, at=clock.now())
        return True
    commit_kept(session, Kept.CHECK_BATCH_QUEUED)
    if request.app.state.settings.check_batch_thread:
        batches.start_background(request.app.state.session_factory, request.app.state.clock)
    return False


@router.post("/checks/batches", status_code=201)
def submit_batch(
    file: Annotated[UploadFile, File()], matter: Annotated[str, Form(min_length=1, max_length=64)],
    request: Request, response: Response, session: SessionDep, actor: ActorDep, clock: ClockDep,
) -> dict[str, Any]:  # fmt: skip
    batch = batches.submit_batch(
        session, actor=actor, matter=matter, data=read_upload(file), filename=file.filename,
        at=clock.now(), address=client_address(request),
    )  # fmt: skip
    if answer_or_queue(request, session, batch, clock):
        return batches.batch_read(session, batch)
    response.status_code = 202
    return batches.batch_summary(batch)


@router.get("/checks/batches")
def list_batches(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    items = batches.batches_of(session, actor=actor)
    return {"items": [batches.batch_summary(b) for b in items]}


@router.get("/checks/batches/{batch_id}")
def get_batch(batch_id: Id, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    batch = batches.own_batch(session, actor=actor, batch_id=batch_id)
    return batches.batch_read(session, batch)


@router.get("/checks/batches/{batch_id}/results.csv")
def batch_results(batch_id: Id, session: SessionDep, actor: ActorDep) -> Response:
    batch = batches.own_batch(session, actor=actor, batch_id=batch_id)
    rows = batches.result_lines(session, batch)
    return csv_response(f"batch-{batch.id}-results.csv", batches.RESULT_COLUMNS, rows)
