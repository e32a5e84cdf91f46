"""Queries of objections and correction duties; never commits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.db.expressions import local_day_start
from xinyong.handling import store
from xinyong.handling.access import ListScope
from xinyong.objections.models import CorrectionDuty, Objection, ObjectionStatus
from xinyong.records.models import Record

OPEN = (ObjectionStatus.RECEIVED, ObjectionStatus.ASSISTANCE)


def get(session: Session, objection_id: int) -> Objection | None:
    return session.get(Objection, objection_id)


def record(session: Session, record_id: int) -> Record | None:
    return session.get(Record, record_id)


def same_filing(
    session: Session, *, record_id: int, subject_id: int, reason_hash: str
) -> Objection | None:
    """An open objection of this subject on this record with the same reason."""
    stmt = select(Objection).where(
        Objection.record_id == record_id,
        Objection.subject_id == subject_id,
        Objection.reason_hash == reason_hash,
        Objection.status.in_(OPEN),
    )
    return session.scalars(stmt.order_by(Objection.id)).first()


def by_idempotency_key(session: Session, *, subject_id: int, key: str) -> Objection | None:
    stmt = select(Objection).where(
        Objection.subject_id == subject_id, Objection.idempotency_key == key
    )
    return session.scalars(stmt).first()


def open_on_record(session: Session, *, record_id: int, subject_id: int) -> Objection | None:
    stmt = select(Objection).where(
        Objection.record_id == record_id,
        Objection.subject_id == subject_id,
        Objection.status.in_(OPEN),
    )
    return session.scalars(stmt).first()


def under_objection(session: Session, record_ids: Collection[int]) -> set[int]:
    if not record_ids:
        return set()
    ids = list(set(record_ids))
    found: set[int] = set()
    # Chunked: an IN list of a subject with thousands of records stays within bind limits.
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        stmt = select(Objection.record_id).where(
            Objection.record_id.in_(chunk), Objection.status.in_(OPEN)
        )
        found.update(int(r) for r in session.scalars(stmt) if r is not None)
    return found


def same_scope_filing(
    session: Session,
    *,
    subject_id: int,
    kind: str,
    item_code: str | None,
    channel: str | None,
    reason_hash: str,
) -> Objection | None:
    """An open omission or handling objection of this subject naming the same item and channel
    with the same reason (a double click, a retried request)."""
    stmt = select(Objection).where(
        Objection.subject_id == subject_id,
        Objection.kind == kind,
        Objection.record_id.is_(None),
        Objection.item_code.is_(None) if item_code is None else Objection.item_code == item_code,
        Objection.channel.is_(None) if channel is None else Objection.channel == channel,
        Objection.reason_hash == reason_hash,
        Objection.status.in_(OPEN),
    )
    return session.scalars(stmt.order_by(Objection.id)).first()


def item_provider_org_ids(
    session: Session, *, subject_id: int, item_code: str, source_codes: Collection[str]
) -> frozenset[int]:
    """The units that provide ``item_code``: those that delivered it on this subject, else the
    item's registered collection sources."""
    delivered: Sequence[int | None] = session.scalars(
        select(Record.provider_org_id)
        .where(
            Record.subject_id == subject_id,
            Record.item_code == item_code,
            Record.provider_org_id.is_not(None),
        )
        .distinct()
    ).all()
    if delivered:
        return frozenset(int(o) for o in delivered if o is not None)
    if not source_codes:
        return frozenset()
    found = session.scalars(
        select(Organisation.id).where(Organisation.code.in_(sorted(source_codes)))
    ).all()
    return frozenset(int(o) for o in found)


def listing(
    session: Session, *, scope: ListScope, status: str | None = None, limit: int = 500
) -> Sequence[Objection]:
    """Objections sorted by due date (open ones first), scoped by who asks."""
    return store.listing(
        session, Objection, scope=scope, open_clause=Objection.status.in_(OPEN), status=status,
        limit=limit,
    )  # fmt: skip


def overdue_unescalated(session: Session, *, today: date) -> Sequence[Objection]:
    return store.overdue_unescalated(
        session, Objection, open_clause=Objection.status.in_(OPEN), today=today
    )


def duty(session: Session, duty_id: int) -> CorrectionDuty | None:
    return session.get(CorrectionDuty, duty_id)


def duties(
    session: Session, *, provider_org_id: int | None = None, everything: bool = False
) -> Sequence[CorrectionDuty]:
    stmt = select(CorrectionDuty)
    if not everything:
        stmt = stmt.where(CorrectionDuty.provider_org_id == provider_org_id)
    stmt = stmt.order_by(CorrectionDuty.fulfilled_at.is_not(None), CorrectionDuty.due_on)
    return session.scalars(stmt).all()


def overdue_duties(session: Session, *, today: date) -> Sequence[CorrectionDuty]:
    stmt = select(CorrectionDuty).where(
        CorrectionDuty.fulfilled_at.is_(None),
        CorrectionDuty.due_on < today,
        CorrectionDuty.escalated_at.is_(None),
    )
    return session.scalars(stmt.order_by(CorrectionDuty.due_on)).all()


def records_of_subject(session: Session, subject_id: int, *, limit: int = 500) -> Sequence[Record]:
    stmt = (
        select(Record)
        .where(Record.subject_id == subject_id)
        .order_by(Record.decided_on.desc(), Record.id.desc())
        .limit(limit)
    )
    return session.scalars(stmt).all()


def open_clause() -> ColumnElement[bool]:
    """Objections not decided yet (received, or waiting for an assisting unit)."""
    return Objection.status.in_(OPEN)


def overdue_clause(today: date) -> ColumnElement[bool]:
    """SQL form of ``rules.is_overdue``: not decided, and ``today`` is past the due date."""
    return and_(Objection.status.in_(OPEN), Objection.due_on < today)


def decided_late_clause() -> ColumnElement[bool]:
    """SQL form of ``rules.decided_late``: decided on a platform-local day after the due date."""
    return and_(
        Objection.status == ObjectionStatus.DECIDED,
        Objection.decided_at >= local_day_start(Objection.due_on, days=1),
    )
