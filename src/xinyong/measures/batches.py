"""Batch checks (批量比对 / 信易贷; Art. 16, 18–20, 21–24, 31, 38; MEA-2, INQ-1…3).

An inquirer (a state organ's account) or a credit service institution uploads a CSV of up to
10,000 subjects with a matter and gets, for each subject, its list entries, grade and the
measures that apply — as a single credit check (``checks.run_check``) answers, from the same
functions. Each row is one inquiry of the ``batch`` channel (``inquiry.batch``): logged, seen
by its subject under "who looked", counted against the daily cap; an institution is answered
only for subjects whose live consent names it and the matter. The other rows are rejected by
line with the reason: ``invalid_identifier`` (naming the expected check character),
``duplicate_line``, ``subject_not_found``, ``name_mismatch``, ``consent_required``,
``daily_cap_reached`` …

The batch and its rows are stored (``check_batch``, ``check_batch_row``); rows are answered in
chunks of :data:`CHUNK`, each chunk one transaction. A batch of at most :data:`INLINE_ROWS`
rows is answered within its upload; a larger one is answered in the background by
:func:`run_pending_batches` (the worker, or a thread of the single process), and its progress
read with :func:`get_batch`. Services flush; the caller commits (``run_pending_batches`` is a
worker entry point and commits each chunk itself).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from hashlib import sha256
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong.accounts.models import UserAccount
from xinyong.accounts.sessions import actor_for
from xinyong.audit.binding import id_ranges
from xinyong.audit.service import record_event
from xinyong.core import identifiers as ids
from xinyong.core.actor import Actor
from xinyong.core.clock import Clock, local_date
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.db.uow import use_case
from xinyong.inquiry import batch as asking
from xinyong.inquiry.purposes import purposes_in_force
from xinyong.measures import repository as repo
from xinyong.measures import rules
from xinyong.measures.batch_file import BatchLine, read_batch_file
from xinyong.measures.checks import (
    _check_measure,
    _entry_facts,
    _facts,
    _organ,
    check_row,
    grade_subject,
    list_entries,
    shown_reasons,
    spec_of,
)
from xinyong.measures.models import (
    BatchRowStatus,
    BatchStatus,
    CheckBatch,
    CheckBatchRow,
    Measure,
)
from xinyong.subjects.models import Subject

#: Rows answered per transaction.
CHUNK = 200
#: A batch of at most this many rows is answered within its upload.
INLINE_ROWS = 200
#: Codes of rows rejected before any inquiry (the file's own faults).
INVALID_IDENTIFIER = "invalid_identifier"
DUPLICATE_LINE = "duplicate_line"
ACCOUNT_INACTIVE = "account_inactive"


# --- upload ---------------------------------------------------------------------------------


def _known_codes(session: Session, codes: Sequence[str]) -> set[str]:
    found: set[str] = set()
    unique = sorted(set(codes))
    for start in range(0, len(unique), 1000):
        part = unique[start : start + 1000]
        found.update(session.scalars(select(Subject.code).where(Subject.code.in_(part))))
    return found


def _identifier_problem(line: BatchLine, known: set[str]) -> str | None:
    """Why a code that names no subject of the register is not an identifier at all (its
    check character, its length …); ``None`` when it is one, or names a subject."""
    if line.code in known and line.code:
        return None
    check = ids.check_identifier(line.given)
    return None if check.valid else check.error or "无效标识 / invalid identifier"


def _rows(session: Session, lines: Sequence[BatchLine]) -> list[CheckBatchRow]:
    known = _known_codes(session, [ln.code for ln in lines if ln.code])
    first: dict[str, int] = {}
    rows = []
    for ln in lines:
        row = CheckBatchRow(
            line=ln.line, subject_code=ln.code or ln.given,
            name=ln.name[:300] if ln.name else None, status=BatchRowStatus.PENDING,
        )  # fmt: skip
        problem = _identifier_problem(ln, known)
        if problem is not None:
            row.status, row.reason_code, row.reason = (
                BatchRowStatus.REJECTED, INVALID_IDENTIFIER, problem[:500],
            )  # fmt: skip
        elif ln.code in first:
            row.status, row.reason_code = BatchRowStatus.REJECTED, DUPLICATE_LINE
            row.reason = (
                f"与第 {first[ln.code]} 行为同一主体 / the same subject as line {first[ln.code]}"
            )
        else:
            first[ln.code] = ln.line
        rows.append(row)
    return rows


def _matter(session: Session, matter: str) -> str:
    in_force = purposes_in_force(session)
    if matter not in in_force:
        raise InvalidInput(
            f"未知的办理事项 {matter!r}。 Unknown matter {matter!r}.",
            code="unknown_matter",
            details=[{"field": "matter", "reason": f"one of {sorted(in_force)}"}],
        )
    return matter


def submit_batch(
    session: Session,
    *,
    actor: Actor,
    matter: str,
    data: bytes,
    filename: str | None,
    at: datetime,
    address: str | None = None,
) -> CheckBatch:
    """Store a declared batch: 401/403 for a role that may not, the account-level refusals
    (institution not filed, harvesting block, matter outside the authority), 422 for an
    unknown matter or a bad file. File faults of single rows (invalid identifier, duplicate
    line) are rejected at once; the other rows wait to be answered. A refused upload asks no
    row, so it writes no inquiry-log row (nothing was looked up). Flushes."""
    asking.require_batch_role(actor)
    _matter(session, matter.strip())
    asking.account_refusal(session, actor=actor, purpose=matter.strip(), at=at)
    lines = read_batch_file(data)
    assert actor.user_id is not None
    batch = CheckBatch(
        created_at=at, user_id=actor.user_id, user_name=actor.display_name,
        org_id=actor.org_id, org_code=actor.org_code, org_name=actor.org_name,
        role=actor.role.value, matter=matter.strip(), filename=(filename or "batch.csv")[:200],
        file_sha256=sha256(data).hexdigest(), address=(address or None) and address[:64],
        status=BatchStatus.QUEUED, total=len(lines), processed=0, accepted=0, rejected=0,
    )  # fmt: skip
    session.add(batch)
    session.flush()
    rows = _rows(session, lines)
    for row in rows:
        row.batch_id = batch.id
        if row.status is BatchRowStatus.REJECTED:
            row.processed_at = at
            batch.processed += 1
            batch.rejected += 1
    session.add_all(rows)
    session.flush()
    record_event(
        session, actor=actor, tag="measures:batch:submit", at=at, object_type="check_batch",
        object_id=batch.id,
        after={"matter": batch.matter, "rows": batch.total, "file_sha256": batch.file_sha256,
               "rejected_at_upload": batch.rejected},
    )  # fmt: skip
    if batch.processed == batch.total:
        _finish(batch, at)
    return batch


# --- answering ------------------------------------------------------------------------------


def _finish(batch: CheckBatch, at: datetime) -> None:
    batch.status = BatchStatus.DONE
    batch.finished_at = at


def _actor_of(session: Session, batch: CheckBatch) -> Actor | None:
    """The declaring account as it stands now (its authority may have narrowed since)."""
    user = session.get(UserAccount, batch.user_id)
    if user is None or not user.is_active:
        return None
    return actor_for(user)


def _pending(session: Session, batch_id: int, size: int) -> list[CheckBatchRow]:
    stmt = (
        select(CheckBatchRow)
        .where(CheckBatchRow.batch_id == batch_id, CheckBatchRow.status == BatchRowStatus.PENDING)
        .order_by(CheckBatchRow.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt))


def _fail(session: Session, batch: CheckBatch, at: datetime, code: str, reason: str) -> None:
    for row in _pending(session, batch.id, batch.total + 1):
        row.status, row.reason_code, row.reason = BatchRowStatus.REJECTED, code, reason[:500]
        row.processed_at = at
        batch.processed += 1
        batch.rejected += 1
    batch.status, batch.error, batch.finished_at = BatchStatus.FAILED, reason[:500], at


class _Context:
    """What every row of a chunk shares: the measures, the organ, the matter."""

    def __init__(self, session: Session, actor: Actor, batch: CheckBatch, at: datetime) -> None:
        self.measures: dict[str, Measure] = {m.code: m for m in repo.all_measures(session)}
        self.specs = [spec_of(m) for m in self.measures.values()]
        self.organ = _organ(session, actor)
        self.matter = batch.matter
        self.on = local_date(at)


def _answer_row(
    session: Session, actor: Actor, ctx: _Context, row: CheckBatchRow,
    answer: asking.BatchAnswer, at: datetime,
) -> int | None:  # fmt: skip
    """Fill an answered row as a single check would answer it; the check row's id."""
    subject = answer.subject
    assert subject is not None
    entries = list_entries(session, subject_id=subject.id, at=at)
    grade = grade_subject(session, subject_id=subject.id, at=at, entries=entries)
    reasons = shown_reasons(grade.reasons, {r.id for r in answer.records}, grade.grade)
    offered = rules.applicable_measures(
        ctx.specs, matter=ctx.matter, records=_facts(answer.records),
        list_entries=_entry_facts(entries), grade=grade.grade, organ=ctx.organ, on=ctx.on,
    )  # fmt: skip
    check = check_row(
        session, actor, subject, answer.inquiry_id, answer.records,
        matter=ctx.matter, grade=grade, entries=entries, offered=offered, at=at,
    )  # fmt: skip
    session.add(check)
    measures = [_check_measure(ctx.measures[s.code], m) for s, m in offered]
    row.status = BatchRowStatus.ACCEPTED
    row.subject_id, row.inquiry_id, row.grade = subject.id, answer.inquiry_id, grade.grade
    row.result = {
        "subject_name": subject.name,
        "lists": entries,
        "grade_reason": grade.grade_reason,
        "grade_reasons": [r.model_dump(mode="json") for r in reasons],
        "records": len(answer.records),
        "measures": [
            {"code": m.code, "name": m.name, "name_en": m.name_en, "kind": m.kind,
             "legal_basis": m.legal_basis}
            for m in measures
        ],
    }  # fmt: skip
    session.flush()
    row.check_id = check.id
    return check.id


def process_chunk(session: Session, batch: CheckBatch, *, at: datetime, size: int = CHUNK) -> int:
    """Answer up to ``size`` pending rows of the batch; the rows answered. Flushes."""
    if batch.status in (BatchStatus.DONE, BatchStatus.FAILED):
        return 0
    actor = _actor_of(session, batch)
    if actor is None:
        _fail(
            session, batch, at, ACCOUNT_INACTIVE,
            "提交批次的账号已停用 / the account that declared the batch is no longer active",
        )  # fmt: skip
        return 0
    rows = _pending(session, batch.id, size)
    if batch.status is BatchStatus.QUEUED:
        batch.status, batch.started_at = BatchStatus.RUNNING, at
    if rows:
        answers = asking.batch_inquiries(
            session, actor=actor, purpose=batch.matter, at=at, batch_id=batch.id,
            asks=[asking.BatchAsk(r.id, r.subject_code, r.name) for r in rows],
            address=batch.address,
        )  # fmt: skip
        ctx = _Context(session, actor, batch, at)
        check_ids: list[int] = []
        for row, answer in zip(rows, answers, strict=True):
            row.processed_at = at
            row.inquiry_id = answer.inquiry_id
            if answer.answered:
                check_id = _answer_row(session, actor, ctx, row, answer, at)
                if check_id is not None:
                    check_ids.append(check_id)
                batch.accepted += 1
            else:
                row.status = BatchRowStatus.REJECTED
                row.reason_code, row.reason = answer.refusal_code, (answer.refusal or "")[:500]
                row.subject_id = answer.subject.id if answer.subject is not None else None
                batch.rejected += 1
            batch.processed += 1
        record_event(
            session, actor=actor, tag="measures:batch:chunk", at=at, object_type="check_batch",
            object_id=batch.id,
            after={"rows": len(rows), "accepted": len(check_ids),
                   "rejected": len(rows) - len(check_ids), "check_ids": id_ranges(check_ids),
                   "processed": batch.processed, "total": batch.total},
        )  # fmt: skip
    if batch.processed >= batch.total or not _pending_count(session, batch.id):
        _finish(batch, at)
    session.flush()
    return len(rows)


def _pending_count(session: Session, batch_id: int) -> int:
    n = session.scalar(
        select(func.count())
        .select_from(CheckBatchRow)
        .where(CheckBatchRow.batch_id == batch_id, CheckBatchRow.status == BatchRowStatus.PENDING)
    )
    return int(n or 0)


def process_all(session: Session, batch: CheckBatch, *, at: datetime) -> None:
    """Answer every row now (a small batch, within its upload). Flushes."""
    while process_chunk(session, batch, at=at):
        pass


def run_pending_batches(
    session_factory: Callable[[], Session], clock: Clock, *, max_chunks: int | None = None
) -> int:
    """The worker's pass: answer the pending rows of every queued or running batch, oldest
    first, one chunk per transaction (committed here), so progress shows as it goes and a
    crash loses at most a chunk. Safe beside another runner on PostgreSQL (rows and batches
    are taken ``FOR UPDATE SKIP LOCKED``). Returns the rows answered."""
    done = chunks = 0
    while max_chunks is None or chunks < max_chunks:
        with use_case(session_factory) as uow:
            session = uow.session
            batch = session.scalars(
                select(CheckBatch)
                .where(CheckBatch.status.in_((BatchStatus.QUEUED, BatchStatus.RUNNING)))
                .order_by(CheckBatch.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if batch is None:
                return done
            done += process_chunk(session, batch, at=clock.now())
        chunks += 1
    return done


_runner_lock = threading.Lock()


def start_background(session_factory: Callable[[], Session], clock: Clock) -> threading.Thread:
    """Single-process mode: answer pending batches in a daemon thread of this process (one at
    a time; a second start waits for the first and then finds nothing or the new batch)."""

    def run() -> None:
        with _runner_lock:
            run_pending_batches(session_factory, clock)

    thread = threading.Thread(target=run, name="xinyong-check-batches", daemon=True)
    thread.start()
    return thread


# --- reading --------------------------------------------------------------------------------


def own_batch(session: Session, *, actor: Actor, batch_id: int) -> CheckBatch:
    """The account's own batch (404 for any other: the answers are within its authority)."""
    asking.require_batch_role(actor)
    batch = session.get(CheckBatch, batch_id)
    if batch is None or batch.user_id != actor.user_id:
        raise NotFound(f"没有批次 {batch_id} / no batch {batch_id}")
    return batch


def batches_of(session: Session, *, actor: Actor, limit: int = 50) -> list[CheckBatch]:
    asking.require_batch_role(actor)
    stmt = (
        select(CheckBatch)
        .where(CheckBatch.user_id == actor.user_id)
        .order_by(CheckBatch.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def rows_of(session: Session, batch_id: int) -> Iterator[CheckBatchRow]:
    stmt = (
        select(CheckBatchRow)
        .where(CheckBatchRow.batch_id == batch_id)
        .order_by(CheckBatchRow.line, CheckBatchRow.id)
    )
    yield from session.scalars(stmt, execution_options={"yield_per": 1000})


def batch_summary(batch: CheckBatch) -> dict[str, Any]:
    return {
        "batch_id": batch.id, "status": batch.status.value, "matter": batch.matter,
        "filename": batch.filename, "total": batch.total, "processed": batch.processed,
        "accepted": batch.accepted, "rejected_count": batch.rejected,
        "progress": round(batch.processed / batch.total, 4) if batch.total else 1.0,
        "created_at": batch.created_at, "started_at": batch.started_at,
        "finished_at": batch.finished_at, "error": batch.error,
    }  # fmt: skip


def row_read(row: CheckBatchRow) -> dict[str, Any]:
    result = row.result or {}
    return {
        "line": row.line, "subject": row.subject_code, "subject_name": result.get("subject_name"),
        "grade": row.grade, "grade_reason": result.get("grade_reason"),
        "lists": result.get("lists", []), "measures": result.get("measures", []),
        "check_id": row.check_id, "inquiry_id": row.inquiry_id,
    }  # fmt: skip


def rejection_read(row: CheckBatchRow) -> dict[str, Any]:
    return {
        "line": row.line, "subject": row.subject_code, "code": row.reason_code,
        "reason": row.reason,
    }  # fmt: skip


def batch_read(session: Session, batch: CheckBatch) -> dict[str, Any]:
    """The batch with its answered rows (``rows``) and rejected ones (``rejected``), by line."""
    rows: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for row in rows_of(session, batch.id):
        if row.status is BatchRowStatus.ACCEPTED:
            rows.append(row_read(row))
        elif row.status is BatchRowStatus.REJECTED:
            rejected.append(rejection_read(row))
    return {**batch_summary(batch), "rows": rows, "rejected": rejected}


RESULT_COLUMNS = (
    "line", "subject", "name", "status", "subject_name", "grade", "lists", "measures",
    "measure_kinds", "reason_code", "reason", "check_id",
)  # fmt: skip


def result_lines(session: Session, batch: CheckBatch) -> Iterator[list[Any]]:
    """The rows of ``results.csv``: every line of the file, answered or rejected."""
    for row in rows_of(session, batch.id):
        result = row.result or {}
        measures = result.get("measures", [])
        yield [
            row.line, row.subject_code, row.name or "", row.status.value,
            result.get("subject_name", ""), row.grade or "",
            " ".join(str(e.get("kind", "")) for e in result.get("lists", [])),
            " ".join(str(m["code"]) for m in measures),
            " ".join(str(m["kind"]) for m in measures),
            row.reason_code or "", row.reason or "", row.check_id or "",
        ]  # fmt: skip
