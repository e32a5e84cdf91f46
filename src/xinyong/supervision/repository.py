"""Queries of supervision (COL-3). Nothing is stored: every figure is computed at query time
from the collection tables, so it is never stale. Never commits.

Completeness is computed in SQL (one grouped query per item, over the current versions of
active records), portable between SQLite (``JSON_EXTRACT``) and PostgreSQL (``->>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, and_, case, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from xinyong.accounts.models import Organisation
from xinyong.records.models import DeliveryBatch, Record, RecordStatus, RecordVersion

Pair = tuple[int, str]


@dataclass(slots=True)
class Tally:
    """What one provider delivered of one item."""

    last_delivery_at: datetime | None = None
    deliveries: int = 0
    accepted: int = 0
    unchanged: int = 0
    rejected: int = 0


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def tallies(session: Session, *, org_id: int | None = None) -> dict[Pair, Tally]:
    """Per (provider organisation, item): deliveries, rows accepted/unchanged/rejected and the
    last delivery. A file or JSON file batch counts as one delivery; each record delivered
    outside a batch (``POST /records``) counts as one. Self-declared records (no provider)
    are not supervised."""
    out: dict[Pair, Tally] = {}
    rec = select(
        Record.provider_org_id,
        Record.item_code,
        func.count(),
        func.sum(case((Record.batch_id.is_(None), 1), else_=0)),
        func.max(Record.received_at),
    ).where(Record.provider_org_id.is_not(None))
    bat = select(
        DeliveryBatch.provider_org_id,
        DeliveryBatch.item_code,
        func.count(),
        func.coalesce(func.sum(DeliveryBatch.unchanged), 0),
        func.coalesce(func.sum(DeliveryBatch.rejected), 0),
        func.max(DeliveryBatch.received_at),
    ).where(DeliveryBatch.provider_org_id.is_not(None))
    if org_id is not None:
        rec = rec.where(Record.provider_org_id == org_id)
        bat = bat.where(DeliveryBatch.provider_org_id == org_id)
    rec = rec.group_by(Record.provider_org_id, Record.item_code)
    bat = bat.group_by(DeliveryBatch.provider_org_id, DeliveryBatch.item_code)
    for org, item, count, single, last in session.execute(rec):
        t = out.setdefault((int(org or 0), item), Tally())
        t.accepted += int(count)
        t.deliveries += int(single or 0)
        t.last_delivery_at = _latest(t.last_delivery_at, last)
    for org, item, count, unchanged, rejected, last in session.execute(bat):
        t = out.setdefault((int(org or 0), item), Tally())
        t.deliveries += int(count)
        t.unchanged += int(unchanged)
        t.rejected += int(rejected)
        t.last_delivery_at = _latest(t.last_delivery_at, last)
    return out


def _filled(code: str) -> ColumnElement[int]:
    value = func.coalesce(RecordVersion.fields[code].as_string(), literal(""))
    return case((value != literal(""), 1), else_=0)


def filled_counts(
    session: Session, *, item_code: str, optional: Sequence[str], org_id: int | None = None
) -> dict[int, tuple[int, int]]:
    """provider org id → (current active records, filled optional-field slots) of one item."""
    filled: ColumnElement[int] = literal(0, Integer)
    for code in optional:
        filled = filled + _filled(code)
    query = (
        select(Record.provider_org_id, func.count(), func.coalesce(func.sum(filled), 0))
        .join(
            RecordVersion,
            and_(
                RecordVersion.record_id == Record.id,
                RecordVersion.version == Record.current_version,
            ),
        )
        .where(
            Record.item_code == item_code,
            Record.status == RecordStatus.ACTIVE,
            Record.provider_org_id.is_not(None),
        )
        .group_by(Record.provider_org_id)
    )
    if org_id is not None:
        query = query.where(Record.provider_org_id == org_id)
    return {int(org or 0): (int(n), int(f)) for org, n, f in session.execute(query)}


def organisations(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """org id → (code, name)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Organisation.id, Organisation.code, Organisation.name).where(
            Organisation.id.in_(list(ids))
        )
    )
    return {i: (c, n) for i, c, n in rows}
