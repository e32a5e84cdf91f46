"""Bulk delivery of a file (``POST /records/batches``, ``xinyong import``; COL-1).

The file is streamed and handled in chunks of :data:`CHUNK_SIZE` rows. Per chunk: validate
every row, look the keys up in one query, resolve the subjects in bulk, insert records and
their first versions with multi-row inserts, write one audit entry, update the batch's
progress, and commit. So:

- memory stays flat whatever the file's size (one chunk at a time);
- a process killed part-way leaves only whole committed chunks, and the batch's
  ``last_committed_line`` says where they end: importing the same file again resumes the
  running batch after that line;
- delivering the same file again adds nothing: a row whose identity (``source_id``, else
  item + document number + subject) is already held with the same content is "unchanged";
  with other content it is rejected (to be amended instead).

Audit: records written by this path are covered by their chunk's ``records:batch:chunk``
entry — counts, first and last record id, and a SHA-256 over the content hashes of the
chunk's records in order — rather than one entry per record; the per-record content hashes
are on ``record_version``, so each record can be checked against its chunk's digest.

Unlike other use cases this one commits once per chunk, on purpose: a 100 k-row file is
not one transaction. The chunk commits are a named case of the unit of work
(``db.uow.Kept.IMPORT_CHUNK``); the last one is the unit of work's own commit.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import IO, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from xinyong.audit.binding import id_ranges, rows_sha256
from xinyong.audit.service import record_row_event
from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput
from xinyong.core.events import publish
from xinyong.core.permissions import require
from xinyong.db.uow import Kept, commit_kept
from xinyong.records import repository as repo
from xinyong.records.delivery import Delivery, allow_list, authorise_delivery, published_item
from xinyong.records.events import RecordChange, RecordsChanged
from xinyong.records.importing.checking import (
    Checked,
    Chunk,
    RowCheck,
    checked_chunks,
    helper_available,
)
from xinyong.records.importing.header import map_header
from xinyong.records.importing.reader import file_sha256, read_rows
from xinyong.records.importing.writing import ChunkWriter, Provenance
from xinyong.records.models import (
    BatchStatus,
    Channel,
    DeliveryBatch,
    DeliveryRejection,
)
from xinyong.records.rows import ItemSpec
from xinyong.records.rules import CleanRow, Problem, chunk_digest
from xinyong.records.schemas import DeliveryBatchRead
from xinyong.subjects.bulk import ensure_subjects

CHUNK_SIZE = 2000
#: Problems listed in an answer: a malformed file of 50 MB must not make an answer of hundreds
#: (the count of all of them is given, and every one is kept on the batch).
REPORT_LIMIT = 1000

#: Called after each committed chunk with (rows seen so far, batch).
Progress = Callable[[int, DeliveryBatch], None]


@dataclass(frozen=True, slots=True)
class _Upload:
    """A file as it was delivered: by whom, for which item, under which delivery, when."""

    actor: Actor
    item: ItemSpec
    delivery: Delivery
    digest: str
    filename: str | None
    at: datetime


@dataclass(slots=True)
class _Import:
    session: Session
    actor: Actor
    item: ItemSpec
    delivery: Delivery
    batch: DeliveryBatch
    at: datetime
    allow: frozenset[str]
    writer: ChunkWriter | None = None


def import_file(
    session: Session,
    *,
    actor: Actor,
    item_code: str,
    stream: IO[bytes],
    filename: str | None,
    at: datetime,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
    report_limit: int | None = REPORT_LIMIT,
    helper: bool | None = None,
) -> DeliveryBatchRead:
    """Deliver every row of ``stream`` (CSV or XLSX) as records of ``item_code``; the answer
    lists the first ``report_limit`` problems (all when ``None``) and their count.
    ``helper``: check the next chunk in a helper process while this one writes (``None``:
    when the machine has a second core; see ``importing.checking``)."""
    require(actor, "records:deliver")  # files come from units; the role before any 422
    item = published_item(session, item_code, at=at)
    delivery = authorise_delivery(session, actor=actor, item=item, at=at, channel=Channel.FILE)
    upload = _Upload(actor, item, delivery, file_sha256(stream), filename, at)
    rows = read_rows(stream, filename)
    try:
        with _older_objects_frozen():
            use_helper = helper_available() if helper is None else helper
            batch = _run(session, upload, rows, chunk_size, progress, use_helper)
    finally:
        rows.close()  # release the reader while the caller's stream is still open
    batch.status = BatchStatus.COMPLETE
    batch.completed_at = at
    record_row_event(
        session, batch, actor=actor, tag="records:batch:complete", at=at, after=_counts(batch)
    )
    session.flush()
    return batch_read(session, batch, limit=report_limit)


def _run(
    session: Session,
    upload: _Upload,
    rows: Generator[tuple[int, list[Any]], None, None],
    chunk_size: int,
    progress: Progress | None,
    helper: bool,
) -> DeliveryBatch:
    header = next(rows, None)
    if header is None:
        raise InvalidInput("文件为空 / the file is empty", code="empty_file")
    item, at = upload.item, upload.at
    columns = map_header(header[1], item)

    batch = repo.running_batch(
        session,
        provider_org_id=upload.delivery.provider_org_id,
        item_code=item.code,
        file_sha256=upload.digest,
    )
    if batch is None:
        batch = _open_batch(session, upload)
    job = _Import(session, upload.actor, item, upload.delivery, batch, at, allow_list(session))
    check = RowCheck(
        item,
        columns,
        item.validator.only({code for _, code in columns.fields}, memo=True),
        local_date(at),
        job.allow,
    )
    resume_after = batch.last_committed_line
    pending = (r for r in rows if r[0] > resume_after)
    with closing(checked_chunks(check, _chunks(pending, chunk_size), helper=helper)) as chunks:
        for chunk, checked in chunks:
            _import_chunk(job, chunk, checked)
            if progress is not None:
                progress(batch.rows_seen, batch)
    return batch


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """Keep the cyclic garbage collector off the objects that existed before the import.

    A chunk allocates hundreds of thousands of short-lived tuples, dicts and strings (freed
    by reference counting), so the collector runs often, and each full collection would walk
    every object of the process (the app, the models, the catalogue) for nothing: about a
    sixth of an import's time. ``gc.freeze`` sets those aside until the import ends; objects
    made during the import are collected as usual."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def batch_read(
    session: Session, batch: DeliveryBatch, *, limit: int | None = REPORT_LIMIT
) -> DeliveryBatchRead:
    return DeliveryBatchRead.model_validate(
        {
            "batch_id": batch.id,
            "status": batch.status.value,
            "rows": batch.rows_seen,
            "accepted": batch.accepted,
            "unchanged": batch.unchanged,
            "rejected": repo.rejections(session, batch.id, limit=limit),
            "rejected_total": repo.rejection_count(session, batch.id),
        }
    )


def _counts(batch: DeliveryBatch) -> dict[str, Any]:
    return {
        "rows": batch.rows_seen,
        "accepted": batch.accepted,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
        "last_committed_line": batch.last_committed_line,
    }


def _open_batch(session: Session, upload: _Upload) -> DeliveryBatch:
    actor, item, at = upload.actor, upload.item, upload.at
    batch = DeliveryBatch(
        provider_org_id=upload.delivery.provider_org_id,
        item_code=item.code,
        item_version_id=item.version_id,
        channel=upload.delivery.channel,
        filename=(upload.filename or "")[:300] or None,
        file_sha256=upload.digest,
        received_at=at,
        user_id=actor.user_id,
        user_name=actor.display_name,
        status=BatchStatus.RUNNING,
        rows_seen=0,
        accepted=0,
        unchanged=0,
        rejected=0,
        last_committed_line=1,
    )
    session.add(batch)
    session.flush()
    record_row_event(
        session,
        batch,
        actor=actor,
        tag="records:batch:open",
        at=at,
        after={"item": item.code, "filename": batch.filename, "file_sha256": upload.digest},
    )
    commit_kept(session, Kept.IMPORT_CHUNK)
    return batch


def _chunks(rows: Iterator[tuple[int, list[Any]]], size: int) -> Iterator[Chunk]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _import_chunk(job: _Import, chunk: Chunk, checked: Checked) -> None:
    session, item, batch = job.session, job.item, job.batch
    valid, rejected = checked
    fresh, unchanged = _sort_out(job, valid, rejected)
    wanted = [r.subject for _, r in fresh]
    subjects = ensure_subjects(session, actor=job.actor, wanted=wanted, at=job.at)
    writable: list[tuple[int, CleanRow, int]] = []
    for line, r in fresh:
        problem = subjects.problems.get(r.subject.id_value)
        if problem:
            rejected.append(Problem("XDR_LB", problem, line))
        else:
            writable.append((line, r, subjects.ids[r.subject.id_value]))

    written = _writer(job).write(session.connection(), [(r, sid) for _, r, sid in writable])
    ids = written.ids
    if rejected:
        session.execute(
            insert(DeliveryRejection),
            [
                {"batch_id": batch.id, "line": p.line, "field": p.field, "reason": p.reason}
                for p in rejected
            ],
        )
    lines_rejected = {p.line for p in rejected}
    batch.rows_seen += len(chunk)
    batch.accepted += len(ids)
    batch.unchanged += unchanged
    batch.rejected += len(lines_rejected)
    batch.last_committed_line = chunk[-1][0]
    entry = record_row_event(
        session,
        batch,
        actor=job.actor,
        tag="records:batch:chunk",
        at=job.at,
        after={
            "lines": [chunk[0][0], chunk[-1][0]],
            "accepted": len(ids),
            "unchanged": unchanged,
            "rejected": len(lines_rejected),
            "first_record_id": ids[0] if ids else None,
            "last_record_id": ids[-1] if ids else None,
            "content_sha256": chunk_digest(r.content_hash for _, r, _ in writable),
            # Binds every version row written here to this entry (audit.binding).
            "record_ids": id_ranges(ids),
            "rows_sha256": rows_sha256(written.digests),
        },
    )
    if ids:
        changes = tuple(
            RecordChange(rid, subject_id, item.code, 1, "delivered", batch.provider_org_id)
            for rid, (_, _, subject_id) in zip(ids, writable, strict=True)
        )
        publish(
            session,
            RecordsChanged(audit_seq=entry.seq, at=job.at, changes=changes, heads=written.heads),
        )
    commit_kept(session, Kept.IMPORT_CHUNK)


def _sort_out(
    job: _Import, valid: list[tuple[int, CleanRow]], rejected: list[Problem]
) -> tuple[list[tuple[int, CleanRow]], int]:
    """New rows, and how many are already held with the same content. Rows held with other
    content, or repeated within the file with other content, are rejected."""
    keys = list(dict.fromkeys(r.source_key for _, r in valid))
    held = repo.existing_keys(
        job.session,
        provider_org_id=job.delivery.provider_org_id,
        item_code=job.item.code,
        keys=keys,
    )
    stale = [
        (held[r.source_key][0], r.content_hash)
        for _, r in valid
        if r.source_key in held and held[r.source_key][1] != r.content_hash
    ]
    older = repo.records_with_version_hashes(job.session, stale) if stale else set()

    fresh: list[tuple[int, CleanRow]] = []
    in_file: dict[str, str] = {}
    unchanged = 0
    for line, r in valid:
        if r.source_key in held:
            rid, head = held[r.source_key]
            if r.content_hash == head or (rid, r.content_hash) in older:
                unchanged += 1
            else:
                rejected.append(_conflict(line, rid))
        elif r.source_key in in_file:
            if in_file[r.source_key] == r.content_hash:
                unchanged += 1
            else:
                rejected.append(
                    Problem(
                        "source_id",
                        "同一记录在文件中出现两次且内容不同 / the same record appears twice in "
                        "the file with different content",
                        line,
                    )
                )
        else:
            in_file[r.source_key] = r.content_hash
            fresh.append((line, r))
    return fresh, unchanged


def _conflict(line: int, record_id: int) -> Problem:
    return Problem(
        "source_id",
        f"记录已存在且内容不同，请通过更正提交（记录 {record_id}）/ the record is already held "
        f"with other content; amend record {record_id} instead",
        line,
    )


def _writer(job: _Import) -> ChunkWriter:
    if job.writer is None:
        d, actor = job.delivery, job.actor
        job.writer = ChunkWriter(
            job.session.connection().dialect,
            Provenance(
                provider_org_id=d.provider_org_id,
                item_code=job.item.code,
                item_version_id=job.item.version_id,
                polarity=job.item.polarity,
                publicity=job.item.publicity,
                channel=d.channel,
                self_declared=d.self_declared,
                agreement_id=d.agreement_id,
                batch_id=job.batch.id,
                at=job.at,
                actor_id=actor.user_id,
                actor_name=actor.display_name,
            ),
        )
    return job.writer
