"""Listings of delivered records and delivery batches, for the provider's pages (COL-1, COL-5).

A provider (or institution) lists only its own organisation's records and batches; the credit
office lists everyone's. Other roles are refused. A batch of another organisation answers 404,
like a record (a provider must not learn what another department delivered).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from xinyong.core.permissions import allowed
from xinyong.core.rows import from_row
from xinyong.inquiry.models import InquiryChannel
from xinyong.inquiry.reads import log_look, seen_records
from xinyong.records.importing.bulk import batch_read
from xinyong.records.models import DeliveryBatch, Record, RecordStatus
from xinyong.records.schemas import DeliveryBatchRead
from xinyong.subjects.models import Subject

SortKey = Literal["received_at", "item", "subject", "status", "version", "decided_on", "id"]
SORT_KEYS: tuple[str, ...] = SortKey.__args__  # type: ignore[attr-defined]
MAX_PER_PAGE = 200
#: A CSV export is bounded: a whole province's records are an exchange job, not a download.
MAX_EXPORT = 50_000

#: What a record listing selects: the record and its subject's code, name and type.
RowQuery = Select[Record, str, str, str]

_COLUMNS: dict[str, Any] = {
    "received_at": Record.received_at,
    "item": Record.item_code,
    "subject": Subject.code,
    "status": Record.status,
    "version": Record.current_version,
    "decided_on": Record.decided_on,
    "id": Record.id,
}


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One line of a provider's record list."""

    id: int
    item: str
    subject_code: str
    subject_name: str
    subject_type: str
    status: str
    version: int
    decided_on: date | None
    document_no: str | None
    channel: str
    batch_id: int | None
    received_at: datetime


@dataclass(frozen=True, slots=True)
class RecordFilter:
    item: str | None = None
    status: RecordStatus | None = None
    subject_code: str | None = None


@dataclass(frozen=True, slots=True)
class RecordPage:
    rows: list[RecordRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, slots=True)
class BatchRow:
    id: int
    item: str
    filename: str | None
    status: str
    rows: int
    accepted: int
    unchanged: int
    rejected: int
    received_at: datetime
    user_name: str


def _scope(actor: Actor) -> int | None:
    """The organisation whose records the actor lists; ``None`` means every organisation."""
    if allowed(actor, "records:read_any"):
        return None
    if actor.role in (Role.PROVIDER, Role.INSTITUTION) and actor.org_id is not None:
        return actor.org_id
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in to see delivered records")
    raise PermissionDenied(
        f"角色 {actor.role.value} 不能查看报送记录 / the role {actor.role.value} may not list "
        "delivered records"
    )


def _filtered(actor: Actor, flt: RecordFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    org = _scope(actor)
    if org is not None:
        where.append(Record.provider_org_id == org)
    if flt.item:
        where.append(Record.item_code == flt.item.strip())
    if flt.status is not None:
        where.append(Record.status == flt.status)
    if flt.subject_code:
        # Codes are stored normalised (upper case); a provider types them as they come.
        where.append(Subject.code == flt.subject_code.strip().upper())
    return where


def _ordered(query: RowQuery, sort: str, descending: bool) -> RowQuery:
    if sort not in _COLUMNS:
        raise InvalidInput(
            f"不能按 {sort} 排序 / cannot sort by {sort}",
            details=[{"field": "sort", "reason": f"expected one of {list(SORT_KEYS)}"}],
        )
    column = _COLUMNS[sort]
    primary = column.desc() if descending else column.asc()
    tie = Record.id.desc() if descending else Record.id.asc()
    return query.order_by(primary, tie)


def _rows(session: Session, query: RowQuery) -> list[RecordRow]:
    return [
        from_row(
            RecordRow,
            r,
            item=r.item_code,
            subject_code=s_code,
            subject_name=s_name,
            subject_type=s_type,
            status=r.status.value,
            version=r.current_version,
            channel=r.channel.value,
        )
        for r, s_code, s_name, s_type in session.execute(query)
    ]


def _base(actor: Actor, flt: RecordFilter) -> RowQuery:
    return (
        select(Record, Subject.code, Subject.name, Subject.type)
        .join(Subject, Subject.id == Record.subject_id)
        .where(*_filtered(actor, flt))
    )


def list_records(
    session: Session,
    *,
    actor: Actor,
    flt: RecordFilter = RecordFilter(),
    sort: str = "received_at",
    descending: bool = True,
    page: int = 1,
    per_page: int = 50,
) -> RecordPage:
    """One page of the actor's records (own organisation; all for the credit office)."""
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    page = max(page, 1)
    total = session.scalar(
        select(func.count())
        .select_from(Record)
        .join(Subject, Subject.id == Record.subject_id)
        .where(*_filtered(actor, flt))
    )
    query = _ordered(_base(actor, flt), sort, descending)
    rows = _rows(session, query.offset((page - 1) * per_page).limit(per_page))
    return RecordPage(rows=rows, total=int(total or 0), page=page, per_page=per_page)


def export_records(
    session: Session,
    *,
    actor: Actor,
    flt: RecordFilter = RecordFilter(),
    sort: str = "received_at",
    descending: bool = True,
    at: datetime,
) -> list[RecordRow]:
    """Every matching record (up to :data:`MAX_EXPORT`), for a CSV download. The export of
    non-public records is a look at each subject it covers: logged, one row per subject, in
    one commit (Art. 20, 31)."""
    query = _ordered(_base(actor, flt), sort, descending).limit(MAX_EXPORT)
    rows = _rows(session, query)
    seen = seen_records(session, [r.id for r in rows])
    if log_look(session, actor=actor, channel=InquiryChannel.EXPORT, at=at, seen=seen):
        session.flush()
    return rows


def count_by_status(session: Session, *, actor: Actor) -> dict[str, int]:
    """How many of the actor's records are active and withdrawn (the dashboard's figures)."""
    where = [*_filtered(actor, RecordFilter())]
    found = session.execute(
        select(Record.status, func.count())
        .select_from(Record)
        .join(Subject, Subject.id == Record.subject_id)
        .where(*where)
        .group_by(Record.status)
    )
    counts = {s.value: 0 for s in RecordStatus}
    counts.update({status.value: int(n) for status, n in found})
    return counts


def recent_batches(session: Session, *, actor: Actor, limit: int = 10) -> list[BatchRow]:
    """The actor's latest file deliveries, newest first."""
    org = _scope(actor)
    query = select(DeliveryBatch).order_by(DeliveryBatch.id.desc()).limit(limit)
    if org is not None:
        query = query.where(DeliveryBatch.provider_org_id == org)
    return [_batch_row(b) for b in session.scalars(query)]


def _batch_row(b: DeliveryBatch) -> BatchRow:
    return from_row(BatchRow, b, item=b.item_code, status=b.status.value, rows=b.rows_seen)


@dataclass(frozen=True, slots=True)
class BatchDetail:
    summary: BatchRow
    result: DeliveryBatchRead


def get_batch(session: Session, *, actor: Actor, batch_id: int) -> BatchDetail:
    """A file delivery with its rejected rows (line, field, reason); 404 for another
    organisation's batch."""
    org = _scope(actor)
    batch = session.get(DeliveryBatch, batch_id)
    if batch is None or (org is not None and batch.provider_org_id != org):
        raise NotFound(f"没有报送批次 {batch_id} / no delivery batch {batch_id}")
    return BatchDetail(summary=_batch_row(batch), result=batch_read(session, batch))
